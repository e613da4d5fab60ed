package org.hotline.client.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.testing.SettableClock;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prekey answers from two relays (PROTOCOL.md §13, review w6 L3): one relay's "none" cannot hold
 * messages another relay's fresh bundle lets go, a NO_PREKEY answers the fetch of the relay that
 * sent it, and one relay's refusal of our upload is retried whatever the other relay accepted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TwoRelayPrekeysTest {

    @TempDir
    static Path shared;
    static TestExercise exercise;

    @TempDir
    Path tmp;
    EngineHarness india;

    @BeforeAll
    static void pki() throws Exception {
        exercise = TestExercise.withoutControlReading(shared);
    }

    @BeforeEach
    void engine() throws Exception {
        india = EngineHarness.open(exercise, tmp.resolve("in.pm"), "in.pm");
    }

    @AfterEach
    void close() {
        india.close();
    }

    /** A peer of in.pm other than pk.pm. */
    static String otherPeer() {
        return exercise.exercise().channelsOf("in.pm").stream().flatMap(c -> c.members().stream())
                .filter(m -> !m.equals("in.pm") && !m.equals("pk.pm")).findFirst().orElseThrow();
    }

    Frame.PrekeyBundle initialBundle(String role) throws Exception {
        return new Frame.PrekeyBundle(role, List.of(exercise.directory().initialPrekeyOf(role)));
    }

    /** Both relays welcomed, then one fetch of {@code roles} through both. */
    void fetchThroughBoth(List<String> roles) throws Exception {
        india.onEngine(() -> {
            india.engine.peerPrekeys.pathWelcomed("relay-a");
            india.engine.peerPrekeys.pathWelcomed("relay-b");
            india.engine.peerPrekeys.fetch(india.connection, roles);
            return null;
        });
    }

    @Test
    void anEmptyBundleFromOneRelay_afterTheOthersUsableBundle_doesNotHoldMessages() throws Exception {
        int initial = exercise.directory().initialPrekeyOf("pk.pm").prekeyId();
        fetchThroughBoth(List.of("pk.pm"));
        int sealedTo = india.onEngine(() -> {
            PeerPrekeys p = india.engine.peerPrekeys;
            p.bundle("relay-a", initialBundle("pk.pm"));
            p.bundle("relay-b", new Frame.PrekeyBundle("pk.pm", List.of()));
            return p.peer("pk.pm").id();
        });
        assertThat(sealedTo).isEqualTo(initial);
        assertThat(india.events.problems).contains("relay relay-b has no current prekey of pk.pm (an empty bundle) "
                + "while relay relay-a served one; messages to pk.pm are sealed to that one");
    }

    @Test
    void aNoPrekeyAnswersTheFetchOfTheRelayThatSentIt_andDoesNotHoldWhatTheOtherRelayServed() throws Exception {
        String other = otherPeer();
        fetchThroughBoth(List.of("pk.pm", other));
        Optional<String> answered = india.onEngine(() -> {
            PeerPrekeys p = india.engine.peerPrekeys;
            p.bundle("relay-a", initialBundle("pk.pm"));
            p.bundle("relay-a", initialBundle(other));
            // relay-b's first answer is for its first fetch, pk.pm: not the other role, even though
            // relay-a has answered both.
            return p.noPrekey("relay-b", "pk.pm has no valid prekey yet");
        });
        assertThat(answered).contains("pk.pm");
        india.onEngine(() -> {
            india.engine.peerPrekeys.peer("pk.pm");
            india.engine.peerPrekeys.peer(other);
            return null;
        });
    }

    @Test
    void theSameRelaySayingNoneAfterItsOwnBundle_stands() throws Exception {
        fetchThroughBoth(List.of("pk.pm"));
        india.onEngine(() -> {
            PeerPrekeys p = india.engine.peerPrekeys;
            p.bundle("relay-a", initialBundle("pk.pm"));
            p.fetch(india.connection, List.of("pk.pm"));
            p.noPrekey("relay-a", "pk.pm has no valid prekey yet");
            return null;
        });
        assertThatThrownBy(() -> india.onEngine(() -> india.engine.peerPrekeys.peer("pk.pm")))
                .hasCauseInstanceOf(CryptoException.class);
    }

    @Test
    void aRelayThatRefusedOurUpload_isUploadedToAgain_afterTheOtherRelayAcceptedIt() throws Exception {
        SettableClock clock = new SettableClock(Instant.now());
        EngineHarness pakistan = EngineHarness.open(exercise, tmp.resolve("pk.pm"), "pk.pm", clock);
        try {
            pakistan.welcome();
            pakistan.onEngine(() -> {
                pakistan.engine.prekeys.refused("relay-b");
                pakistan.engine.prekeys.accepted("relay-a",
                        new Frame.PrekeyBundle("pk.pm", pakistan.engine.prekeys.published()));
                return null;
            });
            pakistan.connection.forget();
            clock.set(clock.instant().plusSeconds(60));
            pakistan.onEngine(() -> {
                pakistan.engine.prekeyTick();
                return null;
            });
            assertThat(pakistan.connection.sent(Frame.PrekeyUpload.class)).as("relay-b's refusal stands").hasSize(1);
        } finally {
            pakistan.close();
        }
    }
}
