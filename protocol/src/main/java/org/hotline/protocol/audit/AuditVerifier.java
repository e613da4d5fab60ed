package org.hotline.protocol.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.CumulativeReceiptSigner;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.crypto.SignatureContext;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.pki.CertificatePurpose;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.Pem;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.tlog.CheckpointException;
import org.hotline.protocol.tlog.RelayLogProofs;
import org.hotline.protocol.tlog.SignedConsistency;
import org.hotline.protocol.tlog.SignedCheckpoint;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.LogInclusion;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedMessage;

/**
 * Checks an audit log offline (PROTOCOL.md §11): sequence numbers, the hash chain, every signed
 * checkpoint (Merkle root and signature), every embedded signed message and receipt, and, given a
 * trust anchor, that every certificate in it was issued by the exercise CA. Stops at the first
 * problem and names its line.
 */
public final class AuditVerifier {

    private static final class Failure extends Exception {
        final int line;
        final boolean unsignedTail;

        Failure(int line, String message) {
            this(line, message, false);
        }

        Failure(int line, String message, boolean unsignedTail) {
            super(message);
            this.line = line;
            this.unsignedTail = unsignedTail;
        }
    }

    private AuditVerifier() {
    }

    /** As {@link #verify(Path, Optional, Optional)} without the exercise (no channel or wording checks). */
    public static AuditReport verify(Path file, Optional<CertificateValidator> trust) throws IOException {
        return verify(file, trust, Optional.empty());
    }

