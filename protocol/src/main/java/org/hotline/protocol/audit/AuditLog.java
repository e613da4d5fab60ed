package org.hotline.protocol.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.files.OwnerOnlyFiles;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.crypto.SignatureContext;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.Pem;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.WireWriter;

/**
 * An append-only, tamper-evident log (PROTOCOL.md §11): one JSON object per line, each holding its
 * sequence number, time and the SHA-256 of the previous line; every {@code checkpointEvery}
 * entries and at close, a checkpoint signed with the owner's identity key over the RFC 9162
 * Merkle tree of all lines before it. Lines reach the operating system as they are written (a
 * process crash loses nothing written); checkpoints and close also force them to disk.
 * Reopening a log whose last line was torn by a crash records that in a {@code recovered} entry
 * and continues. Thread-safe.
 */
public final class AuditLog implements AutoCloseable {

    /**
     * Only to tell a torn line on reopening (not one JSON object, or something after it); every
     * entry is written and read through {@link AuditCodec}.
     */
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    static final HexFormat HEX = HexFormat.of();
    static final byte[] ZERO_HASH = new byte[32];

    private final Path file;
    private final FileChannel channel;
    private final String owner;
    private final IdentityKeyPair key;
    private final Clock clock;
    private final int checkpointEvery;
    private final MerkleTree tree = new MerkleTree();
    /** Role → SHA-256 of the identity certificate (PEM) last logged for it; a reissued one is logged again. */
    private final Map<String, byte[]> certificatesLogged = new HashMap<>();
    private byte[] previousLineHash = ZERO_HASH;
    private long nextSeq;
    private int sinceCheckpoint;
    private boolean closed;
    /** The newest checkpoint line of this log, as it is sent to peers (PROTOCOL.md §4.2 LogCheckpoint). */
    private Content.LogCheckpoint lastCheckpoint;
    private Consumer<Content.LogCheckpoint> checkpointListener = c -> { };

    private AuditLog(Path file, FileChannel channel, String owner, IdentityKeyPair key, Clock clock, int checkpointEvery) {
        this.file = file;
        this.channel = channel;
        this.owner = owner;
        this.key = key;
        this.clock = clock;
        this.checkpointEvery = checkpointEvery;
    }

