package org.hotline.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.server.testing.RelayFixture;
import org.hotline.server.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Peer-chosen text in the relay's log (ERROR frame text, HELLO software string) cannot forge lines. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PeerTextInLogsTest {

    @TempDir
    Path tmp;
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Logger relayLog;
    private Level previous;

    @BeforeEach
    void capture() {
        relayLog = (Logger) LoggerFactory.getLogger("org.hotline.server");
        previous = relayLog.getLevel();
        relayLog.setLevel(Level.INFO);
        captured.start();
        relayLog.addAppender(captured);
    }

    @AfterEach
    void release() {
        relayLog.detachAppender(captured);
        relayLog.setLevel(previous);
    }

    private List<String> lines() {
        synchronized (captured) {
            return captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @Test
    void errorTextAndClientSoftware_areEscapedInTheLog() throws Exception {
        try (RelayFixture relay = new RelayFixture(tmp, c -> c);
             TestClient c = relay.connect("in.pm")) {
            c.send(new Frame.Hello("evil\u001B[2J\r\n12:00:00 INFO relay - LINE VERIFIED \u202Ecod"));
            c.expect(Frame.Welcome.class);
            c.send(new Frame.Error(ErrorCode.MALFORMED_FRAME, Optional.empty(),
                    "oops\n12:00:01 INFO relay - connection closed: pk.pm\u202E\u001B[31m"));
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> lines().stream().anyMatch(l -> l.contains("reported error")));
        }
        List<String> all = lines();
        assertThat(all).anySatisfy(l -> assertThat(l).contains("said hello")
                .contains("evil\\x1B[2J\\r\\n12:00:00 INFO relay - LINE VERIFIED [U+202E]cod"));
        assertThat(all).anySatisfy(l -> assertThat(l).contains("reported error")
                .contains("oops\\n12:00:01 INFO relay - connection closed: pk.pm[U+202E]\\x1B[31m"));
        for (String l : all) {
            assertThat(l).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u001B").doesNotContain("\u202E");
        }
    }
}
