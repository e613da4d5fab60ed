package org.hotline.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one HOST:PORT parser (--server of send, listen, client and bench) and the relay's ready line. */
class HostPortTest {

    @Test
    void parse_splitsAtTheLastColon() {
        assertThat(HostPort.parse("--server", "127.0.0.1:7443")).isEqualTo(new HostPort("127.0.0.1", 7443));
        assertThat(HostPort.parse("--server", "relay.example:1")).isEqualTo(new HostPort("relay.example", 1));
        assertThat(HostPort.parse("--server", "::1:7443")).isEqualTo(new HostPort("::1", 7443));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nonsense", "127.0.0.1", ":7443", "127.0.0.1:", "127.0.0.1:x", "127.0.0.1:65536",
            "127.0.0.1:-1", ""})
    void parse_notHostPort_isAUsageErrorNamingTheOption(String text) {
        assertThatThrownBy(() -> HostPort.parse("--server", text))
                .isInstanceOfSatisfying(CommandFailure.class, f -> {
                    assertThat(f.exitCode()).isEqualTo(ExitCodes.USAGE);
                    assertThat(f.getMessage()).isEqualTo("--server must be HOST:PORT, not '" + text + "'");
                });
        assertThat(HostPort.tryParse(text)).isEmpty();
    }

    @Test
    void readyLine_roundTrips() {
        String line = ReadyLine.of(new InetSocketAddress("127.0.0.1", 41873));
        assertThat(line).isEqualTo("hotline relay listening on 127.0.0.1:41873");
        assertThat(ReadyLine.parse(line)).contains(new HostPort("127.0.0.1", 41873));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hotline relay listening", "hotline relay listening on ", "relay ready on 127.0.0.1:1",
            "hotline relay listening on 127.0.0.1"})
    void readyLine_otherLines_areNotReadyLines(String line) {
        assertThat(ReadyLine.parse(line)).isEmpty();
    }
}
