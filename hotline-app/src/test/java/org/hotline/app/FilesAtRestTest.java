package org.hotline.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything a client or the relay writes is owner-only: directories 0700, files 0600, including
 * SQLite's own -wal/-shm files, and files that a permissive umask (or an older version) left
 * world-readable (THREAT_MODEL.md §8). The client's files hold decrypted plaintext.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FilesAtRestTest {

    static final Map<String, String> ENV = Map.of("HOTLINE_PASSPHRASE", TestExercise.PASSPHRASE);

    @TempDir
    Path tmp;

    @BeforeEach
    void posixOnly() {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "file modes exist only on POSIX file systems");
    }

    private int send(RelayFixture relay, Path data) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = {"send", "--exercise", relay.exercise().dir().toString(), "--as", "in.pm", "--server",
                "127.0.0.1:" + relay.port(), "--data", data.toString(), "--to", "pk.pm", "--text", "at rest",
                "--wait", "accepted"};
        int code = HotlineMain.run(args, ENV, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        return code;
    }

    private static void assertOwnerOnly(Path root) throws Exception {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                assertThat(mode).as(p.toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
            }
        }
    }

    @Test
    void clientAndRelayDataDirectories_areOwnerOnly() throws Exception {
        Path client = tmp.resolve("client-data").resolve("in.pm");
        try (RelayFixture relay = new RelayFixture(tmp, c -> c)) {
            send(relay, client);
            try (Stream<Path> files = Files.list(relay.dataDir())) {
                assertThat(files.map(p -> p.getFileName().toString()).toList())
                        .contains("mailbox.db", "mailbox.db-wal", "mailbox.db-shm", "relay-audit.jsonl");
            }
            assertOwnerOnly(relay.dataDir());
        }
        try (Stream<Path> files = Files.list(client)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .contains("client.db", "audit.jsonl", "prekeys.p12");
        }
        assertOwnerOnly(client.getParent());
    }

    @Test
    void clientStoreWalAndShm_areOwnerOnlyWhileOpen() throws Exception {
        // SQLite removes -wal and -shm when the last connection closes: check them while the store is open.
        Path dir = tmp.resolve("store-only");
        try (var store = org.hotline.client.core.store.SqliteClientStore.open(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()).toList())
                        .contains("client.db", "client.db-wal", "client.db-shm");
            }
            assertOwnerOnly(dir);
        }
    }

    @Test
    void filesLeftWorldReadable_areTightenedOnOpen() throws Exception {
        // What a umask of 000 (or an older version) leaves behind: an empty log and store, mode 0666.
        Path client = Files.createDirectories(tmp.resolve("old-client"));
        List<Path> loose = List.of(client.resolve("client.db"), client.resolve("audit.jsonl"));
        for (Path p : loose) {
            Files.createFile(p);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-rw-rw-"));
        }
        try (RelayFixture relay = new RelayFixture(tmp, c -> c)) {
            send(relay, client);
        }
        for (Path p : loose) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString())
                    .isEqualTo("rw-------");
        }
        try (Stream<Path> all = Files.list(client)) {
            for (Path p : all.toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString())
                        .isEqualTo("rw-------");
            }
        }
    }
}
