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

/** Upload checked against the role's identity key; fetch by policy, falling back to the initial prekey. */
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

    @Test
    void uploadSignedByAnotherRole_isRefused_andNotStored() throws Exception {
        prekeys.onUpload(pakistan, List.of(prekey("in.pm", "pk.pm", 78).signed()));

        assertThat(pakistan.awaitError(ErrorCode.BAD_PREKEY).text()).contains("bad signature");
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
