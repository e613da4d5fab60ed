package org.hotline.server.relay;

import java.time.Clock;
import org.hotline.protocol.crypto.IdentityPublicKey;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.IdentityKeyCache;
import org.hotline.protocol.pki.PkiException;

/**
 * The relay's view of roles' identity keys: the shared {@link IdentityKeyCache} (and its one
 * invalidation rule), asked with the relay's current CRL and clock. Lookups read no file, so the
 * relay logic may call them on a Netty event loop; the certificate files are read at construction
 * and by {@link #refresh()} on the relay's housekeeping thread.
 */
public final class IdentityDirectory {

    private final IdentityKeyCache cache;
    private final TrustState trust;
    private final Clock clock;

    /** Reads the identity certificate files: call at start-up. */
    public IdentityDirectory(ExerciseDirectory directory, TrustState trust, Clock clock) {
        this.cache = IdentityKeyCache.readingOnRefresh(directory);
        this.trust = trust;
        this.clock = clock;
    }

    /** @throws PkiException if the role's identity certificate is missing, expired, revoked or foreign */
    public IdentityPublicKey keyOf(String role) throws PkiException {
        return identityOf(role).key();
    }

    /** The key and its certificate in one lookup: what verified a receipt is what the audit log records. */
    public IdentityKeyCache.Identity identityOf(String role) throws PkiException {
        return cache.identity(role, trust.validator(), clock.instant());
    }

    /** Re-reads the identity certificate files (a reissue); blocking, for the housekeeping thread. */
    public void refresh() {
        cache.refresh();
    }
}
