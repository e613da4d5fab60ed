package org.hotline.protocol.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.crypto.SignatureContext;
import org.hotline.protocol.pki.CertificatePurpose;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.Pem;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedMessage;

/**
 * Checks an audit log offline (PROTOCOL.md §11): sequence numbers, the hash chain, every signed
 * checkpoint (Merkle root and signature), every embedded signed message and receipt, and, given a
 * trust anchor, that every certificate in it was issued by the exercise CA. Stops at the first
 * problem and names its line.
 */
public final class AuditVerifier {

    /** The outcome. {@code problem} is empty exactly when the log is intact. */
    public record Report(Path file, Optional<Problem> problem, String owner, String caFingerprint,
                         boolean authenticated, int entries, int checkpoints, int signedItemsVerified,
                         List<String> warnings) {
        public boolean intact() {
            return problem.isEmpty();
        }
    }

    /** The first thing wrong: 1-based line number and what is wrong there. */
    public record Problem(int line, String message) {
        @Override
        public String toString() {
            return "line " + line + ": " + message;
        }
    }

    private static final class Failure extends Exception {
        final int line;

        Failure(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    private AuditVerifier() {
    }

    /**
     * @param trust a validator over the exercise CA (and CRL if available); empty to check integrity only
     */
    public static Report verify(Path file, Optional<CertificateValidator> trust) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file + " (no such audit log)");
        }
        State st = new State(file, trust);
        try {
            st.run(all);
        } catch (Failure f) {
            return st.report(Optional.of(new Problem(f.line, f.getMessage())));
        }
        return st.report(Optional.empty());
    }

    static List<byte[]> splitLines(byte[] all) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                lines.add(Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        if (start < all.length) {
            lines.add(Arrays.copyOfRange(all, start, all.length));
        }
        return lines;
    }

    private static final class State {
        final Path file;
        final Optional<CertificateValidator> trust;
        final MerkleTree tree = new MerkleTree();
        final Map<String, IdentityPublicKey> keys = new HashMap<>();
        final List<String> warnings = new ArrayList<>();
        byte[] prev = AuditLog.ZERO_HASH;
        long expectedSeq;
        String owner = "?";
        String caFingerprint = "?";
        X509Certificate embeddedCa;
        CertificateValidator validator;
        int entries;
        int checkpoints;
        int signed;
        int lastCheckpointLine;

        State(Path file, Optional<CertificateValidator> trust) {
            this.file = file;
            this.trust = trust;
        }

        Report report(Optional<Problem> problem) {
            return new Report(file, problem, owner, caFingerprint, trust.isPresent() && problem.isEmpty(), entries,
                    checkpoints, signed, List.copyOf(warnings));
        }

        void run(byte[] all) throws Failure {
            if (all.length == 0) {
                throw new Failure(1, "the log is empty");
            }
            List<byte[]> lines = splitLines(all);
            boolean endsWithNewline = all[all.length - 1] == '\n';
            for (int i = 0; i < lines.size(); i++) {
                int lineNo = i + 1;
                byte[] line = lines.get(i);
                boolean last = i == lines.size() - 1;
                JsonNode e = parse(line);
                boolean recoveredLater = !last && recoveredBy(lines.get(i + 1), lineNo);
                if (e == null || (last && !endsWithNewline) || recoveredLater) {
                    if (!last && recoveredBy(lines.get(i + 1), lineNo)) {
                        warnings.add("line " + lineNo + " was torn by a crash; the owner recorded it at line "
                                + (lineNo + 1));
                        continue;
                    }
                    throw new Failure(lineNo, last ? "incomplete last line (truncated, torn or altered)"
                            : "not a valid log entry (altered or corrupted)");
                }
                entry(lineNo, line, e);
            }
            if (checkpoints == 0) {
                throw new Failure(lines.size(), "no signed checkpoint anywhere in the log");
            }
            int uncovered = entries - lastCheckpointEntries;
            if (uncovered > 0) {
                throw new Failure(lastCheckpointLine + 1, uncovered + " entries after the last signed checkpoint (line "
                        + lastCheckpointLine + ") are not covered by a signature: the log was cut short, or its owner "
                        + "crashed and has not reopened it since");
            }
        }

        int lastCheckpointEntries;

        private static JsonNode parse(byte[] line) {
            try {
                JsonNode n = AuditLog.JSON.readTree(line);
                return n != null && n.isObject() ? n : null;
            } catch (IOException e) {
                return null;
            }
        }

        private static boolean recoveredBy(byte[] next, int tornLine) {
            JsonNode n = parse(next);
            return n != null && AuditEntryType.RECOVERED.equals(n.path("type").asText())
                    && n.path("tornLine").asInt() == tornLine;
        }

        private void entry(int lineNo, byte[] line, JsonNode e) throws Failure {
            long seq = e.path("seq").asLong(-1);
            if (seq != expectedSeq) {
                throw new Failure(lineNo, "sequence number " + seq + ", expected " + expectedSeq
                        + " (a line was removed, inserted or moved)");
            }
            if (!AuditLog.HEX.formatHex(prev).equals(e.path("prev").asText())) {
                throw new Failure(lineNo, "hash link to the previous line is broken (a line before it was altered)");
            }
            String type = e.path("type").asText();
            Instant time = time(lineNo, e);
            if (lineNo == 1 != AuditEntryType.LOG_OPENED.equals(type)) {
                throw new Failure(lineNo, lineNo == 1 ? "the first entry must be log-opened"
                        : "log-opened may only be the first entry");
            }
            switch (type) {
                case AuditEntryType.LOG_OPENED -> opened(lineNo, e, time);
                case AuditEntryType.PEER_CERTIFICATE -> certificate(lineNo, e.path("role").asText(),
                        e.path("certificate").asText(), time);
                case AuditEntryType.CHECKPOINT -> checkpoint(lineNo, line, e, seq);
                default -> embedded(lineNo, e);
            }
            tree.append(MerkleTree.leafHash(line));
            prev = Hashes.sha256(line);
            expectedSeq++;
            entries++;
        }

        private Instant time(int lineNo, JsonNode e) throws Failure {
            try {
                return Instant.parse(e.path("time").asText());
            } catch (DateTimeParseException ex) {
                throw new Failure(lineNo, "unreadable time");
            }
        }

        private void opened(int lineNo, JsonNode e, Instant time) throws Failure {
            owner = e.path("owner").asText();
            try {
                embeddedCa = Pem.parseCertificate(e.path("caCertificate").asText().getBytes(StandardCharsets.US_ASCII));
            } catch (Exception ex) {
                throw new Failure(lineNo, "unreadable CA certificate");
            }
            caFingerprint = CertificateValidator.fingerprint(embeddedCa);
            if (trust.isPresent()) {
                X509Certificate anchor = trust.get().caCertificate();
                if (!anchor.equals(embeddedCa)) {
                    throw new Failure(lineNo, "the log was written under another CA (" + caFingerprint + ")");
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
            certificate(lineNo, owner, e.path("certificate").asText(), time);
        }

        private void certificate(int lineNo, String role, String pem, Instant time) throws Failure {
            try {
                X509Certificate cert = Pem.parseCertificate(pem.getBytes(StandardCharsets.US_ASCII));
                var id = CertificateValidator.withoutRevocation(validator.caCertificate())
                        .validate(cert, CertificatePurpose.IDENTITY, time);
                if (!id.role().equals(role)) {
                    throw new Failure(lineNo, "certificate logged for " + role + " belongs to " + id.role());
                }
                if (validator.checksRevocation()) {
                    try {
                        validator.validate(cert, CertificatePurpose.IDENTITY, time);
                    } catch (PkiException revoked) {
                        warnings.add("line " + lineNo + ": " + revoked.getMessage());
                    }
                }
                keys.put(role, CertificateValidator.identityKeyOf(cert));
            } catch (PkiException ex) {
                throw new Failure(lineNo, ex.getMessage());
            } catch (java.security.cert.CertificateException ex) {
                throw new Failure(lineNo, "unreadable certificate of " + role);
            }
        }

        private void checkpoint(int lineNo, byte[] line, JsonNode e, long seq) throws Failure {
            long treeSize = e.path("treeSize").asLong(-1);
            if (treeSize != tree.size()) {
                throw new Failure(lineNo, "checkpoint covers " + treeSize + " entries, but " + tree.size() + " precede it");
            }
            String signer = e.path("signer").asText();
            IdentityPublicKey key = keys.get(signer);
            if (!signer.equals(owner) || key == null) {
                throw new Failure(lineNo, "checkpoint signed by " + signer + ", not by the log's owner " + owner);
            }
            byte[] root = tree.root();
            if (!AuditLog.HEX.formatHex(root).equals(e.path("root").asText())) {
                throw new Failure(lineNo, "checkpoint root does not match the entries before it (an entry was altered)");
            }
            byte[] signature;
            try {
                signature = Base64.getDecoder().decode(e.path("signature").asText());
                byte[] rebuilt = AuditLog.checkpointLine(seq, e.path("time").asText(), prev, signer, treeSize, root,
                        signature);
                if (!Arrays.equals(rebuilt, line)) {
                    throw new Failure(lineNo, "checkpoint line is not in its exact written form (altered)");
                }
            } catch (IllegalArgumentException | IOException ex) {
                throw new Failure(lineNo, "unreadable checkpoint signature");
            }
            byte[] signedBytes = AuditLog.checkpointSignedBytes(seq, e.path("time").asText(), prev, signer, treeSize, root);
            if (!key.verify(SignatureContext.AUDIT_CHECKPOINT, signature, signedBytes)) {
                throw new Failure(lineNo, "checkpoint signature does not verify (forged or altered)");
            }
            checkpoints++;
            signed++;
            lastCheckpointLine = lineNo;
            lastCheckpointEntries = entries + 1;
        }

        /**
         * Entries that carry a signed message or receipt: verify the embedded signature, and for
         * version 2 the exercise it names; version-1 objects of old logs verify under the version-1
         * rules (PROTOCOL.md §8.1).
         */
        private void embedded(int lineNo, JsonNode e) throws Failure {
            if (e.hasNonNull("message")) {
                try {
                    SignedMessage m = SignedMessage.decodeRecorded(Base64.getDecoder().decode(e.path("message").asText()));
                    IdentityPublicKey key = keys.get(m.header().sender());
                    if (key == null) {
                        throw new Failure(lineNo, "message from " + m.header().sender()
                                + " but no certificate of that role precedes it in the log");
                    }
                    MessageSigner.verifyRecorded(m, key, validator.exerciseId());
                    if (!m.header().messageId().hex().equals(e.path("id").asText())) {
                        throw new Failure(lineNo, "entry's id does not match its signed message");
                    }
                    signed++;
                } catch (IllegalArgumentException | FrameDecodeException ex) {
                    throw new Failure(lineNo, "embedded message is unreadable");
                } catch (CryptoException ex) {
                    throw new Failure(lineNo, ex.getMessage());
                }
            }
            if (e.hasNonNull("receipt")) {
                try {
                    Receipt r = Receipt.decodeRecorded(Base64.getDecoder().decode(e.path("receipt").asText()));
                    IdentityPublicKey key = keys.get(r.asserter());
                    if (key == null) {
                        throw new Failure(lineNo, r.type().name().toLowerCase() + " receipt asserted by " + r.asserter()
                                + " but no certificate of that role precedes it in the log");
                    }
                    ReceiptSigner.verifyRecorded(r, key, validator.exerciseId());
                    signed++;
                } catch (IllegalArgumentException | FrameDecodeException ex) {
                    throw new Failure(lineNo, "embedded receipt is unreadable");
                } catch (CryptoException ex) {
                    throw new Failure(lineNo, ex.getMessage());
                }
            }
        }
    }
}
