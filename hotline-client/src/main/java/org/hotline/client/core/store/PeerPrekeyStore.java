package org.hotline.client.core.store;

import java.util.Optional;
import org.hotline.protocol.wire.SignedPrekeyBytes;

/** Peers' newest verified prekeys, as last fetched from the relay (PROTOCOL.md §5.2). */
public interface PeerPrekeyStore {

    void putPeerPrekey(String role, SignedPrekeyBytes prekey) throws StoreException;

    Optional<SignedPrekeyBytes> peerPrekey(String role) throws StoreException;
}
