package org.hotline.client.core.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The client's stores, one per concern, and how to close them together: SQLite in production,
 * in-memory and deliberately faulty ones in tests.
 */
public record ClientStores(OutboxStore outbox, InboxStore inbox, PeerPrekeyStore peerPrekeys, Runnable closer) {

    /**
     * All three in {@code <dataDir>/client.db}, holding the directory's lock until closed: a second
     * process on the same directory fails here, naming the holder ({@link DataDirectoryLock}).
     */
    public static ClientStores sqlite(Path dataDir) throws IOException {
        DataDirectoryLock lock = DataDirectoryLock.acquire(dataDir);
        SqliteClientStore db;
        try {
            db = SqliteClientStore.open(dataDir);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        return new ClientStores(db, db, db, () -> {
            db.close();
            lock.close();
        });
    }

    public void close() {
        closer.run();
    }
}
