package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.audit.AuditReport;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.RelayEndpoint;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.ExercisePki;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.server.config.RelayConfig;
import org.hotline.server.net.RelayServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exercise with two relays (PROTOCOL.md §13): {@code pki init --relays 2} names them after the
 * parties, each has its own credential whose certificates carry its name, and a client talking to
 * one of them verifies that relay's receipts and its log (origin {@code relay-in/<exercise id>}),
 * and its audit log verifies.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class NamedRelayTest {

    @TempDir
    Path tmp;

    @Test
    void pkiInitWithTwoRelays_issuesOneCredentialPerRelay_namedAfterTheParties() throws Exception {
        Path dir = tmp.resolve("exercise");
        Exercise exercise = new ExercisePki(Clock.systemUTC(), new SecureRandom(), TestExercise.TEST_KDF_ITERATIONS)
                .init(dir, "south-asia", Optional.of(TestExercise.PASSPHRASE.toCharArray()), 2).exercise();

        org.hotline.protocol.pki.HandoutPacks.write(dir, org.hotline.protocol.pki.HandoutPacks.PassphraseMode.SHARED);
        assertThat(exercise.relays()).extracting(RelayEndpoint::name).containsExactly("relay-in", "relay-pk");
        assertThat(exercise.relays().get(1).port()).isEqualTo(exercise.relays().get(0).port() + 1);
        ExerciseDirectory d = new ExerciseDirectory(dir);
        assertThat(d.exercise().relays()).isEqualTo(exercise.relays());
        assertThat(Files.exists(dir.resolve(ExerciseDirectory.SERVER_CREDENTIAL))).as("no relay named 'relay'").isFalse();
        for (RelayEndpoint r : exercise.relays()) {
            RelayCredential c = d.loadRelay(r.name(), TestExercise.PASSPHRASE.toCharArray(), Instant.now());
            assertThat(c.name()).isEqualTo(r.name());
            assertThat(CertificateValidator.commonName(c.tlsCertificate())).contains(r.name());
            assertThat(Files.exists(d.identityCertificate(r.name()))).isTrue();
        }
        // Each hand-out sheet lists both relays and their fingerprints.
        assertThat(Files.readString(dir.resolve("handout").resolve("in.pm").resolve("README.txt")))
                .contains("relay-in=", "relay-pk=", "identities/relay-in.crt", "identities/relay-pk.crt");
    }

    @Test
    void aClientOfNamedRelay_verifiesItsReceiptsAndItsLog_andItsAuditLogVerifies() throws Exception {
        Path dir = tmp.resolve("exercise");
        new ExercisePki(Clock.systemUTC(), new SecureRandom(), TestExercise.TEST_KDF_ITERATIONS)
                .init(dir, "south-asia", Optional.of(TestExercise.PASSPHRASE.toCharArray()), 2);
        ExerciseDirectory d = new ExerciseDirectory(dir);
        RelayCredential credential = d.loadRelay("relay-pk", TestExercise.PASSPHRASE.toCharArray(), Instant.now());
        try (RelayServer relay = RelayServer.start(d, d.exercise(), credential,
                RelayConfig.defaults("127.0.0.1", 0, tmp.resolve("relay-pk-data")), Clock.systemUTC())) {
            List<RelayEndpoint> path = List.of(new RelayEndpoint("relay-pk", "127.0.0.1", relay.address().getPort()));
            List<ReceivedMessage> shown = new CopyOnWriteArrayList<>();
            HotlineClient in = open(dir, "in.pm", path);
            HotlineClient pk = open(dir, "pk.pm", path);
            try {
                pk.addListener(new ClientListener() {
                    @Override
                    public void messageReceived(ReceivedMessage m) {
                        shown.add(m);
                    }
                });
                in.start();
                pk.start();
                var id = in.sendText("pk.pm", "through relay-pk").get(30, TimeUnit.SECONDS);
                in.whenState(id, DeliveryState.ACCEPTED).get(30, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (shown.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(shown).extracting(ReceivedMessage::text).containsExactly("through relay-pk");
            } finally {
                in.close();
                pk.close();
            }
            AuditReport report = AuditVerifier.verify(tmp.resolve("in.pm").resolve("audit.jsonl"),
                    Optional.of(d.validator()), Optional.of(d.exercise()));
            assertThat(report.problem()).as("in.pm's log").isEmpty();
            String log = Files.readString(tmp.resolve("in.pm").resolve("audit.jsonl"));
            assertThat(log).contains("\"relay-inclusion\"", "\"role\":\"relay-pk\"");
            // The checkpoints are of relay-pk's own log (origin relay-pk/<exercise id>, PROTOCOL.md §12.2).
            String origin = java.util.Base64.getEncoder().encodeToString(("relay-pk/" + credential.exerciseId().hex())
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII)).substring(0, 40);
            assertThat(log).contains(origin);
            assertThat(Files.readString(tmp.resolve("relay-pk-data").resolve(RelayServer.AUDIT_FILE)))
                    .contains("relay-pk");
        }
    }

    private HotlineClient open(Path dir, String role, List<RelayEndpoint> relays) throws Exception {
        RelayEndpoint first = relays.get(0);
        return HotlineClient.open(ClientConfig.defaults(dir, role, first.host(), first.port(), tmp.resolve(role))
                        .withRelays(relays).withKdfIterations(TestExercise.TEST_KDF_ITERATIONS),
                TestExercise.PASSPHRASE.toCharArray(), Clock.systemUTC());
    }
}
