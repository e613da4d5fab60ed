package org.hotline.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.file.Files;
import java.util.List;
import org.hotline.protocol.transport.FrameDecoder;
import org.hotline.protocol.transport.FrameErrors;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameCodec;
import org.hotline.protocol.wire.WireLimits;
import org.hotline.server.testing.RecordingSession;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the relay behind its decoder: arbitrary byte streams go through the
 * relay's own {@link FrameDecoder}, and every frame that decodes is handed to the running relay's
 * logic as an authenticated session (a real relay with its SQLite mailbox and audit log, started
 * once). The session's role is picked by the input's length, so inputs speak as different roles,
 * including ones that impersonate others. Without JAZZER_FUZZ this replays the seed corpus in
 * {@code RelayFuzzTestInputs/relayLogic/} (in CI); with {@code JAZZER_FUZZ=1} Jazzer explores.
 *
 * <p>Properties: nothing the relay does with any input throws; everything it answers is a frame
 * that encodes; after each input a well-behaved role still gets WELCOME; at the end a real TLS
 * client is still served.
 */
class RelayFuzzTest {

    private static final List<String> ROLES = List.of("in.pm", "in.nsa", "pk.pm", "pk.nsa");
    private static RelayFixture relay;

    @BeforeAll
    static void startRelay() throws Exception {
        relay = new RelayFixture(Files.createTempDirectory("relay-fuzz-"), c -> c);
    }

    /**
     * After every input: a real TLS client is still served, and the relay's audit log, written by
     * the relay's asynchronous paths (commits, deliveries, receipts), still verifies end to end.
     */
    @AfterAll
    static void relayStillServes_andItsAuditLogVerifies() throws Exception {
        relay.assertStillServes();
        relay.close();
        var report = org.hotline.protocol.audit.AuditVerifier.verify(
                relay.dataDir().resolve(org.hotline.server.net.RelayServer.AUDIT_FILE),
                java.util.Optional.of(relay.exercise().directory().validator()));
        assertThat(report.problem()).isEmpty();
    }

    @FuzzTest(maxDuration = "60s")
    void relayLogic(byte[] input) {
        Relay logic = relay.server().relay();
        RecordingSession session = new RecordingSession(ROLES.get(input.length % ROLES.size()));
        EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder(WireLimits.DEFAULT_MAX_FRAME_BYTES));
        try {
            decoder.writeInbound(Unpooled.wrappedBuffer(input));
        } catch (DecoderException e) {
            assertThat(FrameErrors.decodeFailure(e)).isPresent();
        }
        Object frame;
        while ((frame = decoder.readInbound()) != null && session.isOpen()) {
            logic.onFrame(session, (Frame) frame);
        }
        try {
            decoder.finishAndReleaseAll();
        } catch (DecoderException e) {
            // The decoder's verdict on a bad stream is reported when the channel finishes, too.
            assertThat(FrameErrors.decodeFailure(e)).isPresent();
        }
        logic.detach(session);
        for (Frame answer : session.sent()) {
            assertThat(FrameCodec.encode(answer)).isNotEmpty();
        }

        RecordingSession wellBehaved = new RecordingSession("pk.nsa");
        logic.onFrame(wellBehaved, new Frame.Hello("fuzz-check"));
        assertThat(wellBehaved.sent()).first().isInstanceOf(Frame.Welcome.class);
        logic.detach(wellBehaved);
    }
}
