package org.hotline.protocol.exercise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.hotline.protocol.wire.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code exercise.json} with one relay or several (PROTOCOL.md §13). */
class ExerciseRelaysTest {

    private static final String PARTIES = "\"parties\":[{\"id\":\"a\",\"name\":\"A\",\"timeZone\":\"UTC\",\"zoneLabel\":\"U\"}],"
            + "\"roles\":[{\"id\":\"a.pm\",\"party\":\"a\",\"title\":\"PM\",\"timeZone\":\"UTC\"},"
            + "{\"id\":\"a.fm\",\"party\":\"a\",\"title\":\"FM\",\"timeZone\":\"UTC\"}],"
            + "\"channels\":[{\"id\":\"c\",\"name\":\"C\",\"members\":[\"a.pm\",\"a.fm\"]}]";

    @Test
    void oneRelay_isNamedRelay() throws Exception {
        Exercise e = ExerciseFiles.parse("{\"id\":\"x\",\"name\":\"n\",\"relay\":{\"host\":\"h\",\"port\":7443}," + PARTIES + "}");
        assertThat(e.relays()).containsExactly(new RelayEndpoint("relay", "h", 7443));
        assertThat(e.relayHost()).isEqualTo("h");
        assertThat(e.relayPort()).isEqualTo(7443);
    }

    @Test
    void severalRelays_areListedInOrder_theFirstIsTheRelayAddress() throws Exception {
        Exercise e = ExerciseFiles.parse("{\"id\":\"x\",\"name\":\"n\",\"relays\":[{\"name\":\"relay-in\",\"host\":\"h1\","
                + "\"port\":7443},{\"name\":\"relay-pk\",\"host\":\"h2\",\"port\":7444}]," + PARTIES + "}");
        assertThat(e.relays()).containsExactly(new RelayEndpoint("relay-in", "h1", 7443),
                new RelayEndpoint("relay-pk", "h2", 7444));
        assertThat(e.relay("relay-pk")).contains(new RelayEndpoint("relay-pk", "h2", 7444));
        assertThat(e.relayHost()).isEqualTo("h1");
    }

    @Test
    void withRelays_replacesTheRelay() throws Exception {
        String json = ExerciseFiles.withRelays("{\"id\":\"x\",\"name\":\"n\",\"relay\":{\"host\":\"h\",\"port\":1}," + PARTIES
                + "}", List.of(new RelayEndpoint("relay-a", "h", 1), new RelayEndpoint("relay-b", "h", 2)));
        assertThat(json).doesNotContain("\"relay\":");
        assertThat(ExerciseFiles.parse(json).relays()).extracting(RelayEndpoint::name).containsExactly("relay-a", "relay-b");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"relay\":{\"host\":\"h\",\"port\":1},\"relays\":[{\"name\":\"relay-a\",\"host\":\"h\",\"port\":1}] | both 'relay' and 'relays'",
            "\"relays\":[] | relays' must be a non-empty array",
            "\"relays\":[{\"name\":\"mirror\",\"host\":\"h\",\"port\":1}] | relay name 'mirror'",
            "\"relays\":[{\"name\":\"relay-a\",\"host\":\"h\",\"port\":1},{\"name\":\"relay-a\",\"host\":\"h\",\"port\":2}] | relay",
            "\"relays\":[{\"name\":\"relay-a\",\"host\":\"h\",\"port\":70000}] | relay relay-a: port must be 1..65535"})
    void badRelays_areRefusedNamingTheProblem(String relays, String expected) {
        assertThatThrownBy(() -> ExerciseFiles.parse("{\"id\":\"x\",\"name\":\"n\"," + relays + "," + PARTIES + "}"))
                .isInstanceOf(ExerciseException.class).hasMessageContaining(expected);
    }

    @Test
    void aRoleCannotTakeARelaysName() {
        String json = "{\"id\":\"x\",\"name\":\"n\",\"relay\":{\"host\":\"h\",\"port\":1},"
                + "\"parties\":[{\"id\":\"a\",\"name\":\"A\",\"timeZone\":\"UTC\",\"zoneLabel\":\"U\"}],"
                + "\"roles\":[{\"id\":\"relay-a\",\"party\":\"a\",\"title\":\"PM\",\"timeZone\":\"UTC\"}],\"channels\":[]}";
        assertThatThrownBy(() -> ExerciseFiles.parse(json)).isInstanceOf(ExerciseException.class)
                .hasMessage("role id 'relay-a' is reserved: 'relay' and names starting with 'relay-' name relays; "
                        + "rename the role");
    }

    /** Jackson's asInt would read each of these as a port (7443, 7443, 1). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"\"7443\"", "7443.9", "true", "null", "[7443]"})
    void aPortIsAJsonInteger(String port) {
        assertThatThrownBy(() -> ExerciseFiles.parse("{\"id\":\"x\",\"name\":\"n\",\"relays\":[{\"name\":\"relay-a\","
                + "\"host\":\"h\",\"port\":" + port + "}]," + PARTIES + "}"))
                .isInstanceOf(ExerciseException.class).hasMessage("relay relay-a: port must be 1..65535");
        assertThatThrownBy(() -> ExerciseFiles.parse("{\"id\":\"x\",\"name\":\"n\",\"relay\":{\"host\":\"h\",\"port\":"
                + port + "}," + PARTIES + "}"))
                .isInstanceOf(ExerciseException.class).hasMessage("relay.port must be 1..65535");
    }

    /** An Exercise is shared across threads without locks, so it must be immutable once built. */
    @Test
    void everyFieldOfAnExerciseIsFinal() {
        for (java.lang.reflect.Field f : Exercise.class.getDeclaredFields()) {
            assertThat(java.lang.reflect.Modifier.isFinal(f.getModifiers())).as(f.getName()).isTrue();
        }
    }

    @Test
    void relayNames() {
        assertThat(Receipt.isRelayName("relay")).isTrue();
        assertThat(Receipt.isRelayName("relay-in")).isTrue();
        assertThat(Receipt.isRelayName("relay-")).isFalse();
        assertThat(Receipt.isRelayName("relayx")).isFalse();
        assertThat(Receipt.isRelayName("in.pm")).isFalse();
        assertThat(Receipt.isRelayName("relay-IN")).isFalse();
    }
}