    /**
     * @param trust    a validator over the exercise CA (and CRL if available); empty to check integrity only
     * @param exercise the exercise the log belongs to: enables the channel-membership check and the
     *                 re-rendering of signal wordings with its parties (PROTOCOL.md §11.4)
     */
    public static AuditReport verify(Path file, Optional<CertificateValidator> trust, Optional<Exercise> exercise)
            throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file + " (no such audit log)");
        }
        State st = new State(file, trust, exercise);
        try {
            st.run(all);
        } catch (Failure f) {
            return st.report(Optional.of(new AuditReport.Problem(f.line, f.getMessage(), f.unsignedTail)));
        }
        return st.report(Optional.empty());
    }

    private static final class State {
        final Path file;
        final Optional<CertificateValidator> trust;
        final Optional<Exercise> exercise;
        final SignalCatalog catalog = SignalCatalog.builtIn();
        final MerkleTree tree = new MerkleTree();
        final Map<String, IdentityPublicKey> keys = new HashMap<>();
        final List<String> warnings = new ArrayList<>();
        final List<AuditEntry> accepted = new ArrayList<>();
        final List<AuditReport.HeldCheckpoint> held = new ArrayList<>();
        final List<Hash32> leafHashes = new ArrayList<>();
        /** Per message id: who answered it (inReplyTo) in an accepted entry so far, and on which line. */
        final Map<String, Map<String, Integer>> replies = new HashMap<>();
        final java.util.Set<String> missedDeadlines = new java.util.HashSet<>();
        /**
         * Per message received so far: the relays whose copies this log recorded, the first copy's
         * ({@code via} of its message-received entry; none in a single-relay log) first (§13).
         */
        final Map<MessageId, List<String>> copiesVia = new HashMap<>();
        byte[] prev = AuditLog.ZERO_HASH;
        long expectedSeq;
        String owner = "?";
        String caFingerprint = "?";
        CertificateValidator validator;
        int entries;
        int checkpoints;
        int signed;
        int lastCheckpointLine;
        int lastCheckpointEntries;
        int lastTornLine;
        int signalWordingsUnchecked;

        /**
         * Relay log forks the relay's own signatures prove (§12.5): two relay-signed checkpoints of
         * one size with different roots, each with the line that showed it. Only those covered by a
         * signed checkpoint of this log are reported: an appended line proves nothing.
         */
        private final List<Fork> relayForks = new ArrayList<>();
        /** The certificate logged last for each role and relay (which verified what follows it). */
        private final Map<String, X509Certificate> certs = new HashMap<>();
        /** The owner's signed checkpoints so far: line number and the time the owner signed it. */
        private final List<Map.Entry<Integer, Instant>> ownerCheckpoints = new ArrayList<>();
        /** Per relay and tree size, the certificate that verified the checkpoint kept in relayRoots. */
        private final Map<String, Map<Long, X509Certificate>> rootCerts = new HashMap<>();
        /** Per relay and tree size, the certificate that verified the relay-checkpoint entry kept. */
        private final Map<String, Map<Long, X509Certificate>> checkpointCerts = new HashMap<>();
        /** The owner's messages logged as sent so far, which its delivered-through receipts list (§6.1). */
        private final Map<MessageId, SignedMessage> sentByOwner = new HashMap<>();
        /** Relay log roots seen in this log, by relay name (§13: one log per relay), then by tree size (§12.5). */
        private final java.util.Map<String, java.util.Map<Long, Hash32>> relayRoots = new java.util.HashMap<>();
        /** The relay-checkpoint entries verified so far, by relay name, then by tree size. */
        private final java.util.Map<String, java.util.Map<Long, SignedCheckpoint>> relayCheckpoints =
                new java.util.HashMap<>();

        State(Path file, Optional<CertificateValidator> trust, Optional<Exercise> exercise) {
            this.file = file;
            this.trust = trust;
            this.exercise = exercise;
        }

        AuditReport report(Optional<AuditReport.Problem> problem) {
            List<String> w = new ArrayList<>(warnings);
            if (signalWordingsUnchecked > 0) {
                w.add(signalWordingsUnchecked + " signal wordings were not re-rendered (no exercise given): readers "
                        + "render them from the signed signal and parameters instead");
            }
            if (exercise.isEmpty()) {
                w.add("no exercise given: channel membership of senders and recipients was not checked");
            }
            return new AuditReport(file, problem, owner, caFingerprint, trust.isPresent() && problem.isEmpty(), entries,
                    checkpoints, signed, w, accepted, lastCheckpointEntries, held, leafHashes, covered(relayForks, false),
                    covered(relayForks, true));
        }

        /**
         * The proven forks on lines a signed checkpoint of this log covers: with {@code revoked}
         * false those counted, with true those signed under a certificate revoked at or before the
         * first owner checkpoint covering the fork line (PROTOCOL.md §12.5).
         */
        private List<String> covered(List<Fork> forks, boolean revoked) {
            List<String> out = new ArrayList<>();
            for (Fork f : forks) {
                Optional<Instant> coveredAt = ownerCheckpoints.stream().filter(c -> c.getKey() > f.line())
                        .map(Map.Entry::getValue).findFirst();
                if (coveredAt.isEmpty()) {
                    continue; // an appended line proves nothing
                }
                Optional<Map.Entry<X509Certificate, Instant>> before = Optional.empty();
                Optional<Map.Entry<X509Certificate, Instant>> later = Optional.empty();
                for (X509Certificate cert : f.certs()) {
                    Optional<Instant> at = validator.checksRevocation() ? validator.revokedAt(cert) : Optional.empty();
                    if (at.isEmpty()) {
                        continue;
                    }
                    if (!at.get().isAfter(coveredAt.get())) {
                        before = before.isPresent() ? before : Optional.of(Map.entry(cert, at.get()));
                    } else {
                        later = later.isPresent() ? later : Optional.of(Map.entry(cert, at.get()));
                    }
                }
                if (revoked && before.isPresent()) {
                    out.add(f.text() + " (certificate " + CertificateValidator.fingerprint(before.get().getKey())
                            + " revoked on " + before.get().getValue() + ", not after this log first covered the fork "
                            + "on " + coveredAt.get() + ")");
                } else if (!revoked && before.isEmpty()) {
                    out.add(f.text() + later.map(l -> " (relay certificate " + CertificateValidator.fingerprint(l.getKey())
                            + " revoked later, on " + l.getValue() + ")").orElse(""));
                }
            }
            return out;
        }

        /**
         * A fork the relay's signatures prove, with every certificate that verified one of those
         * signatures: counted or kept apart at the end, by when those were revoked (§12.5).
         */
        private void fork(int lineNo, String text, X509Certificate... signers) {
            relayForks.add(new Fork(lineNo, text, Arrays.stream(signers).filter(java.util.Objects::nonNull).toList()));
        }

        /** A proven fork: its line, its text, and the certificates that verified its signatures. */
        private record Fork(int line, String text, List<X509Certificate> certs) {
        }

        void run(byte[] all) throws Failure {
            if (all.length == 0) {
                throw new Failure(1, "the log is empty");
            }
            List<byte[]> lines = AuditLog.splitLines(all);
            boolean endsWithNewline = all[all.length - 1] == '\n';
            for (int i = 0; i < lines.size(); i++) {
                int lineNo = i + 1;
                byte[] line = lines.get(i);
                boolean last = i == lines.size() - 1;
                Optional<AuditEvent.Recovered> recovery = last ? Optional.empty()
                        : AuditLog.recoveryNaming(lines.get(i + 1), lineNo);
                if (recovery.isPresent() && lineNo == 1) {
                    throw new Failure(1, "the first line cannot be torn: log-opened is written and synced before "
                            + "anything else");
                }
                if (recovery.isPresent()) {
                    // Whatever the torn line holds is never read: only its hash is checked.
                    if (!Arrays.equals(Hashes.sha256(line), recovery.get().tornBytesSha256())) {
                        throw new Failure(lineNo, "torn line does not match the tornBytesSha256 recorded at line "
                                + (lineNo + 1) + " (replaced or edited after the crash)");
                    }
                    warnings.add("line " + lineNo + " was torn by a crash; the owner recorded it at line " + (lineNo + 1));
                    lastTornLine = lineNo;
                    continue;
                }
                if (last && !endsWithNewline) {
                    throw new Failure(lineNo, "incomplete last line (truncated, torn or altered)");
                }
                AuditEntry e;
                try {
                    e = AuditCodec.decode(line);
                } catch (AuditFormatException ex) {
                    throw new Failure(lineNo, "not a valid log entry: " + ex.getMessage());
                }
                try {
                    entry(lineNo, line, e);
                } catch (RuntimeException bug) {
                    // A crafted value no check above foresaw: still one line naming the entry, never a crash.
                    throw new Failure(lineNo, "not a valid log entry: " + bug.getClass().getSimpleName()
                            + (bug.getMessage() == null ? "" : ": " + bug.getMessage()));
                }
                accepted.add(e);
            }
            if (checkpoints == 0) {
                // Nothing was ever signed, but nothing failed either: an unsigned tail of the whole log.
                throw new Failure(lines.size(), "no signed checkpoint anywhere in the log: none of its " + entries
                        + " entries is covered by a signature (its owner ended before the first checkpoint)", true);
            }
            int uncovered = entries - lastCheckpointEntries;
            if (uncovered > 0) {
                throw new Failure(lastCheckpointLine + 1, uncovered + " entries after the last signed checkpoint (line "
                        + lastCheckpointLine + ") are not covered by a signature: the log was cut short, or its owner "
                        + "crashed and has not reopened it since", true);
            }
        }

        private void entry(int lineNo, byte[] line, AuditEntry e) throws Failure {
            if (e.seq() != expectedSeq) {
                throw new Failure(lineNo, "sequence number " + e.seq() + ", expected " + expectedSeq
                        + " (a line was removed, inserted or moved)");
            }
            if (!Arrays.equals(prev, e.prev())) {
                throw new Failure(lineNo, "hash link to the previous line is broken (a line before it was altered)");
            }
            AuditEvent ev = e.event();
            Instant time = e.time();
            boolean first = accepted.isEmpty();
            if (first != ev instanceof AuditEvent.LogOpened) {
                throw new Failure(lineNo, first ? "the first entry must be log-opened"
                        : "log-opened may only be the first entry");
            }
            if (ev instanceof AuditEvent.LogOpened o) {
                opened(lineNo, o, time);
            } else if (ev instanceof AuditEvent.PeerCertificate c) {
                certificate(lineNo, c.role(), c.certificate(), time);
            } else if (ev instanceof AuditEvent.Checkpoint c) {
                checkpoint(lineNo, e, c);
            } else if (ev instanceof AuditEvent.MessageEntry m) {
                message(lineNo, m);
            } else if (ev instanceof AuditEvent.ReceiptEntry r) {
                receipt(lineNo, r);
            } else if (ev instanceof AuditEvent.DeliveredThrough d) {
                deliveredThrough(lineNo, d.receipt());
            } else if (ev instanceof AuditEvent.PeerCheckpoint p) {
                peerCheckpoint(lineNo, p);
            } else if (ev instanceof AuditEvent.EvaluatorNote n) {
                evaluatorNote(lineNo, n);
            } else if (ev instanceof AuditEvent.RelayInclusion in) {
                relayInclusion(lineNo, in);
            } else if (ev instanceof AuditEvent.RelayCheckpoint c) {
                relayCheckpoint(lineNo, c);
            } else if (ev instanceof AuditEvent.RelayFork c) {
                relayFork(lineNo, c);
            } else if (ev instanceof AuditEvent.DeadlineMissed d) {
                deadlineMissed(lineNo, d, time);
            } else if (ev instanceof AuditEvent.ReadingRecorded r) {
                reading(lineNo, r);
            } else if (ev instanceof AuditEvent.DuplicateCopy d) {
                duplicate(lineNo, d);
            } else if (ev instanceof AuditEvent.Recovered r && (r.tornLine() != lineNo - 1 || lastTornLine != lineNo - 1)) {
                throw new Failure(lineNo, "recovered entry names line " + r.tornLine() + ", which is not the torn line "
                        + "just before it");
            }
            byte[] leaf = MerkleTree.leafHash(line);
            tree.append(leaf);
            leafHashes.add(Hash32.of(leaf));
            prev = Hashes.sha256(line);
            expectedSeq++;
            entries++;
        }

        private void opened(int lineNo, AuditEvent.LogOpened o, Instant time) throws Failure {
            owner = o.owner();
            X509Certificate embeddedCa;
            try {
                embeddedCa = Pem.parseCertificate(o.caCertificate().getBytes(StandardCharsets.US_ASCII));
            } catch (Exception ex) {
                throw new Failure(lineNo, "unreadable CA certificate");
            }
            caFingerprint = CertificateValidator.fingerprint(embeddedCa);
            if (!caFingerprint.equals(o.caFingerprint())) {
                throw new Failure(lineNo, "caFingerprint does not match the logged CA certificate (its SHA-256 is "
                        + caFingerprint + ")");
            }
            if (trust.isPresent()) {
                X509Certificate anchor = trust.get().caCertificate();
                if (!anchor.equals(embeddedCa)) {
                    throw new Failure(lineNo, "the log was written under another CA (" + caFingerprint
                            + "), not the trust anchor given (" + CertificateValidator.fingerprint(anchor) + ")");
                }
                validator = trust.get();
                if (!validator.checksRevocation()) {
                    warnings.add("no CRL given: revocation of the certificates in this log was not checked");
                }
            } else {
                validator = CertificateValidator.withoutRevocation(embeddedCa);
                warnings.add("no trust anchor given (--exercise or --ca): integrity checked, authenticity NOT "
                        + "checked; the log names CA " + caFingerprint);
            }
            certificate(lineNo, owner, o.certificate(), time);
        }

        private void certificate(int lineNo, String role, String pem, Instant time) throws Failure {
            try {
                X509Certificate cert = Pem.parseCertificate(pem.getBytes(StandardCharsets.US_ASCII));
                var id = CertificateValidator.withoutRevocation(validator.caCertificate())
                        .validate(cert, CertificatePurpose.IDENTITY, time);
                if (!id.role().equals(role)) {
                    throw new Failure(lineNo, "certificate logged for " + role + " belongs to " + id.role());
                }
                certs.put(role, cert);
                if (validator.checksRevocation()) {
                    try {
                        validator.validate(cert, CertificatePurpose.IDENTITY, time);
                    } catch (PkiException ex) {
                        warnings.add("line " + lineNo + ": " + ex.getMessage());
                    }
                }
                keys.put(role, CertificateValidator.identityKeyOf(cert));
            } catch (PkiException ex) {
                throw new Failure(lineNo, ex.getMessage());
            } catch (java.security.cert.CertificateException ex) {
                throw new Failure(lineNo, "unreadable certificate of " + role);
            }
        }

        private void checkpoint(int lineNo, AuditEntry e, AuditEvent.Checkpoint c) throws Failure {
            if (c.treeSize() != tree.size()) {
                throw new Failure(lineNo, "checkpoint covers " + c.treeSize() + " entries, but " + tree.size()
                        + " precede it");
            }
            IdentityPublicKey key = keys.get(c.signer());
            if (!c.signer().equals(owner) || key == null) {
                throw new Failure(lineNo, "checkpoint signed by " + c.signer() + ", not by the log's owner " + owner);
            }
            if (!Arrays.equals(tree.root(), c.root())) {
                throw new Failure(lineNo, "checkpoint root does not match the entries before it (an entry was altered)");
            }
            // The codec has already required the line to be exactly this entry's encoding (§11.2).
            byte[] signedBytes = AuditLog.checkpointSignedBytes(e.seq(), e.time().toString(), prev, c.signer(),
                    c.treeSize(), c.root());
            if (!key.verify(SignatureContext.AUDIT_CHECKPOINT, c.signature(), signedBytes)) {
                throw new Failure(lineNo, "checkpoint signature does not verify (forged or altered)");
            }
            checkpoints++;
            signed++;
            lastCheckpointLine = lineNo;
            lastCheckpointEntries = entries + 1;
            ownerCheckpoints.add(Map.entry(lineNo, e.time()));
        }

        /** Another party's checkpoint, signed under that party's current certificate (§11.4 step 5). */
        private void peerCheckpoint(int lineNo, AuditEvent.PeerCheckpoint p) throws Failure {
            Content.LogCheckpoint c = p.checkpoint();
            if (c.owner().equals(owner)) {
                throw new Failure(lineNo, "peer-checkpoint of the log's own owner " + owner);
            }
            IdentityPublicKey key = keys.get(c.owner());
            if (key == null) {
                throw new Failure(lineNo, "checkpoint of " + c.owner() + "'s log but no certificate of that role "
                        + "precedes it in the log");
            }
            if (!AuditLog.verifies(c, key)) {
                throw new Failure(lineNo, "checkpoint of " + c.owner() + "'s log: signature does not verify (forged or "
                        + "altered)");
            }
            held.add(new AuditReport.HeldCheckpoint(lineNo, c.owner(), c.treeSize(), c.root()));
            signed++;
        }

        /** The relay's identity key, from the relay's certificate logged before the entry (§12.5). */
        private IdentityPublicKey relayKey(int lineNo, String relayName) throws Failure {
            if (!Receipt.isRelayName(relayName)) {
                throw new Failure(lineNo, "relay log entry of '" + relayName + "', which is not a relay's name");
            }
            IdentityPublicKey key = keys.get(relayName);
            if (key == null) {
                throw new Failure(lineNo, "relay log entry but no certificate of " + relayName
                        + " precedes it in the log");
            }
            return key;
        }

        /** The relay-checkpoint entries of {@code relayName}'s log verified so far, by tree size. */
        private java.util.Map<Long, SignedCheckpoint> checkpointsOf(String relayName) {
            return relayCheckpoints.computeIfAbsent(relayName, n -> new java.util.HashMap<>());
        }

        /**
         * Every relay checkpoint in this log, by tree size: two different roots for one size, both
         * signed by the relay, are a fork (found, not a failure of this log).
         */
        private void sameHistory(int lineNo, SignedCheckpoint cp) {
            String relay = cp.checkpoint().relayName();
            Hash32 before = relayRoots.computeIfAbsent(relay, n -> new java.util.HashMap<>())
                    .putIfAbsent(cp.treeSize(), cp.checkpoint().root());
            Map<Long, X509Certificate> signers = rootCerts.computeIfAbsent(relay, n -> new HashMap<>());
            if (before == null) {
                signers.put(cp.treeSize(), certs.get(relay));
            } else if (!before.equals(cp.checkpoint().root())) {
                fork(lineNo, "line " + lineNo + ": "
                        + RelayLogProofs.inconsistentHistories(relay, cp.treeSize(), cp.treeSize(),
                        "it signed two different roots for that size"), signers.get(cp.treeSize()), certs.get(relay));
            }
        }

        /**
         * §12.5: a relay-fork entry holds the relay's checkpoint and the proof the client was given.
         * The proof is the owner's account (the relay does not sign it): a proof that fails is a
         * warning, not proof of a fork. Proof is only the relay's own signature: on a checkpoint whose
         * root differs from another relay-signed checkpoint of the same size ({@link #sameHistory}), or
         * on the consistency answer the entry holds ({@link #provenFork}).
         */
        private void relayFork(int lineNo, AuditEvent.RelayFork c) throws Failure {
            String relay = c.checkpoint().checkpoint().relayName();
            IdentityPublicKey key = relayKey(lineNo, relay);
            SignedCheckpoint cp;
            try {
                cp = RelayLogProofs.verifyCheckpoint(c.checkpoint().encode(), relay, validator.exerciseId(), key);
            } catch (CheckpointException ex) {
                throw new Failure(lineNo, ex.getMessage());
            }
            SignedCheckpoint recorded = checkpointsOf(relay).get(c.previousSize());
            if (recorded == null) {
                throw new Failure(lineNo, "relay-fork names previous size " + c.previousSize()
                        + ", which no earlier relay-checkpoint entry has");
            }
            if (c.signed().isPresent()) {
                provenFork(lineNo, c, cp, recorded, key);
                sameHistory(lineNo, cp);
                signed++;
                return;
            }
            boolean consistent;
            try {
                if (cp.treeSize() >= recorded.treeSize()) {
                    RelayLogProofs.verifyConsistency(recorded, cp, c.consistency());
                } else {
                    RelayLogProofs.verifyConsistency(cp, recorded, c.consistency());
                }
                consistent = true;
            } catch (CheckpointException failed) {
                consistent = false;
            }
            if (consistent) {
                throw new Failure(lineNo, "relay-fork entry whose proof shows the checkpoints consistent");
            }
            warnings.add("line " + lineNo + ": relay gave no valid consistency proof for checkpoint " + cp.treeSize()
                    + " against " + recorded.treeSize() + " (the log owner's account, not proof)");
            sameHistory(lineNo, cp);
            signed++;
        }

        /**
         * §12.5: a relay-fork entry with the relay's signed consistency answer. The signature must
         * verify and the statement must contradict the two checkpoints (a root the relay signed
         * differently for one size, or a signed proof that fails): then the relay's signatures alone
         * prove the fork. A signed statement that shows them consistent accuses the relay falsely.
         */
        private void provenFork(int lineNo, AuditEvent.RelayFork c, SignedCheckpoint cp, SignedCheckpoint recorded,
                                IdentityPublicKey key) throws Failure {
            String relay = cp.checkpoint().relayName();
            long lo = Math.min(cp.treeSize(), recorded.treeSize());
            long hi = Math.max(cp.treeSize(), recorded.treeSize());
            SignedConsistency s;
            try {
                s = RelayLogProofs.verifySignedConsistency(lo, hi, c.consistency(), c.signed().get(), relay,
                        validator.exerciseId(), key);
            } catch (CheckpointException ex) {
                throw new Failure(lineNo, ex.getMessage());
            }
            Optional<String> why = s.contradiction(cp.checkpoint(), recorded.checkpoint());
            if (why.isEmpty()) {
                throw new Failure(lineNo, "relay-fork entry whose relay-signed proof shows the checkpoints consistent");
            }
            if (cp.treeSize() == recorded.treeSize()) {
                // Two relay-signed roots of one size: sameHistory reports this line's fork once. Such
                // entries were written by clients that asked for a proof of one size (review H1).
                return;
            }
            fork(lineNo, "line " + lineNo + ": "
                    + RelayLogProofs.inconsistentHistories(relay, cp.treeSize(), recorded.treeSize(), why.get()),
                    checkpointCerts.getOrDefault(relay, Map.of()).get(recorded.treeSize()), certs.get(relay));
        }

        /** §12.5: the receipt, the checkpoint's signature and the inclusion proof. */
        private void relayInclusion(int lineNo, AuditEvent.RelayInclusion in) throws Failure {
            Receipt r = in.receipt();
            if (r.type() != Receipt.Type.ACCEPTED || !Receipt.isRelayName(r.asserter()) || !r.sender().equals(owner)) {
                throw new Failure(lineNo, "relay-inclusion entry holds a receipt that is not the relay's acceptance of "
                        + "a message of the log's owner " + owner);
            }
            IdentityPublicKey key = relayKey(lineNo, r.asserter());
            try {
                if (r.isSigned()) {
                    // Written before acceptances lost their signature: it must still verify.
                    ReceiptSigner.verifyRecorded(r, key, validator.exerciseId());
                } else {
                    // The proof below authenticates the unsigned receipt (PROTOCOL.md §12.3).
                    ReceiptSigner.exercise(r, validator.exerciseId());
                }
                RelayLogProofs.verifyInclusion(r, new LogInclusion(in.leafIndex(), in.proof(), in.checkpoint().encode()),
                        validator.exerciseId(), key);
            } catch (CryptoException | CheckpointException ex) {
                throw new Failure(lineNo, ex.getMessage());
            }
            sameHistory(lineNo, in.checkpoint());
            signed++;
        }

        /** §12.5: the checkpoint's signature, and consistency with the previous relay-checkpoint entry. */
        private void relayCheckpoint(int lineNo, AuditEvent.RelayCheckpoint c) throws Failure {
            String relay = c.checkpoint().checkpoint().relayName();
            IdentityPublicKey key = relayKey(lineNo, relay);
            java.util.Map<Long, SignedCheckpoint> relayCheckpoints = checkpointsOf(relay);
            SignedCheckpoint cp;
            try {
                cp = RelayLogProofs.verifyCheckpoint(c.checkpoint().encode(), relay, validator.exerciseId(), key);
            } catch (CheckpointException ex) {
                throw new Failure(lineNo, ex.getMessage());
            }
            // The previous checkpoint is one this log recorded (normally the last; after a crash between
            // writing an entry and storing the client's checkpoint file, an earlier one).
            SignedCheckpoint previous = relayCheckpoints.get(c.previousSize());
            if (relayCheckpoints.isEmpty()) {
                if (c.previousSize() != 0 || !c.consistency().isEmpty()) {
                    throw new Failure(lineNo, "the first relay-checkpoint entry names a previous checkpoint ("
                            + c.previousSize() + ") or has a consistency proof");
                }
            } else if (previous == null) {
                throw new Failure(lineNo, "relay-checkpoint names previous size " + c.previousSize()
                        + ", which no earlier relay-checkpoint entry has");
            } else {
                if (cp.treeSize() <= previous.treeSize()) {
                    throw new Failure(lineNo, "relay-checkpoint of size " + cp.treeSize() + " does not grow the "
                            + "previous one of size " + previous.treeSize());
                }
                try {
                    RelayLogProofs.verifyConsistency(previous, cp, c.consistency());
                } catch (CheckpointException ex) {
                    throw new Failure(lineNo, ex.getMessage());
                }
            }
            sameHistory(lineNo, cp);
            relayCheckpoints.put(cp.treeSize(), cp);
            checkpointCerts.computeIfAbsent(relay, n -> new HashMap<>()).put(cp.treeSize(), certs.get(relay));
            signed++;
        }

        /**
         * An evaluator's note (§11.4 step 7a): written by the log's owner, which with the exercise
         * must be its exercise-control seat, and signed under the owner's current certificate.
         */
        private void evaluatorNote(int lineNo, AuditEvent.EvaluatorNote n) throws Failure {
            if (!n.author().equals(owner)) {
                throw new Failure(lineNo, "evaluator note by " + n.author() + ", not by the log's owner " + owner);
            }
            if (exercise.isPresent() && !exercise.get().isControl(owner)) {
                throw new Failure(lineNo, "evaluator note in the log of " + owner + ", which is not the exercise's "
                        + "control seat");
            }
            if (!n.verifies(keys.get(owner))) {
                throw new Failure(lineNo, "evaluator note signature does not verify (forged or altered)");
            }
            signed++;
        }

        /**
         * A reading verifies under its reader's current certificate and names this exercise
         * (§11.4 step 5); only the owner's own readings and, in exercise control's log, readings
         * sent to control can be in a log, and a reader never reads their own message.
         */
        private void reading(int lineNo, AuditEvent.ReadingRecorded r) throws Failure {
            var f = r.reading().fields();
            IdentityPublicKey key = keys.get(f.reader());
            if (key == null) {
                throw new Failure(lineNo, "reading by " + f.reader() + " but no certificate of that role precedes it "
                        + "in the log");
            }
            try {
                org.hotline.protocol.crypto.ReadingSigner.verify(r.reading(), key, validator.exerciseId());
            } catch (CryptoException ex) {
                throw new Failure(lineNo, ex.getMessage());
            }
            if (!f.reader().equals(owner) && exercise.isPresent() && !exercise.get().isControl(owner)) {
                throw new Failure(lineNo, "reading by " + f.reader() + " in " + owner + "'s log: only a reader's own "
                        + "log and exercise control's hold readings");
            }
            signed++;
        }

        /**
         * The embedded message verifies under its sender's logged key; the codec has already bound
         * every displayed copy to it. Here: who may appear in whose log, the channel, and the wording.
         */
        private void message(int lineNo, AuditEvent.MessageEntry entry) throws Failure {
            SignedMessage m = entry.message();
            String sender = m.header().sender();
            IdentityPublicKey key = keys.get(sender);
            if (key == null) {
                throw new Failure(lineNo, "message from " + sender + " but no certificate of that role precedes it in the log");
            }
            try {
                // Version 2: signature and exercise; version 1 (an old log): its own rules (PROTOCOL.md §8.1).
                MessageSigner.verifyRecorded(m, key, validator.exerciseId());
            } catch (CryptoException ex) {
                throw new Failure(lineNo, ex.getMessage());
            }
            if (entry instanceof AuditEvent.MessageSent && !sender.equals(owner)) {
                throw new Failure(lineNo, "message-sent entry holds a message from " + sender + ", not from the log's "
                        + "owner " + owner);
            }
            if (entry instanceof AuditEvent.MessageSent) {
                sentByOwner.put(m.header().messageId(), m);
            }
            if (entry instanceof AuditEvent.MessageReceived r) {
                if (r.via().isPresent()) {
                    knownRelay(lineNo, r.via().get());
                }
                copiesVia.putIfAbsent(m.header().messageId(), new ArrayList<>(r.via().stream().toList()));
            }
            if (!(entry instanceof AuditEvent.MessageSent) && !m.header().recipients().contains(owner)) {
                throw new Failure(lineNo, "received message is not addressed to the log's owner " + owner);
            }
            if (exercise.isPresent()) {
                Optional<String> violation = exercise.get().policyViolation(sender, m.header().channel(),
                        m.header().recipients());
                if (violation.isPresent()) {
                    throw new Failure(lineNo, "message breaks the exercise's channel policy: " + violation.get());
                }
            }
            m.header().inReplyTo().ifPresent(original -> replies
                    .computeIfAbsent(original.hex(), k -> new HashMap<>()).putIfAbsent(sender, lineNo));
            if (m.content() instanceof Content.Signal) {
                if (exercise.isPresent()) {
                    String rendered = DisplayText.render(m.content(), catalog, exercise.get().parties());
                    if (!rendered.equals(entry.loggedText())) {
                        throw new Failure(lineNo, "field \"text\" is not the catalog's wording of the signed signal");
                    }
                } else {
                    signalWordingsUnchecked++;
                }
            }
            signed++;
        }

        /**
         * A missed deadline (§11.3 {@code deadline-missed}): the embedded message verifies under its
         * sender's key, the owner is its sender or a recipient, a wall-clock deadline is the signed
         * answer-by time and was not written before it, no reply from a recipient precedes the entry
         * in this log, and the message has no earlier such entry.
         */
        private void deadlineMissed(int lineNo, AuditEvent.DeadlineMissed d, Instant time) throws Failure {
            SignedMessage m = d.message();
            String sender = m.header().sender();
            IdentityPublicKey key = keys.get(sender);
            if (key == null) {
                throw new Failure(lineNo, "deadline of a message from " + sender + " but no certificate of that role "
                        + "precedes it in the log");
            }
            try {
                MessageSigner.verifyRecorded(m, key, validator.exerciseId());
            } catch (CryptoException ex) {
                throw new Failure(lineNo, ex.getMessage());
            }
            if (!sender.equals(owner) && !m.header().recipients().contains(owner)) {
                throw new Failure(lineNo, "deadline-missed entry holds a message neither from nor to the log's owner "
                        + owner);
            }
            if (d.clock().equals(AuditEvent.DeadlineMissed.WALL)) {
                if (!d.deadline().equals(d.answerBy())) {
                    throw new Failure(lineNo, "field \"deadline\" of a wall-clock deadline is not the signed answerBy");
                }
                if (time.isBefore(d.deadline())) {
                    throw new Failure(lineNo, "deadline-missed written at " + time + ", before the deadline "
                            + d.deadline());
                }
            }
            String id = d.id().hex();
            for (var reply : replies.getOrDefault(id, Map.of()).entrySet()) {
                if (m.header().recipients().contains(reply.getKey())) {
                    throw new Failure(lineNo, "deadline-missed for message " + id.substring(0, 8) + ", but line "
                            + reply.getValue() + " holds " + reply.getKey() + "'s reply to it");
                }
            }
            if (!missedDeadlines.add(id)) {
                throw new Failure(lineNo, "second deadline-missed entry for message " + id.substring(0, 8));
            }
            signed++;
        }

        /** With the exercise, {@code relay} is one of its relays (§13). */
        private void knownRelay(int lineNo, String relay) throws Failure {
            if (exercise.isPresent() && exercise.get().relay(relay).isEmpty()) {
                throw new Failure(lineNo, "field \"via\" names " + relay + ", which is not a relay of the exercise");
            }
        }

        /**
         * A later copy through another relay (§11.3 {@code duplicate}, §13 rule 5): of a message an
         * earlier message-received entry of this log holds with the relay of its first copy, through
         * a relay that is not that one, and at most once per message and relay, so the entry a
         * relay's endless redelivery could add is bounded.
         */
        private void duplicate(int lineNo, AuditEvent.DuplicateCopy d) throws Failure {
            List<String> via = copiesVia.get(d.id());
            if (via == null) {
                throw new Failure(lineNo, "duplicate of message " + d.id().shortForm() + ", which no earlier "
                        + "message-received entry of this log holds");
            }
            if (via.isEmpty()) {
                throw new Failure(lineNo, "duplicate of message " + d.id().shortForm() + ", whose message-received "
                        + "entry names no relay (a log of one relay records no duplicates)");
            }
            knownRelay(lineNo, d.via());
            if (via.get(0).equals(d.via())) {
                throw new Failure(lineNo, "duplicate of message " + d.id().shortForm() + " via " + d.via()
                        + ", which delivered its first copy");
            }
            if (via.contains(d.via())) {
                throw new Failure(lineNo, "second duplicate entry for message " + d.id().shortForm() + " via "
                        + d.via());
            }
            via.add(d.via());
        }

        /**
         * A cumulative receipt (PROTOCOL.md §6.1): signed by its asserter in this exercise; in the
         * log of the sender it names, each listed message that the log holds as sent has the
         * listed counter, and the last one the chain head as its message hash.
         */
        private void deliveredThrough(int lineNo, CumulativeReceipt r) throws Failure {
            IdentityPublicKey key = keys.get(r.asserter());
            if (key == null) {
                throw new Failure(lineNo, "delivered-through receipt asserted by " + r.asserter()
                        + " but no certificate of that role precedes it in the log");
            }
            try {
                CumulativeReceiptSigner.verify(r, key, validator.exerciseId());
            } catch (CryptoException ex) {
                throw new Failure(lineNo, ex.getMessage());
            }
            if (r.sender().equals(owner)) {
                Map<MessageId, SignedMessage> mine = new HashMap<>();
                for (MessageId id : r.coveredIds()) {
                    SignedMessage m = sentByOwner.get(id);
                    if (m == null) {
                        throw new Failure(lineNo, "delivered-through receipt lists message " + id.shortForm()
                                + ", which no earlier entry of this log records as sent");
                    }
                    mine.put(id, m);
                }
                try {
                    CumulativeReceiptSigner.verify(r, key, validator.exerciseId(), mine);
                } catch (CryptoException ex) {
                    throw new Failure(lineNo, ex.getMessage());
                }
            }
            signed++;
        }

        private void receipt(int lineNo, AuditEvent.ReceiptEntry entry) throws Failure {
            Receipt r = entry.receipt();
            IdentityPublicKey key = keys.get(r.asserter());
            if (key == null) {
                throw new Failure(lineNo, r.type().name().toLowerCase() + " receipt asserted by " + r.asserter()
                        + " but no certificate of that role precedes it in the log");
            }
            try {
                if (entry instanceof AuditEvent.RelayAccepted && !r.isSigned() && Receipt.isRelayName(owner)
                        && r.asserter().equals(owner)) {
                    // The relay's own log records its acceptance as the log leaf it made, unsigned
                    // (PROTOCOL.md §11.3): the entry is its word, vouched for by its log's checkpoints.
                    ReceiptSigner.exercise(r, validator.exerciseId());
                } else {
                    ReceiptSigner.verifyRecorded(r, key, validator.exerciseId());
                }
            } catch (CryptoException ex) {
                throw new Failure(lineNo, ex.getMessage());
            }
            if (entry instanceof AuditEvent.Acknowledged && !r.asserter().equals(owner)) {
                throw new Failure(lineNo, "acknowledged entry holds a receipt by " + r.asserter() + ", not by the log's "
                        + "owner " + owner);
            }
            if (entry instanceof AuditEvent.RelayAccepted a && exercise.isPresent()) {
                Optional<String> violation = exercise.get().policyViolation(r.sender(), a.channel(),
                        a.boxes().stream().map(BoxMetadata::recipient).sorted().toList());
                if (violation.isPresent()) {
                    throw new Failure(lineNo, "accepted message breaks the exercise's channel policy: " + violation.get());
                }
            }
            signed++;
        }
    }
}
