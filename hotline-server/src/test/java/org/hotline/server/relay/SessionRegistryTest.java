package org.hotline.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.MessageId;
import org.hotline.server.testing.RecordingSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Attach at HELLO, displacement by a newer connection of the role, detach, revocation at HELLO. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionRegistryTest {

    @TempDir
    Path tmp;
    RelayParts parts;

    @BeforeEach
    void wire() throws Exception {
        parts = new RelayParts(tmp);
    }

    @AfterEach
    void close() throws Exception {
        parts.close();
    }

    @Test
    void hello_attachesTheSession_welcomesIt_andDeliversItsBacklog() throws Exception {
        MessageId waiting = parts.stored("in.pm", "pk.pm");
        RecordingSession s = new RecordingSession("pk.pm");

        parts.sessions.attach(s, new Frame.Hello("test"));

        assertThat(parts.sessions.isAttached(s)).isTrue();
        assertThat(s.sent().get(0)).isInstanceOfSatisfying(Frame.Welcome.class, w -> {
            assertThat(w.role()).isEqualTo("pk.pm");
            assertThat(w.maxFrameBytes()).isEqualTo(parts.config.maxFrameBytes());
        });
        assertThat(s.await(Frame.Deliver.class).messageId()).isEqualTo(waiting);
        assertThat(parts.sessions.size()).isEqualTo(1);
    }

    @Test
    void secondConnectionOfARole_supersedesTheFirst_whichIsToldAndClosed() throws Exception {
        RecordingSession first = new RecordingSession("pk.pm");
        RecordingSession second = new RecordingSession("pk.pm");
        parts.sessions.attach(first, new Frame.Hello("test"));
        DeliveryPump firstPump = parts.sessions.pumpOf("pk.pm").orElseThrow();

        parts.sessions.attach(second, new Frame.Hello("test"));

        assertThat(first.closes()).containsExactly(new RecordingSession.Close(ErrorCode.SUPERSEDED,
                "superseded by a newer connection of pk.pm"));
        assertThat(firstPump.state()).isEqualTo(DeliveryPump.State.STOPPED);
        assertThat(parts.sessions.isAttached(first)).isFalse();
        assertThat(parts.sessions.isAttached(second)).isTrue();

        parts.sessions.detach(first);
        assertThat(parts.sessions.isAttached(second)).as("the old connection's close detaches only itself").isTrue();
        MessageId later = parts.stored("in.pm", "pk.pm");
        parts.sessions.wake("pk.pm");
        assertThat(second.await(Frame.Deliver.class).messageId()).isEqualTo(later);
        assertThat(first.sent(Frame.Deliver.class)).isEmpty();
    }

    @Test
    void detach_removesTheSession_andStopsItsPump() throws Exception {
        RecordingSession s = new RecordingSession("pk.pm");
        parts.sessions.attach(s, new Frame.Hello("test"));
        DeliveryPump pump = parts.sessions.pumpOf("pk.pm").orElseThrow();

        parts.sessions.detach(s);

        assertThat(parts.sessions.isAttached(s)).isFalse();
        assertThat(parts.sessions.pumpOf("pk.pm")).isEmpty();
        assertThat(pump.state()).isEqualTo(DeliveryPump.State.STOPPED);
        assertThat(parts.sessions.size()).isZero();
    }

    @Test
    void helloWithACertificateRevokedSinceTheHandshake_isClosed_andNotAttached() throws Exception {
        SessionRegistry registry = new SessionRegistry(parts.mailbox, parts.clock, parts.config.maxFrameBytes(),
                serial -> serial.equals("bad"));
        RecordingSession revoked = new RecordingSession("pk.pm", "bad");

        registry.attach(revoked, new Frame.Hello("test"));

        assertThat(revoked.closes()).extracting(RecordingSession.Close::code)
                .containsExactly(ErrorCode.NOT_AUTHENTICATED);
        assertThat(revoked.sent()).isEmpty();
        assertThat(registry.isAttached(revoked)).isFalse();
        assertThat(registry.size()).isZero();
    }
}
