package org.hotline.client.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite peer-prekey store keeps "this peer has rotated" across restarts (THREAT_MODEL.md §4.1). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PeerPrekeysStoreTest {

    @TempDir
    Path dir;

    @Test
    void aPeerMarkedRotated_staysRotatedAfterTheStoreIsReopened() throws Exception {
        try (SqliteClientStore store = SqliteClientStore.open(dir)) {
            assertThat(store.peerRotated("pk.pm")).isFalse();
            store.markPeerRotated("pk.pm");
            store.markPeerRotated("pk.pm"); // again: no error
            assertThat(store.peerRotated("pk.pm")).isTrue();
            assertThat(store.peerRotated("in.pm")).isFalse();
        }
        try (SqliteClientStore reopened = SqliteClientStore.open(dir)) {
            assertThat(reopened.peerRotated("pk.pm")).isTrue();
        }
    }
}
