package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hotline.protocol.crypto.PrekeyPair;
import org.hotline.protocol.pki.PrekeyFile;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.MessageId;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Nothing secret in any log (THREAT_MODEL.md §8, "No keys or passphrases in logs"): a whole
 * exercise in one process (the real relay over real TLS, two real clients sending, receiving,
 * acknowledging, testing the line, checkpointing and reconnecting) with every logger at DEBUG;
 * every line logged is searched for the passphrase, every encoding of every private key that took
 * part (identity, TLS, initial and rotated prekeys, the relay's) and the plaintext of the messages;
 * the relay's files are searched for the plaintext while it runs.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SecretsInLogsTest {

    @TempDir
    Path tmp;
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Logger root;
    private Level previous;
    private final List<Appender<ILoggingEvent>> detached = new ArrayList<>();

    @BeforeEach
    void captureEverything() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        previous = root.getLevel();
        // The console appender would print thousands of DEBUG lines into the build log: set aside.
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            detached.add(it.next());
        }
        detached.forEach(root::detachAppender);
        root.setLevel(Level.DEBUG);
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void release() {
        root.detachAppender(captured);
        detached.forEach(root::addAppender);
        root.setLevel(previous);
    }

    @Test
    void aWholeExerciseAtDebug_logsNoPassphraseNoPrivateKeyAndNoPlaintext() throws Exception {
        String marker = "PLAINTEXT-" + UUID.randomUUID();
        List<HotlineClient> cores = new ArrayList<>();
        try (RelayFixture relay = new RelayFixture(tmp, c -> c)) {
            Recorder in = new Recorder();
            Recorder pk = new Recorder();
            HotlineClient india = open(relay, "in.pm", in, cores);
            HotlineClient pakistan = open(relay, "pk.pm", pk, cores);
            india.start();
            pakistan.start();
            MessageId id = india.sendText("pk.pm", marker + " text").get(15, TimeUnit.SECONDS);
            assertThat(pk.next().text()).isEqualTo(marker + " text");
            pakistan.acknowledge(id).get(10, TimeUnit.SECONDS);
            in.awaitState(id, DeliveryState.ACKNOWLEDGED);
            MessageId reply = pakistan.sendText("in.pm", marker + " reply").get(15, TimeUnit.SECONDS);
            assertThat(in.next().id()).isEqualTo(reply);
            ClientCoreTest.awaitLink(in, l -> l.lastVerified().isPresent());
            india.checkpointAuditLog().get(10, TimeUnit.SECONDS);
            pakistan.dropConnection();
            pakistan.sendText("in.pm", marker + " after a reconnect").get(15, TimeUnit.SECONDS);
            assertThat(in.next().text()).isEqualTo(marker + " after a reconnect");
            // While the relay runs: every file it keeps (mailbox, its -wal and -shm, its audit log)
            // holds the messages only sealed, never the words that went through the real clients.
            try (Stream<Path> files = Files.walk(relay.dataDir())) {
                List<Path> kept = files.filter(Files::isRegularFile).toList();
                assertThat(kept.stream().map(f -> f.getFileName().toString()))
                        .contains("mailbox.db", "mailbox.db-wal", "relay-audit.jsonl");
                for (Path f : kept) {
                    assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString())
                            .doesNotContain(marker).doesNotContain(TestExercise.PASSPHRASE);
                }
            }
            cores.forEach(HotlineClient::close);

            Map<String, byte[]> keys = privateKeys(relay.exercise());
            List<String> logged = captured.list.stream().map(SecretsInLogsTest::text).toList();
            // The capture really saw the exercise at DEBUG, including both ends.
            assertThat(captured.list).anyMatch(e -> e.getLevel() == Level.DEBUG);
            assertThat(logged).anyMatch(l -> l.contains("connection opened: in.pm"));
            assertThat(logged).anyMatch(l -> l.contains("connection opened: pk.pm"));

            Map<String, String> forbidden = new LinkedHashMap<>();
            forbidden.put("the passphrase", TestExercise.PASSPHRASE);
            forbidden.put("the plaintext marker", marker);
            keys.forEach((name, k) -> encodings(k).forEach((how, s) -> forbidden.put(name + " as " + how, s)));
            assertThat(keys).hasSizeGreaterThanOrEqualTo(4 * 3 + 2 + 2);
            List<String> found = new ArrayList<>();
            for (String line : logged) {
                String lower = line.toLowerCase(Locale.ROOT);
                forbidden.forEach((what, secret) -> {
                    if (lower.contains(secret.toLowerCase(Locale.ROOT))) {
                        found.add(what + " in the log line: " + line);
                    }
                });
            }
            assertThat(found).as("secrets in the log").isEmpty();
        } finally {
            cores.forEach(HotlineClient::close);
        }
    }

    HotlineClient open(RelayFixture relay, String role, Recorder rec, List<HotlineClient> cores) throws Exception {
        ClientConfig c = ClientConfig.defaults(relay.exercise().dir(), role, "127.0.0.1", relay.port(),
                tmp.resolve("clients").resolve(role)).withLinkTestInterval(Duration.ofMillis(300))
                .withKdfIterations(TestExercise.TEST_KDF_ITERATIONS);
        HotlineClient core = HotlineClient.open(c, TestExercise.PASSPHRASE.toCharArray(), Clock.systemUTC());
        core.addListener(rec);
        cores.add(core);
        return core;
    }

    /** Every private key that took part: identity, TLS and initial prekey per role, the relay's, rotated prekeys. */
    Map<String, byte[]> privateKeys(TestExercise exercise) throws Exception {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String role : List.of("in.pm", "pk.pm", "in.nsa", "pk.nsa")) {
            RoleCredential c = exercise.role(role);
            keys.put(role + " identity key", c.identity().exportPrivateKeyForStorage());
            tls(keys, role + " TLS key", c.tlsKey());
            c.initialPrekey().ifPresent(p -> keys.put(role + " initial prekey", p.exportPrivateKeyForStorage()));
        }
        RelayCredential r = exercise.relay();
        keys.put("relay identity key", r.identity().exportPrivateKeyForStorage());
        tls(keys, "relay TLS key", r.tlsKey());
        for (String role : List.of("in.pm", "pk.pm")) {
            for (PrekeyPair p : PrekeyFile.read(tmp.resolve("clients").resolve(role).resolve("prekeys.p12"),
                    TestExercise.PASSPHRASE.toCharArray())) {
                keys.put(role + " prekey " + p.id(), p.exportPrivateKeyForStorage());
            }
        }
        return keys;
    }

    static void tls(Map<String, byte[]> keys, String name, PrivateKey k) {
        keys.put(name + " (PKCS#8)", k.getEncoded());
        if (k instanceof ECPrivateKey ec) {
            byte[] s = ec.getS().toByteArray();
            keys.put(name + " (scalar)", s.length > 32 ? Arrays.copyOfRange(s, s.length - 32, s.length) : s);
        }
    }

    /** The forms a key would take in a careless log line: hex, Base64 (both alphabets), PEM lines, Arrays.toString. */
    static Map<String, String> encodings(byte[] key) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("hex", HexFormat.of().formatHex(key));
        String b64 = Base64.getEncoder().withoutPadding().encodeToString(key);
        e.put("Base64", b64);
        e.put("Base64url", Base64.getUrlEncoder().withoutPadding().encodeToString(key));
        String mime = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key);
        String[] pem = mime.split("\n");
        for (int i = 0; i < pem.length; i++) {
            if (pem[i].length() >= 24) {
                e.put("PEM line " + (i + 1), pem[i]);
            }
        }
        e.put("Arrays.toString", Arrays.toString(key).substring(1, Arrays.toString(key).length() - 1));
        return e;
    }

    /** The whole of an event as an appender would write it: message, and every throwable's text and frames. */
    static String text(ILoggingEvent e) {
        StringBuilder b = new StringBuilder(e.getFormattedMessage() == null ? "" : e.getFormattedMessage());
        for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
            b.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
            for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
                b.append('\n').append(s.getSTEAsString());
            }
        }
        e.getMDCPropertyMap().forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        return b.toString();
    }
}
