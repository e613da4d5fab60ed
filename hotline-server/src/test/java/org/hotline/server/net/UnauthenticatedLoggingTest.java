package org.hotline.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Garbage from an unauthenticated peer costs one short log line per connection, rate-limited. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnauthenticatedLoggingTest {

    @TempDir
    Path tmp;
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Logger netLog;
    private Level previous;

    @BeforeEach
    void capture() {
        netLog = (Logger) LoggerFactory.getLogger("org.hotline.server.net");
        previous = netLog.getLevel();
        netLog.setLevel(Level.INFO);
        captured.start();
        netLog.addAppender(captured);
    }

    @AfterEach
    void release() {
        netLog.detachAppender(captured);
        netLog.setLevel(previous);
    }

    @Test
    void garbageInsteadOfTls_logsOneShortLinePerConnection_withoutTheBytes() throws Exception {
        int connections = 4;
        try (RelayFixture relay = new RelayFixture(tmp, c -> c)) {
            for (int i = 0; i < connections; i++) {
                try (Socket s = new Socket(relay.address().getAddress(), relay.address().getPort())) {
                    s.setSoTimeout(5000);
                    // Not a TLS record type: refused at once, and ~4 KiB of bytes a careless log would dump.
                    byte[] junk = new byte[4096];
                    Arrays.fill(junk, (byte) 'A');
                    System.arraycopy("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII), 0, junk, 0, 16);
                    OutputStream out = s.getOutputStream();
                    out.write(junk);
                    out.flush();
                    try {
                        while (s.getInputStream().read() != -1) {
                            // drain until the relay closes
                        }
                    } catch (java.net.SocketException reset) {
                        // closed by the relay: expected
                    }
                }
            }
            relay.assertStillServes();
        }
        List<ILoggingEvent> lines = captured.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                // Lines about a peer name its address; the well-behaved check client is pk.nsa.
                .filter(e -> e.getFormattedMessage().contains("/127.0.0.1:"))
                .filter(e -> !e.getFormattedMessage().contains("pk.nsa"))
                .toList();
        assertThat(lines).as("one line per garbage connection").hasSize(connections);
        for (ILoggingEvent e : lines) {
            assertThat(e.getFormattedMessage()).contains("not a TLS record").hasSizeLessThan(200)
                    .doesNotContain("414141").doesNotContain("\n");
        }
    }

    @Test
    void refusalLines_areRateLimited_andCountWhatWasLeftOut() {
        long[] now = {0};
        LongSupplier clock = () -> now[0];
        RefusalLog log = new RefusalLog(1, 3, clock);
        assertThat(log.admit()).hasValue(0);
        assertThat(log.admit()).hasValue(0);
        assertThat(log.admit()).hasValue(0);
        assertThat(log.admit()).isEmpty();
        assertThat(log.admit()).isEmpty();
        now[0] = TimeUnit.SECONDS.toNanos(1);
        assertThat(log.admit()).hasValue(2);
        assertThat(log.admit()).isEmpty();
    }

    @Test
    void brief_neverCarriesMoreThanAShortLine() {
        String hex = "41".repeat(4096);
        assertThat(RefusalLog.brief(new io.netty.handler.codec.DecoderException(
                new io.netty.handler.ssl.NotSslRecordException("not an SSL/TLS record: " + hex))))
                .isEqualTo("not a TLS record");
        String longLine = RefusalLog.brief(new javax.net.ssl.SSLHandshakeException("x\r\n".repeat(200)));
        assertThat(longLine).hasSizeLessThanOrEqualTo(RefusalLog.MAX_DETAIL_CHARS + 1).doesNotContain("\n");
    }
}
