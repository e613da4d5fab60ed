package org.hotline.client.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client store's durability settings, read on its own connection: kill -9 leaves the page cache
 * intact, so the crash suites (ClientProcessTest) would pass with fsync off; this would not.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteClientStoreDurabilityTest {

    @TempDir
    Path dir;

    @Test
    void clientStore_isWalWithSynchronousFull_onEveryOpen() throws Exception {
        for (int open = 0; open < 2; open++) {
            SqliteClientStore store = SqliteClientStore.open(dir);
            try {
                assertThat(store.pragma("journal_mode")).isEqualTo("wal");
                // SQLite numbers FULL as 2 (NORMAL 1, OFF 0).
                assertThat(store.pragma("synchronous")).isEqualTo("2");
            } finally {
                store.close();
            }
        }
    }
}
