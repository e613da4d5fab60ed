package org.hotline.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.ExerciseFiles;
import org.hotline.protocol.exercise.RelayEndpoint;
import org.junit.jupiter.api.Test;

/** {@code --server NAME=HOST:PORT} against the relays of exercise.json (PROTOCOL.md §13). */
class RelayAddressesTest {

    private static Exercise twoRelays() throws Exception {
        return ExerciseFiles.parse("{\"id\":\"x\",\"name\":\"n\",\"relays\":[{\"name\":\"relay-in\",\"host\":\"h1\","
                + "\"port\":7443},{\"name\":\"relay-pk\",\"host\":\"h2\",\"port\":7444}],"
                + "\"parties\":[{\"id\":\"a\",\"name\":\"A\",\"timeZone\":\"UTC\",\"zoneLabel\":\"U\"}],"
                + "\"roles\":[{\"id\":\"a.pm\",\"party\":\"a\",\"title\":\"PM\",\"timeZone\":\"UTC\"},"
                + "{\"id\":\"a.fm\",\"party\":\"a\",\"title\":\"FM\",\"timeZone\":\"UTC\"}],"
                + "\"channels\":[{\"id\":\"c\",\"name\":\"C\",\"members\":[\"a.pm\",\"a.fm\"]}]}");
    }

    @Test
    void aNamedAddressReplacesThatRelaysOnly() throws Exception {
        assertThat(RelayAddresses.resolve(twoRelays(), List.of("relay-pk=127.0.0.1:9000")))
                .containsExactly(new RelayEndpoint("relay-in", "h1", 7443), new RelayEndpoint("relay-pk", "127.0.0.1", 9000));
    }

    /** A mistyped name is reported as such even when the address is bad too. */
    @Test
    void anUnknownNameIsReportedBeforeABadAddress() throws Exception {
        Exercise e = twoRelays();
        assertThatThrownBy(() -> RelayAddresses.resolve(e, List.of("relay-xx=bad")))
                .isInstanceOfSatisfying(CommandFailure.class, f -> {
                    assertThat(f.exitCode()).isEqualTo(ExitCodes.USAGE);
                    assertThat(f.getMessage()).isEqualTo("--server names relay 'relay-xx', which this exercise does not "
                            + "have (relays: relay-in, relay-pk)");
                });
        assertThatThrownBy(() -> RelayAddresses.resolve(e, List.of("relay-in=bad")))
                .isInstanceOfSatisfying(CommandFailure.class, f -> {
                    assertThat(f.exitCode()).isEqualTo(ExitCodes.USAGE);
                    assertThat(f.getMessage()).isEqualTo("--server relay-in must be HOST:PORT, not 'bad'");
                });
    }

    @Test
    void aBareAddressOrARelayNamedTwiceIsAUsageError() throws Exception {
        Exercise e = twoRelays();
        assertThatThrownBy(() -> RelayAddresses.resolve(e, List.of("h:1")))
                .hasMessage("this exercise has several relays (relay-in, relay-pk): give each as --server NAME=HOST:PORT");
        assertThatThrownBy(() -> RelayAddresses.resolve(e, List.of("relay-in=h:1", "relay-in=h:2")))
                .hasMessage("--server gives relay relay-in twice");
    }
}
