package org.hotline.client.core.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The client's stores, one per concern, and how to close them together: SQLite in production,
 * in-memory and deliberately faulty ones in tests.
 */
public record ClientStores(OutboxStore outbox, InboxStore inbox, PeerPrekeyStore peerPrekeys, Runnable closer) {

    /** All three in {@code <dataDir>/client.db}. */
    public static ClientStores sqlite(Path dataDir) throws IOException {
        SqliteClientStore db = SqliteClientStore.open(dataDir);
        return new ClientStores(db, db, db, db::close);
    }

    public void close() {
        closer.run();
    }
}
