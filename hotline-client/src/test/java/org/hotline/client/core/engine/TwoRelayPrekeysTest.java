package org.hotline.client.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.PrekeyPair;
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

    /** Review w8 P1: an initial-only bundle never overrules another relay's "none", in either order. */
    @Test
    void anInitialOnlyBundleFromOneRelay_doesNotOverruleTheOthersNone_inEitherOrder() throws Exception {
        for (boolean initialFirst : List.of(true, false)) {
            fetchThroughBoth(List.of("pk.pm"));
            india.onEngine(() -> {
                PeerPrekeys p = india.engine.peerPrekeys;
                if (initialFirst) {
                    p.bundle("relay-a", initialBundle("pk.pm"));
                    p.bundle("relay-b", new Frame.PrekeyBundle("pk.pm", List.of()));
                } else {
                    p.noPrekey("relay-b", "pk.pm has no valid prekey yet");
                    p.bundle("relay-a", initialBundle("pk.pm"));
                }
                return null;
            });
            assertThatThrownBy(() -> india.onEngine(() -> india.engine.peerPrekeys.peer("pk.pm")))
                    .hasCauseInstanceOf(CryptoException.class);
        }
        assertThat(india.events.problems).noneMatch(l -> l.contains("are sealed to that one"));
    }

    /** Review w8 P1: the first answer, only the initial prekey, does not release; the other relay's rotated one wins. */
    @Test
    void anInitialOnlyFirstAnswer_holdsUntilTheOtherRelayAnswers_andItsRotatedPrekeyWins() throws Exception {
        PrekeyPair rotated = PrekeyPair.generate(exercise.role("pk.pm").identity(), exercise.role("pk.pm").exerciseId(),
                "pk.pm", 424242, Instant.now(), Duration.ofHours(48), new SecureRandom());
        fetchThroughBoth(List.of("pk.pm"));
        boolean heldAfterFirst = india.onEngine(() -> {
            india.engine.peerPrekeys.bundle("relay-a", initialBundle("pk.pm"));
            return india.engine.peerPrekeys.awaiting(List.of("pk.pm"));
        });
        assertThat(heldAfterFirst).isTrue();
        int sealedTo = india.onEngine(() -> {
            PeerPrekeys p = india.engine.peerPrekeys;
            p.bundle("relay-b", new Frame.PrekeyBundle("pk.pm", List.of(rotated.signed())));
            assertThat(p.awaiting(List.of("pk.pm"))).isFalse();
            return p.peer("pk.pm").id();
        });
        assertThat(sealedTo).isEqualTo(424242);
    }

    /** The wait for the other relay is bounded by FETCH_RETRY: then the initial prekey is sealed to. */
    @Test
    void anInitialOnlyAnswer_isReleasedAfterTheFetchRetry_whenTheOtherRelayStaysSilent() throws Exception {
        int initial = exercise.directory().initialPrekeyOf("pk.pm").prekeyId();
        india.close();
        SettableClock clock = new SettableClock(Instant.now());
        india = EngineHarness.open(exercise, tmp.resolve("in2.pm"), "in.pm", clock);
        fetchThroughBoth(List.of("pk.pm"));
        india.onEngine(() -> {
            india.engine.peerPrekeys.bundle("relay-a", initialBundle("pk.pm"));
            return null;
        });
        clock.set(clock.instant().plus(PeerPrekeys.FETCH_RETRY).plusSeconds(1));
        int sealedTo = india.onEngine(() -> {
            PeerPrekeys p = india.engine.peerPrekeys;
            p.retryUnanswered(india.connection);
            assertThat(p.awaiting(List.of("pk.pm"))).isFalse();
            return p.peer("pk.pm").id();
        });
        assertThat(sealedTo).isEqualTo(initial);
        assertThat(india.events.problems).noneMatch(l -> l.contains("has not answered the prekey fetch"));
    }

    @Test
    void aNoPrekeyAnswersTheFetchOfTheRelayThatSentIt_andHoldsOnlyThatRole() throws Exception {
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
        // relay-a served only the initial prekeys: relay-b's "none" stands for pk.pm (review w8 P1),
        // and the other role, which relay-b has not answered, is not held by it.
        india.onEngine(() -> india.engine.peerPrekeys.peer(other));
        assertThatThrownBy(() -> india.onEngine(() -> india.engine.peerPrekeys.peer("pk.pm")))
                .hasCauseInstanceOf(CryptoException.class);
    }

    @Test
    void theSameRelaySayingNoneAfterItsOwnBundle_stands() throws Exception {
        fetchThroughBoth(List.of("pk.pm"));
        india.onEngine(() -> {
            PeerPrekeys p = india.engine.peerPrekeys;
            p.bundle("relay-a", initialBundle("pk.pm"));
            p.bundle("relay-b", initialBundle("pk.pm"));
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
