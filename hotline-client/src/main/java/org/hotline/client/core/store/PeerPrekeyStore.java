package org.hotline.client.core.store;

import java.util.Optional;
import org.hotline.protocol.wire.SignedPrekeyBytes;

/** Peers' newest verified prekeys, as last fetched from the relay (PROTOCOL.md §5.2). */
public interface PeerPrekeyStore {

    void putPeerPrekey(String role, SignedPrekeyBytes prekey) throws StoreException;

    Optional<SignedPrekeyBytes> peerPrekey(String role) throws StoreException;

    /**
     * Remembers for good that {@code role} has rotated (a rotated prekey signed by it was seen):
     * its initial prekey, whose private half the facilitator also holds, is never sealed to again
     * (THREAT_MODEL.md §4.1).
     */
    void markPeerRotated(String role) throws StoreException;

    /** Whether {@link #markPeerRotated} was ever called for {@code role}. */
    boolean peerRotated(String role) throws StoreException;
}
