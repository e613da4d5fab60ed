package org.hotline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hotline.app.ClientCliTest.cmd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hotline.app.cli.ExitCodes;
import org.hotline.app.testing.CliExercise;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code send --signal} with a notification that breaks its agreement: exit 2, one line naming the
 * rule, nothing signed or logged; the same notification within the rules goes out.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NotificationRulesCliTest {

    @TempDir
    static Path tmp;
    static CliExercise exercise;

    @BeforeAll
    static void start() throws Exception {
        exercise = new CliExercise(tmp);
    }

    @AfterAll
    static void stop() {
        exercise.close();
    }

    static ClientCliTest.Run run(String... args) {
        return ClientCliTest.run(CliExercise.ENV, args);
    }

    static ClientCliTest.Run send(String role, String to, String signal, Map<String, String> params) {
        List<String> a = new ArrayList<>(List.of(exercise.as(role, "--to", to, "--signal", signal)));
        params.forEach((k, v) -> a.addAll(List.of("--param", k + "=" + v)));
        return run(cmd("send", a.toArray(new String[0])));
    }

    static Map<String, String> missileTest(Instant opens, String launchKm) {
        return Map.of("missileType", "surface-to-surface ballistic missile", "windowStart", opens.toString(),
                "windowEnd", opens.plus(Duration.ofDays(2)).toString(), "launchArea", "Chandipur, Odisha coast",
                "launchKm", launchKm, "impactArea", "Bay of Bengal", "impactKm", "400", "bearing", "south-east, over the sea");
    }

    @Test
    void preNotificationWithTwoDaysNotice_exitsTwo_withOneLineNamingTheRule_andSignsNothing() throws Exception {
        Instant opens = Instant.now().plus(Duration.ofDays(2)).plus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.MINUTES);
        ClientCliTest.Run r = send("in.pm", "pk.pm", "notify.ballistic-missile-test", missileTest(opens, "120"));
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("pre-notification needs at least 3 days' notice (2005 agreement): launch window opens in 2 days");
        Path log = exercise.auditLog("in.pm");
        assertThat(!Files.exists(log) || !Files.readString(log).contains("message-sent")).as("nothing was signed").isTrue();
    }

    @Test
    void launchSiteCloserThanFortyKm_exitsTwo_butFortyGoesOut() throws Exception {
        Instant opens = Instant.now().plus(Duration.ofDays(4)).truncatedTo(ChronoUnit.MINUTES);
        ClientCliTest.Run near = send("in.nsa", "pk.nsa", "notify.ballistic-missile-test", missileTest(opens, "39"));
        assertThat(near.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(near.err()).contains("the launch site must be at least 40 km from the International Boundary and the"
                + " Line of Control (2005 agreement): declared 39 km");
        ClientCliTest.Run ok = send("in.nsa", "pk.nsa", "notify.ballistic-missile-test", missileTest(opens, "40"));
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("accepted");
    }

    @Test
    void accidentalLaunchWithoutWhatIsBeingDone_exitsTwo_namingTheMissingFact() {
        ClientCliTest.Run r = send("pk.pm", "in.pm", "incident.accidental-launch", Map.of(
                "missileType", "unarmed cruise missile", "launchTime", Instant.now().minusSeconds(3600).toString(),
                "launchPlace", "a maintenance site", "impactArea", "open ground", "cause", "a technical malfunction"));
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("(2022 lesson): what is being done is missing");
    }
}
