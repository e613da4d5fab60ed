package org.hotline.app.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hotline.app.HotlineMain;
import org.hotline.client.control.ControlClock;
import org.hotline.client.control.MselPlayer;
import org.hotline.client.core.ClientConfig;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.ReceivedInject;
import org.hotline.client.core.ScenarioClock;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.exercise.msel.Msel;
import org.hotline.protocol.exercise.msel.MselFiles;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Exercise control end to end through a real relay: the MSEL played, the clock paused, resumed and restarted. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExerciseControlTest {

    /** Three injects ten scenario minutes apart: at 600x, one real second apart. */
    static final String MSEL = """
            exercise: south-asia
            title: Three steps
            scenarioStart: "2026-05-07T06:30:00+05:30"
            injects:
              - {id: S-1, time: "0:00", to: in.pm, kind: situation, title: One, text: First event.}
              - {id: S-2, time: "0:10", to: in, kind: news, title: Two, text: Second event.}
              - {id: S-3, time: "0:20", to: all, kind: media, title: Three, text: Third event.}
            """;

    @TempDir
    Path tmp;
    RelayFixture relay;
    final List<HotlineClient> clients = new ArrayList<>();
    final List<ReceivedInject> injects = new CopyOnWriteArrayList<>();
    final List<ScenarioClock> clocks = new CopyOnWriteArrayList<>();

    @BeforeEach
    void relay() throws Exception {
        relay = new RelayFixture(tmp, c -> c);
    }

    @AfterEach
    void stop() {
        clients.forEach(HotlineClient::close);
        relay.close();
    }

    HotlineClient client(String role) throws Exception {
        ClientConfig c = ClientConfig.defaults(relay.exercise().dir(), role, "127.0.0.1", relay.port(),
                tmp.resolve("clients").resolve(role)).withKdfIterations(TestExercise.TEST_KDF_ITERATIONS);
        HotlineClient client = HotlineClient.open(c, TestExercise.PASSPHRASE.toCharArray(), Clock.systemUTC());
        clients.add(client);
        return client;
    }

    HotlineClient india() throws Exception {
        HotlineClient india = client("in.pm");
        india.addListener(new ClientListener() {
            @Override
            public void injectReceived(ReceivedInject inject) {
                injects.add(inject);
            }

            @Override
            public void exerciseClockChanged(ScenarioClock clock) {
                clocks.add(clock);
            }
        });
        india.start();
        return india;
    }

    MselPlayer player(HotlineClient control, int speedPermille) throws Exception {
        Msel msel = MselFiles.parse(MSEL, "steps.yaml", Optional.of(control.exercise()));
        MselPlayer p = MselPlayer.open(control, msel, tmp.resolve("clients/control"), speedPermille, Clock.systemUTC());
        control.start();
        p.start().get(10, TimeUnit.SECONDS);
        return p;
    }

    static List<String> ids(List<ReceivedInject> injects) {
        return injects.stream().map(ReceivedInject::injectId).toList();
    }

    @Test
    void msel_isPlayedInOrder_verifiedByTheParticipant_andEveryLogVerifies() throws Exception {
        india();
        HotlineClient control = client("control");
        try (MselPlayer player = player(control, 600_000)) {
            player.startClock().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> injects.size() == 3);
            assertThat(ids(injects)).containsExactly("S-1", "S-2", "S-3");
            assertThat(injects).allSatisfy(i -> {
                assertThat(i.verified()).isTrue();
                assertThat(i.from()).isEqualTo("control");
            });
            assertThat(injects.get(1).scenarioTime()).isEqualTo(Instant.parse("2026-05-07T01:10:00Z"));
            assertThat(clocks).isNotEmpty();
            assertThat(clocks.get(clocks.size() - 1).paused()).isFalse();
            await().atMost(Duration.ofSeconds(30)).until(() -> player.timeline().get().stream()
                    .allMatch(s -> s.state() == MselPlayer.InjectState.SENT && s.recipients().values().stream()
                            .allMatch(st -> st.ordinal() >= org.hotline.client.core.DeliveryState.ACCEPTED.ordinal())));
        }
        clients.forEach(HotlineClient::close);
        clients.clear();
        for (String role : List.of("control", "in.pm")) {
            var report = AuditVerifier.verify(tmp.resolve("clients").resolve(role).resolve("audit.jsonl"),
                    Optional.of(relay.exercise().directory().validator()));
            assertThat(report.problem()).as(role).isEmpty();
        }
    }

    @Test
    void pausingHoldsBackScheduledInjects_resumingReleasesThemInOrder() throws Exception {
        india();
        HotlineClient control = client("control");
        try (MselPlayer player = player(control, 600_000)) {
            player.startClock().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> injects.size() >= 1);
            player.pause().get(10, TimeUnit.SECONDS);
            int before = injects.size();
            Thread.sleep(2500); // more than both remaining injects' scenario distance at 600x
            assertThat(injects).hasSize(before);
            assertThat(player.timeline().get().get(2).state()).isEqualTo(MselPlayer.InjectState.PENDING);
            await().atMost(Duration.ofSeconds(10)).until(() -> !clocks.isEmpty() && clocks.get(clocks.size() - 1).paused());
            player.resume().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> injects.size() == 3);
            assertThat(ids(injects)).containsExactly("S-1", "S-2", "S-3");
        }
    }

    @Test
    void theClockAndWhatWasSent_surviveARestartOfControl() throws Exception {
        india();
        HotlineClient control = client("control");
        Instant pausedAt;
        try (MselPlayer player = player(control, 600_000)) {
            player.startClock().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> injects.size() >= 1);
            player.pause().get(10, TimeUnit.SECONDS);
            pausedAt = player.clockState().anchorScenario();
        }
        control.close();
        clients.remove(control);
        int received = injects.size();
        assertThat(Files.exists(tmp.resolve("clients/control").resolve(ControlClock.FILE))).isTrue();

        HotlineClient again = client("control");
        try (MselPlayer player = player(again, 1000)) {
            ControlClock.State s = player.clockState();
            assertThat(s.started()).isTrue();
            assertThat(s.paused()).isTrue();
            assertThat(s.speedPermille()).as("a stored clock keeps its speed").isEqualTo(600_000);
            assertThat(s.scenarioAt(Instant.now().plusSeconds(3600))).isEqualTo(pausedAt);
            Thread.sleep(1000);
            assertThat(injects).hasSize(received);
            player.resume().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> injects.size() == 3);
            assertThat(ids(injects)).as("nothing sent twice").containsExactly("S-1", "S-2", "S-3");
        }
    }

    @Test
    void skipAndEdit_changeWhatIsSent_fireNowSendsAtOnce() throws Exception {
        india();
        HotlineClient control = client("control");
        try (MselPlayer player = player(control, 1000)) {
            player.skip("S-2").get(10, TimeUnit.SECONDS);
            player.edit("S-3", "Three, revised", "Third event, as revised.").get(10, TimeUnit.SECONDS);
            player.fireNow("S-3").get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> injects.size() == 1);
            assertThat(injects.get(0).title()).isEqualTo("Three, revised");
            var timeline = player.timeline().get();
            assertThat(timeline).extracting(MselPlayer.InjectStatus::state).containsExactly(
                    MselPlayer.InjectState.PENDING, MselPlayer.InjectState.SKIPPED, MselPlayer.InjectState.SENT);
            assertThat(timeline.get(2).recipients()).containsOnlyKeys("in.pm", "pk.pm", "in.nsa", "pk.nsa");
        }
    }

    @Test
    void headlessCommand_playsTheShippedScenario_andExitsOnceTheLastInjectIsAccepted() throws Exception {
        Path msel = tmp.resolve("steps.yaml");
        Files.writeString(msel, MSEL);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HotlineMain.run(new String[] {"control", "--exercise", relay.exercise().dir().toString(),
                        "--msel", msel.toString(), "--server", "127.0.0.1:" + relay.port(), "--data",
                        tmp.resolve("cli-control").toString(), "--speed", "600", "--headless"},
                Map.of("HOTLINE_PASSPHRASE", TestExercise.PASSPHRASE), new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("S-1    sent       to in.pm").contains("S-3    accepted   for pk.nsa")
                .contains("every inject sent or skipped, the last one accepted");
    }

    @Test
    void mselValidate_exitsZeroForTheShippedScenario_andTwoNamingLineAndField() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(HotlineMain.run(new String[] {"msel", "validate", "south-asia", "--exercise",
                relay.exercise().dir().toString()}, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true)))
                .isZero();
        assertThat(out.toString()).contains("south-asia: valid, 20 injects");
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, MSEL.replace("to: in.pm", "to: xx.pm"));
        assertThat(HotlineMain.run(new String[] {"msel", "validate", bad.toString()}, Map.of(),
                new PrintWriter(out, true), new PrintWriter(err, true))).isEqualTo(2);
        assertThat(err.toString()).contains("bad.yaml:5: injects[0].to: unknown role or party 'xx.pm'");
    }
}
