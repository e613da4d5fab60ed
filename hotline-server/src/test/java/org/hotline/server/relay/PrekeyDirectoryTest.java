package org.hotline.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.crypto.PrekeyPair;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.server.testing.RecordingSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upload checked against the role's identity key; fetch by policy, falling back to the initial
 * prekey only until the role uploads a rotated one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrekeyDirectoryTest {

    @TempDir
    Path tmp;
    RelayParts parts;
    PrekeyDirectory prekeys;
    RecordingSession india;
    RecordingSession pakistan;

    @BeforeEach
    void wire() throws Exception {
        parts = new RelayParts(tmp);
        prekeys = new PrekeyDirectory(parts.exercise.exercise(), parts.exercise.directory(), parts.identities,
                parts.relayCredential.exerciseId(), parts.mailbox, parts.clock);
        india = new RecordingSession("in.pm");
        pakistan = new RecordingSession("pk.pm");
    }

    @AfterEach
    void close() throws Exception {
        parts.close();
    }

    private PrekeyPair prekey(String signer, String forRole, int id) throws Exception {
        return PrekeyPair.generate(parts.exercise.role(signer).identity(), parts.relayCredential.exerciseId(), forRole,
                id, Instant.now(), Duration.ofDays(2), new SecureRandom());
    }

    @Test
    void fetchBeforeAnyUpload_servesTheInitialPrekey() throws Exception {
        prekeys.onFetch(india, "pk.pm");

        assertThat(india.await(Frame.PrekeyBundle.class).prekeys())
                .containsExactly(parts.exercise.directory().initialPrekeyOf("pk.pm"));
    }

    @Test
    void upload_isEchoed_thenServedToAFetch() throws Exception {
        PrekeyPair fresh = prekey("pk.pm", "pk.pm", 77);

        prekeys.onUpload(pakistan, List.of(fresh.signed()));
        assertThat(pakistan.await(Frame.PrekeyBundle.class).prekeys()).containsExactly(fresh.signed());
        prekeys.onFetch(india, "pk.pm");

        assertThat(india.await(Frame.PrekeyBundle.class).prekeys()).containsExactly(fresh.signed());
    }

    /** THREAT_MODEL.md forward-secrecy window: once a role has rotated, nobody is handed its initial prekey. */
    @Test
    void afterARotatedUpload_theInitialPrekeyIsNoLongerServed_evenWhenUploadedAlongside() throws Exception {
        var initial = parts.exercise.directory().initialPrekeyOf("pk.pm");
        PrekeyPair fresh = prekey("pk.pm", "pk.pm", 79);

        prekeys.onUpload(pakistan, List.of(initial, fresh.signed()));
        pakistan.await(Frame.PrekeyBundle.class);
        prekeys.onFetch(india, "pk.pm");

        assertThat(india.await(Frame.PrekeyBundle.class).prekeys()).containsExactly(fresh.signed());
    }

    /** Reviewer L3: a rotated prekey reusing the initial one's id (other bytes) is rotated when served too. */
    @Test
    void aRotatedPrekeyWithTheInitialPrekeysId_isServed_andTheInitialPrekeyIsNot() throws Exception {
        var initial = parts.exercise.directory().initialPrekeyOf("pk.pm");
        PrekeyPair sameId = prekey("pk.pm", "pk.pm", initial.prekeyId());

        prekeys.onUpload(pakistan, List.of(sameId.signed()));
        pakistan.await(Frame.PrekeyBundle.class);
        prekeys.onFetch(india, "pk.pm");

        assertThat(india.await(Frame.PrekeyBundle.class).prekeys()).containsExactly(sameId.signed());
    }

    @Test
    void whenEveryRotatedPrekeyHasExpired_theRelaySaysNoPrekey_ratherThanFallingBackToTheInitialOne() throws Exception {
        var clock = new org.hotline.protocol.testing.SettableClock(Instant.now());
        PrekeyDirectory later = new PrekeyDirectory(parts.exercise.exercise(), parts.exercise.directory(),
                parts.identities, parts.relayCredential.exerciseId(), parts.mailbox, clock);
        later.onUpload(pakistan, List.of(prekey("pk.pm", "pk.pm", 80).signed()));
        pakistan.await(Frame.PrekeyBundle.class);

        clock.set(clock.instant().plus(Duration.ofDays(3)));
        later.onFetch(india, "pk.pm");

        india.awaitError(ErrorCode.NO_PREKEY);
        assertThat(india.sent(Frame.PrekeyBundle.class)).isEmpty();
    }

    /** Reviewer finding 7: an empty upload does not bring the initial prekey back. */
    @Test
    void anEmptyUpload_isRefused_andTheInitialPrekeyStaysUnservedOnceARotatedOneWasPublished() throws Exception {
        PrekeyPair fresh = prekey("pk.pm", "pk.pm", 82);
        prekeys.onUpload(pakistan, List.of(fresh.signed()));
        pakistan.await(Frame.PrekeyBundle.class);

        prekeys.onUpload(pakistan, List.of());
        assertThat(pakistan.awaitError(ErrorCode.BAD_PREKEY).text()).contains("at least one rotated prekey");
        prekeys.onFetch(india, "pk.pm");

        assertThat(india.await(Frame.PrekeyBundle.class).prekeys()).containsExactly(fresh.signed());
        assertThat(parts.mailbox.prekeys("pk.pm").get()).containsExactly(fresh.signed());
    }

    @Test
    void anUploadOfTheInitialPrekeyAlone_isRefused_andChangesNothing() throws Exception {
        PrekeyPair fresh = prekey("pk.pm", "pk.pm", 83);
        prekeys.onUpload(pakistan, List.of(fresh.signed()));
        pakistan.await(Frame.PrekeyBundle.class);

        prekeys.onUpload(pakistan, List.of(parts.exercise.directory().initialPrekeyOf("pk.pm")));

        assertThat(pakistan.awaitError(ErrorCode.BAD_PREKEY).text()).contains("at least one rotated prekey");
        assertThat(parts.mailbox.prekeys("pk.pm").get()).containsExactly(fresh.signed());
    }

    /**
     * Reviewer finding 6: the upload's checks read the initial prekey's file, so they run on the
     * mailbox's reader thread, not on the caller's (the event loop in the relay).
     */
    @Test
    void anUploadIsCheckedOffTheCallersThread() throws Exception {
        List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        RelaySession watched = new RelaySession() {
            @Override
            public String role() {
                return pakistan.role();
            }

            @Override
            public String certificateSerial() {
                return pakistan.certificateSerial();
            }

            @Override
            public void send(Frame frame) {
                threads.add(Thread.currentThread().getName());
                pakistan.send(frame);
            }

            @Override
            public void closeWith(ErrorCode code, String text) {
                pakistan.closeWith(code, text);
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public String describe() {
                return pakistan.describe();
            }
        };

        prekeys.onUpload(watched, List.of(parts.exercise.directory().initialPrekeyOf("pk.pm")));
        pakistan.awaitError(ErrorCode.BAD_PREKEY);

        assertThat(threads).singleElement().isEqualTo("mailbox-reader").isNotEqualTo(Thread.currentThread().getName());
    }

    @Test
    void uploadSignedByAnotherRole_isRefused_andNotStored() throws Exception {
        prekeys.onUpload(pakistan, List.of(prekey("in.pm", "pk.pm", 78).signed()));

        assertThat(pakistan.awaitError(ErrorCode.BAD_PREKEY).text()).contains("bad signature");
        assertThat(parts.mailbox.prekeys("pk.pm").get()).isEmpty();
    }

    @Test
    void uploadOfARotatedPrekeyValidLongerThanSevenDays_isRefused_andNotStored() throws Exception {
        PrekeyPair tooLong = PrekeyPair.generate(parts.exercise.role("pk.pm").identity(),
                parts.relayCredential.exerciseId(), "pk.pm", 81, Instant.now(), Duration.ofDays(8), new SecureRandom());

        prekeys.onUpload(pakistan, List.of(tooLong.signed()));

        assertThat(pakistan.awaitError(ErrorCode.BAD_PREKEY).text()).contains("longer than the 168 h");
        assertThat(parts.mailbox.prekeys("pk.pm").get()).isEmpty();
    }

    @Test
    void uploadRepeatingAnId_isRefused() throws Exception {
        prekeys.onUpload(pakistan, List.of(prekey("pk.pm", "pk.pm", 5).signed(), prekey("pk.pm", "pk.pm", 5).signed()));

        assertThat(pakistan.awaitError(ErrorCode.BAD_PREKEY).text()).contains("repeated");
    }

    @Test
    void fetchOfARoleSharingNoChannel_orUnknown_isRefused() throws Exception {
        prekeys.onFetch(india, "pk.nsa");
        assertThat(india.awaitError(ErrorCode.POLICY_VIOLATION).text()).contains("shares no channel");
        prekeys.onFetch(india, "us.pres");
        india.awaitError(ErrorCode.UNKNOWN_ROLE);
    }

    @Test
    void fetchTheMailboxCannotRead_isAnsweredWithAStorageFailure() throws Exception {
        parts.mailbox.failReads(true);

        prekeys.onFetch(india, "pk.pm");

        india.awaitError(ErrorCode.STORAGE_FAILURE);
        assertThat(india.sent(Frame.PrekeyBundle.class)).isEmpty();
    }
}