    /**
     * Opens (or creates) the log of {@code owner}. A new log starts with a {@code log-opened} entry
     * holding the owner's identity certificate and the CA certificate.
     *
     * @throws IOException if the file cannot be written, or belongs to another owner
     */
    public static AuditLog open(Path file, String owner, IdentityKeyPair key, X509Certificate ownerCertificate,
                                X509Certificate caCertificate, Clock clock, int checkpointEvery) throws IOException {
        boolean existed = Files.exists(file) && Files.size(file) > 0;
        // The log holds plaintext (client) or message metadata (relay): owner-only, whatever the umask.
        OwnerOnlyFiles.file(file);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        AuditLog log = new AuditLog(file, ch, owner, key, clock, checkpointEvery);
        try {
            if (existed) {
                log.resume();
                // The owner's own credential may have been reissued since: its checkpoints must verify.
                log.ensureCertificate(owner, ownerCertificate);
            } else {
                log.append(new AuditEvent.LogOpened(owner, Pem.certificate(ownerCertificate),
                        Pem.certificate(caCertificate), CertificateValidator.fingerprint(caCertificate)));
                log.certificatesLogged.put(owner, der(ownerCertificate));
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return log;
    }

    /** Rebuilds the chain state from the existing file; a torn last line is recorded, not dropped. */
    private void resume() throws IOException {
        byte[] all = Files.readAllBytes(file);
        List<byte[]> lines = splitLines(all);
        boolean endsWithNewline = all.length > 0 && all[all.length - 1] == '\n';
        int torn = -1;
        for (int i = 0; i < lines.size(); i++) {
            byte[] line = lines.get(i);
            boolean last = i == lines.size() - 1;
            JsonNode node = null;
            try {
                node = JSON.readTree(line);
            } catch (IOException e) {
                node = null;
            }
            if (node == null || !node.isObject() || (last && !endsWithNewline)) {
                if (!last) {
                    // An earlier bad line was already recovered (or the file was tampered): keep
                    // chaining from valid lines; the verifier judges the file.
                    continue;
                }
                torn = i + 1;
                continue;
            }
            if (i == 0 && !owner.equals(node.path("owner").asText())) {
                throw new IOException(file + " is the audit log of " + node.path("owner").asText() + ", not " + owner);
            }
            if (node.path("type").asText().equals(AuditEntryType.PEER_CERTIFICATE)) {
                certificatesLogged.put(node.path("role").asText(), der(node.path("certificate").asText()));
            } else if (node.path("type").asText().equals(AuditEntryType.LOG_OPENED)) {
                certificatesLogged.put(owner, der(node.path("certificate").asText()));
            }
            tree.append(MerkleTree.leafHash(line));
            nextSeq = node.path("seq").asLong() + 1;
            boolean isCheckpoint = node.path("type").asText().equals(AuditEntryType.CHECKPOINT);
            if (isCheckpoint) {
                lastCheckpoint = checkpointLine(line).orElse(null);
            }
            previousLineHash = Hashes.sha256(line);
            sinceCheckpoint = isCheckpoint ? 0 : sinceCheckpoint + 1;
        }
        if (torn > 0) {
            if (!endsWithNewline) {
                channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
            }
            append(new AuditEvent.Recovered(torn, Hashes.sha256(lines.get(torn - 1))));
        }
    }

    /** A checkpoint line read back on reopening, as peers are sent it; empty if it is not one. */
    private static Optional<Content.LogCheckpoint> checkpointLine(byte[] line) {
        try {
            AuditEntry e = AuditCodec.decode(line);
            if (e.event() instanceof AuditEvent.Checkpoint c) {
                return Optional.of(new Content.LogCheckpoint(c.signer(), c.treeSize(), e.time().toString(),
                        Hash32.of(e.prev()), Hash32.of(c.root()), c.signature()));
            }
        } catch (AuditFormatException | IllegalArgumentException notOne) {
            // The verifier judges the file; a line we cannot read is simply not sent to peers.
        }
        return Optional.empty();
    }

    /**
     * Appends {@code event} as the next entry. Checkpoints are written by the log itself
     * ({@link #checkpoint()}), never appended.
     */
    public synchronized void append(AuditEvent event) throws IOException {
        ensureOpen();
        if (event instanceof AuditEvent.Checkpoint) {
            throw new IllegalArgumentException("checkpoints are signed by the log itself: call checkpoint()");
        }
        writeLine(AuditCodec.encode(nextSeq, clock.instant(), previousLineHash, event));
        if (++sinceCheckpoint >= checkpointEvery) {
            checkpoint();
        }
    }

    /**
     * Appends {@code events} in order, as {@link #append} one by one would (same lines, same
     * checkpoints), but hands the lines between two checkpoints to the operating system in one
     * write: a writer that produces entries in batches (the relay, once per group commit) pays one
     * system call per batch instead of one per entry. A failed write takes back the whole unwritten
     * part, so no partial line is left.
     */
    public synchronized void appendAll(List<AuditEvent> events) throws IOException {
        ensureOpen();
        List<byte[]> lines = new ArrayList<>(events.size());
        long seq = nextSeq;
        byte[] prev = previousLineHash;
        for (AuditEvent event : events) {
            if (event instanceof AuditEvent.Checkpoint) {
                throw new IllegalArgumentException("checkpoints are signed by the log itself: call checkpoint()");
            }
            byte[] line = AuditCodec.encode(seq++, clock.instant(), prev, event);
            lines.add(line);
            prev = Hashes.sha256(line);
            if (sinceCheckpoint + lines.size() >= checkpointEvery) {
                writeLines(lines);
                lines.clear();
                checkpoint();
                seq = nextSeq;
                prev = previousLineHash;
            }
        }
        if (!lines.isEmpty()) {
            writeLines(lines);
        }
    }

    /**
     * Logs a peer's identity certificate when it is first used and again whenever it changes, so
     * the log verifies with only the CA certificate. Called for every message and receipt, so the
     * usual case is one byte comparison.
     */
    public synchronized void ensureCertificate(String role, X509Certificate identityCertificate) throws IOException {
        byte[] der = der(identityCertificate);
        if (!Arrays.equals(der, certificatesLogged.get(role))) {
            append(new AuditEvent.PeerCertificate(role, Pem.certificate(identityCertificate)));
            certificatesLogged.put(role, der);
        }
    }

    private static byte[] der(X509Certificate cert) throws IOException {
        try {
            return cert.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException("unencodable certificate: " + e.getMessage(), e);
        }
    }

    /** The DER of a logged PEM certificate; empty if unreadable, so the next use logs it again. */
    private static byte[] der(String pem) {
        try {
            return Pem.parseCertificate(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).getEncoded();
        } catch (java.security.cert.CertificateException e) {
            return new byte[0];
        }
    }

    /**
     * Signs an evaluator's note, observed now by the log's clock, with the owner's identity key and
     * appends it (PROTOCOL.md §11.3 {@code evaluator-note}); returns the entry as written.
     *
     * @throws IllegalArgumentException blank or longer than {@link AuditEvent.EvaluatorNote#MAX_TEXT_BYTES}
     */
    public synchronized AuditEvent.EvaluatorNote evaluatorNote(Instant scenarioTime, String text) throws IOException {
        return evaluatorNote(clock.instant(), scenarioTime, text);
    }

    /** As {@link #evaluatorNote(Instant, String)}, observed at {@code observedAt} rather than now. */
    public synchronized AuditEvent.EvaluatorNote evaluatorNote(Instant observedAt, Instant scenarioTime, String text)
            throws IOException {
        // Millisecond precision, as every time a person reads in the log; the line writes exactly these.
        Instant observed = Instant.ofEpochMilli(observedAt.toEpochMilli());
        Instant scenario = Instant.ofEpochMilli(scenarioTime.toEpochMilli());
        byte[] signature = key.sign(SignatureContext.EVALUATOR_NOTE,
                AuditEvent.EvaluatorNote.signedBytes(owner, observed, scenario, text));
        AuditEvent.EvaluatorNote note = new AuditEvent.EvaluatorNote(owner, observed, scenario, text, signature);
        append(note);
        return note;
    }

    /** Writes a signed checkpoint over every line so far and forces the file to disk. */
    public synchronized void checkpoint() throws IOException {
        ensureOpen();
        long seq = nextSeq;
        Instant time = clock.instant();
        long treeSize = tree.size();
        byte[] root = tree.root();
        byte[] prev = previousLineHash;
        byte[] signature = key.sign(SignatureContext.AUDIT_CHECKPOINT,
                checkpointSignedBytes(seq, time.toString(), prev, owner, treeSize, root));
        writeLine(AuditCodec.encode(seq, time, prev, new AuditEvent.Checkpoint(owner, treeSize, root, signature)));
        sinceCheckpoint = 0;
        channel.force(false);
        lastCheckpoint = new Content.LogCheckpoint(owner, treeSize, time.toString(), Hash32.of(prev), Hash32.of(root),
                signature);
        checkpointListener.accept(lastCheckpoint);
    }

    /**
     * Called with every checkpoint this log writes, on the writing thread and while the log is
     * locked: the listener must only hand it on, never write to this log itself.
     */
    public synchronized void onCheckpoint(Consumer<Content.LogCheckpoint> listener) {
        this.checkpointListener = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** The newest signed checkpoint of this log (also after reopening), as it is sent to peers. */
    public synchronized Optional<Content.LogCheckpoint> lastCheckpoint() {
        return Optional.ofNullable(lastCheckpoint);
    }

    /**
     * Whether {@code checkpoint} is signed by {@code key} over the checkpoint input of PROTOCOL.md
     * §11.2 ({@code seq} = {@code treeSize}): how a receiver checks a peer's checkpoint before
     * recording it, and the verifier a recorded one.
     */
    public static boolean verifies(Content.LogCheckpoint checkpoint, IdentityPublicKey key) {
        return key.verify(SignatureContext.AUDIT_CHECKPOINT, checkpoint.signature(), signedBytes(checkpoint));
    }

    /** The bytes a checkpoint's signature covers after the context prefix (PROTOCOL.md §11.2). */
    public static byte[] signedBytes(Content.LogCheckpoint checkpoint) {
        return checkpointSignedBytes(checkpoint.treeSize(), checkpoint.time(), checkpoint.prev().bytes(),
                checkpoint.owner(), checkpoint.treeSize(), checkpoint.root().bytes());
    }

    static byte[] checkpointSignedBytes(long seq, String time, byte[] prev, String signer, long treeSize, byte[] root) {
        return new WireWriter(128).u64(seq).string(time).fixed(prev).string(signer).u64(treeSize).fixed(root)
                .toByteArray();
    }

    /** Lines already chained to each other and to the last line written, in one write. */
    private void writeLines(List<byte[]> lines) throws IOException {
        int total = 0;
        for (byte[] line : lines) {
            total += line.length + 1;
        }
        ByteBuffer b = ByteBuffer.allocate(total);
        for (byte[] line : lines) {
            b.put(line).put((byte) '\n');
        }
        b.flip();
        long before = channel.size();
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            channel.truncate(before);
            throw e;
        }
        for (byte[] line : lines) {
            tree.append(MerkleTree.leafHash(line));
            previousLineHash = Hashes.sha256(line);
            nextSeq++;
            sinceCheckpoint++;
        }
    }

    private void writeLine(byte[] line) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
        long before = channel.size();
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            // A partial line would be glued to the next one; take it back so the log stays verifiable.
            channel.truncate(before);
            throw e;
        }
        tree.append(MerkleTree.leafHash(line));
        previousLineHash = Hashes.sha256(line);
        nextSeq++;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("audit log " + file + " is closed");
        }
    }

    public Path file() {
        return file;
    }

    public synchronized long size() {
        return nextSeq;
    }

    /** Closes with a final checkpoint, so the whole log is covered by a signature. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        if (sinceCheckpoint > 0) {
            checkpoint();
        }
        closed = true;
        channel.force(true);
        channel.close();
    }

    /** The file's lines without their 0x0A; a last line without one is kept (it may be torn). */
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

    /**
     * The lines of a log file that are entries to read (PROTOCOL.md §11.5): all but a torn line,
     * which is one the next line's {@code recovered} entry names, or a last line without its 0x0A.
     * The rule {@link AuditVerifier} applies (it also checks the torn line's hash, and refuses a
     * last line without 0x0A where this only skips it), so a reader of the owner's own log counts
     * exactly the entries a verifier will.
     */
    public static List<byte[]> untornLines(byte[] all) {
        List<byte[]> lines = splitLines(all);
        boolean endsWithNewline = all.length > 0 && all[all.length - 1] == '\n';
        List<byte[]> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            boolean last = i == lines.size() - 1;
            if (last ? !endsWithNewline : recoveryNaming(lines.get(i + 1), i + 1).isPresent()) {
                continue;
            }
            out.add(lines.get(i));
        }
        return out;
    }

    /** {@code next}'s {@code recovered} entry if it is one and names line {@code tornLine} (1-based). */
    static Optional<AuditEvent.Recovered> recoveryNaming(byte[] next, int tornLine) {
        try {
            AuditEntry e = AuditCodec.decode(next);
            return e.event() instanceof AuditEvent.Recovered r && r.tornLine() == tornLine
                    ? Optional.of(r) : Optional.empty();
        } catch (AuditFormatException notARecovery) {
            return Optional.empty();
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
