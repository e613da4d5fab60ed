package org.hotline.protocol.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Roles' identity keys, taken from {@code identities/<role>.crt} and validated for the
 * {@code identity} purpose (PROTOCOL.md §9), the one cache both the relay and the client use.
 * Parsing and validating a certificate for every message and receipt would cost about a
 * millisecond each time, so a validated key is reused, but only while nothing that decided it has
 * changed. The one invalidation rule: a cached key is used only if
 * <ol>
 *   <li>the certificate bytes are the same, byte for byte (a reissue rewrites the file;
 *       modification times can be too coarse to tell),</li>
 *   <li>the validator is the same instance (a reloaded CRL is a new validator, so a revocation
 *       applies at once), and</li>
 *   <li>the certificate's validity window still covers the time of the lookup.</li>
 * </ol>
 * Anything else validates afresh; a failure is never cached. The certificate's CN must also be
 * the role it is filed under.
 *
 * <p>Threads: safe for concurrent use. A lookup runs on the caller's thread. Where the bytes come
 * from is the one difference between the two factories: {@link #readingOnLookup} reads the file
 * on every lookup (blocking file I/O: never call it on a Netty event loop; the client calls it on
 * its core thread), {@link #readingOnRefresh} reads the files only in {@link #refresh()}, so a
 * lookup touches no file and may run on an event loop (the relay; its housekeeping thread
 * refreshes).
 */
public final class IdentityKeyCache {

    private static final Logger log = LoggerFactory.getLogger(IdentityKeyCache.class);
    private static final String SUFFIX = ".crt";

    /** A validated key with the certificate it came from, looked up together. */
    public record Identity(IdentityPublicKey key, X509Certificate certificate) {
        public Identity {
            Objects.requireNonNull(key);
            Objects.requireNonNull(certificate);
        }
    }

    private record Entry(CertificateValidator validator, byte[] bytes, Identity identity) {
    }

    private final ExerciseDirectory directory;
    private final boolean readsOnLookup;
    /** Certificate bytes by role as of the last {@link #refresh()}; unused when reading on lookup. */
    private volatile Map<String, byte[]> snapshot = Map.of();
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private IdentityKeyCache(ExerciseDirectory directory, boolean readsOnLookup) {
        this.directory = Objects.requireNonNull(directory);
        this.readsOnLookup = readsOnLookup;
    }

    /**
     * Reads {@code identities/<role>.crt} on every lookup, so a reissued certificate is used by the
     * very next lookup. Lookups do blocking file I/O: call them off any Netty event loop.
     */
    public static IdentityKeyCache readingOnLookup(ExerciseDirectory directory) {
        return new IdentityKeyCache(directory, true);
    }

    /**
     * Reads every {@code identities/*.crt} now and again at each {@link #refresh()}; lookups read
     * no file. A reissued certificate is used from the first refresh after it was written. This
     * constructor reads files: call it at start-up, not on an event loop.
     */
    public static IdentityKeyCache readingOnRefresh(ExerciseDirectory directory) {
        IdentityKeyCache cache = new IdentityKeyCache(directory, false);
        cache.refresh();
        return cache;
    }

    /**
     * The key and certificate of {@code role}, valid for {@code validator} at {@code now}: what
     * verified a message or receipt is what the audit log records.
     *
     * @throws PkiException if the certificate is missing, unreadable, malformed, not issued by the
     *     validator's CA, outside its validity window, revoked, not an identity certificate, or
     *     issued to another role
     */
    public Identity identity(String role, CertificateValidator validator, Instant now) throws PkiException {
        byte[] bytes = bytesOf(role);
        Entry e = entries.get(role);
        if (e != null && e.validator() == validator && Arrays.equals(e.bytes(), bytes)
                && covers(e.identity().certificate(), now)) {
            return e.identity();
        }
        entries.remove(role);
        X509Certificate cert = parse(role, bytes);
        PeerIdentity id = validator.validate(cert, CertificatePurpose.IDENTITY, now);
        if (!id.role().equals(role)) {
            throw new PkiException(PkiException.Reason.WRONG_PURPOSE,
                    ExerciseDirectory.IDENTITIES_DIR + "/" + role + SUFFIX + " is a certificate for " + id.role());
        }
        Identity fresh = new Identity(CertificateValidator.identityKeyOf(cert), cert);
        entries.put(role, new Entry(validator, bytes, fresh));
        return fresh;
    }

    /**
     * Re-reads every {@code identities/*.crt} (blocking file I/O: call it on a background thread).
     * A file that cannot be read is left out, and its role's lookups fail as for a missing file
     * until a refresh reads it; a directory that cannot be listed keeps the previous snapshot.
     * Does nothing for a cache that reads on lookup.
     */
    public void refresh() {
        if (readsOnLookup) {
            return;
        }
        Map<String, byte[]> previous = snapshot;
        Map<String, byte[]> next = new HashMap<>();
        Path dir = directory.resolve(ExerciseDirectory.IDENTITIES_DIR);
        try (var files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (!name.endsWith(SUFFIX)) {
                    continue;
                }
                String role = name.substring(0, name.length() - SUFFIX.length());
                try {
                    byte[] bytes = Files.readAllBytes(file);
                    byte[] old = previous.get(role);
                    // Keep the old array when nothing changed: lookups then compare one reference.
                    next.put(role, Arrays.equals(old, bytes) ? old : bytes);
                } catch (IOException e) {
                    log.warn("cannot read {}: {}", file, e.getMessage());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // Never thrown on: the relay refreshes from a scheduled task that one exception would end.
            log.warn("cannot list {}; keeping the identity certificates read before: {}", dir, e.getMessage());
            return;
        }
        snapshot = Map.copyOf(next);
    }

    private byte[] bytesOf(String role) throws PkiException {
        Path file = directory.identityCertificate(role);
        if (readsOnLookup) {
            return Pem.readFile(file, "certificate");
        }
        byte[] bytes = snapshot.get(role);
        if (bytes == null) {
            throw new PkiException(PkiException.Reason.MISSING_FILE, "certificate file not found: " + file);
        }
        return bytes;
    }

    private X509Certificate parse(String role, byte[] bytes) throws PkiException {
        try {
            return Pem.parseCertificate(bytes);
        } catch (CertificateException e) {
            throw new PkiException(PkiException.Reason.MALFORMED,
                    directory.identityCertificate(role) + " is not a valid certificate");
        }
    }

    private static boolean covers(X509Certificate cert, Instant now) {
        return !now.isBefore(cert.getNotBefore().toInstant()) && !now.isAfter(cert.getNotAfter().toInstant());
    }
}
