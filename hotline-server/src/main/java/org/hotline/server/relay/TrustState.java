package org.hotline.server.relay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.PkiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's current view of the exercise PKI: {@code ca.crt} plus the latest valid
 * {@code crl.pem}. {@link #refresh()} reloads the CRL when the file changed; a new CRL that fails
 * to load (half-written, bad signature) is ignored with an error log and the previous one stays.
 */
public final class TrustState {

    private static final Logger log = LoggerFactory.getLogger(TrustState.class);

    private final ExerciseDirectory directory;
    private final Clock clock;
    private final AtomicReference<CertificateValidator> current;
    private volatile FileTime loadedCrlTime;
    private volatile long loadedCrlSize;

    public TrustState(ExerciseDirectory directory, Clock clock) throws PkiException {
        this.directory = directory;
        this.clock = clock;
        this.current = new AtomicReference<>(directory.validator());
        recordCrlFile();
    }

    public CertificateValidator validator() {
        return current.get();
    }

    /** @return true if a new CRL was loaded */
    public boolean refresh() {
        Path crl = directory.resolve(ExerciseDirectory.CRL);
        try {
            FileTime t = Files.getLastModifiedTime(crl);
            long size = Files.size(crl);
            if (t.equals(loadedCrlTime) && size == loadedCrlSize) {
                return false;
            }
            CertificateValidator next = directory.validator();
            current.set(next);
            loadedCrlTime = t;
            loadedCrlSize = size;
            log.info("reloaded CRL ({} revoked certificates)",
                    next.crl().getRevokedCertificates() == null ? 0 : next.crl().getRevokedCertificates().size());
            if (next.crlIsStale(clock.instant())) {
                log.warn("the CRL's nextUpdate has passed; revocations issued since may be missing");
            }
            return true;
        } catch (Exception e) {
            log.error("cannot reload {}; keeping the previous CRL: {}", crl, e.getMessage());
            return false;
        }
    }

    private void recordCrlFile() {
        try {
            Path crl = directory.resolve(ExerciseDirectory.CRL);
            loadedCrlTime = Files.getLastModifiedTime(crl);
            loadedCrlSize = Files.size(crl);
        } catch (Exception e) {
            loadedCrlTime = null;
        }
    }
}
