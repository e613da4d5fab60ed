package org.hotline.protocol.exercise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExerciseFilesTest {

    static Exercise southAsia() throws ExerciseException {
        return ExerciseFiles.parse(ExerciseFiles.instantiate("south-asia", "ex-test"));
    }

    @Test
    void southAsiaTemplate_hasFourParticipantsControlAndTheirChannels() throws Exception {
        Exercise e = southAsia();
        assertThat(e.id()).isEqualTo("ex-test");
        assertThat(e.roles()).extracting(Role::id).containsExactly("in.pm", "pk.pm", "in.nsa", "pk.nsa", "control");
        assertThat(e.channel("leaders").orElseThrow().members()).containsExactly("in.pm", "pk.pm");
        assertThat(e.channel("nsa").orElseThrow().members()).containsExactly("in.nsa", "pk.nsa");
        assertThat(e.role("pk.pm").orElseThrow().displayName()).isEqualTo("Pakistan Prime Minister");
        assertThat(e.parties()).extracting(Party::zoneLabel).containsExactly("IST", "PKT");
    }

    @Test
    void southAsiaTemplate_givesControlAPrivateChannelPerParticipantAndObservesTheirChannels() throws Exception {
        Exercise e = southAsia();
        assertThat(e.control()).contains(new ExerciseControl("control", ControlReads.CONTENT));
        assertThat(e.isControl("control")).isTrue();
        assertThat(e.isControl("in.pm")).isFalse();
        assertThat(e.role("control").orElseThrow().displayName()).isEqualTo("Exercise control");
        for (String role : List.of("in.pm", "pk.pm", "in.nsa", "pk.nsa")) {
            assertThat(e.channelFor("control", role)).get().extracting(Channel::members).asList()
                    .containsExactly("control", role);
        }
        assertThat(e.channelsObservedBy("control")).extracting(Channel::id).containsExactly("leaders", "nsa", "in.internal",
                "pk.internal");
        assertThat(e.channel("leaders").orElseThrow().addressees("in.pm")).containsExactly("control", "pk.pm");
        assertThat(e.channel("control.in.pm").orElseThrow().addressees("control")).containsExactly("in.pm");
        // Control's parties are not the states': no extra clock in the consoles.
        assertThat(e.parties()).extracting(Party::id).containsExactly("in", "pk");
    }

    @ParameterizedTest
    @CsvSource({"none", "metadata"})
    void controlThatDoesNotReadContent_observesNoChannel(String reads) throws Exception {
        String json = ExerciseFiles.instantiate("south-asia", "ex-test").replace("\"reads\" : \"content\"",
                "\"reads\" : \"" + reads + "\"");
        Exercise e = ExerciseFiles.parse(json);
        assertThat(e.control().orElseThrow().reads().wireName()).isEqualTo(reads);
        assertThat(e.channelsObservedBy("control")).isEmpty();
        assertThat(e.channel("leaders").orElseThrow().addressees("in.pm")).containsExactly("pk.pm");
    }

    @Test
    void participantWithoutAPrivateChannelToControl_isRefused() throws Exception {
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(ExerciseFiles.instantiate("south-asia", "ex-test"));
        var channels = (com.fasterxml.jackson.databind.node.ArrayNode) tree.get("channels");
        for (int i = channels.size() - 1; i >= 0; i--) {
            if (channels.get(i).get("id").asText().equals("control.pk.nsa")) {
                channels.remove(i);
            }
        }
        String json = tree.toString();
        assertThatThrownBy(() -> ExerciseFiles.parse(json)).isInstanceOf(ExerciseException.class)
                .hasMessageContaining("role pk.nsa has no private channel with exercise control");
    }

    @Test
    void unknownReadsSetting_isRefusedNamingTheField() throws Exception {
        String json = ExerciseFiles.instantiate("south-asia", "ex-test").replace("\"reads\" : \"content\"",
                "\"reads\" : \"everything\"");
        assertThatThrownBy(() -> ExerciseFiles.parse(json)).isInstanceOf(ExerciseException.class)
                .hasMessageContaining("control.reads");
    }

    @ParameterizedTest
    @CsvSource({
            "in.pm, leaders, control, ",
            "control, leaders, pk.pm, control is not a member of channel 'leaders'",
            "control, control.in.pm, in.pm, ",
            "pk.pm, control.in.pm, in.pm, pk.pm is not a member of channel 'control.in.pm'",
            "in.pm, leaders, pk.pm, ",
            "in.pm, leaders, pk.nsa, pk.nsa is not a member of channel 'leaders'",
            "in.nsa, leaders, pk.pm, in.nsa is not a member of channel 'leaders'",
            "in.pm, war-room, pk.pm, channel 'war-room' does not exist",
            "in.pm, leaders, in.pm, in.pm cannot send to itself"})
    void channelPolicy(String sender, String channel, String recipient, String violation) throws Exception {
        var result = southAsia().policyViolation(sender, channel, List.of(recipient));
        if (violation == null) {
            assertThat(result).isEmpty();
        } else {
            assertThat(result).get().asString().contains(violation);
        }
    }

    @Test
    void channelFor_findsTheSharedChannel() throws Exception {
        assertThat(southAsia().channelFor("pk.nsa", "in.nsa")).get().extracting(Channel::id).isEqualTo("nsa");
        assertThat(southAsia().channelFor("pk.nsa", "in.pm")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{ | not valid JSON",
            "{\"id\":\"x\"} | missing field 'name'",
            "{\"id\":\"x\",\"name\":\"n\",\"relay\":{\"host\":\"h\",\"port\":0}} | relay.port",
            "{\"id\":\"x\",\"name\":\"n\",\"relay\":{\"host\":\"h\",\"port\":1},\"parties\":[{\"id\":\"a\",\"name\":\"A\",\"timeZone\":\"Mars/Base\",\"zoneLabel\":\"M\"}]} | unknown time zone 'Mars/Base'"})
    void malformedExercise_givesOneLineNamingTheProblem(String json, String expected) {
        assertThatThrownBy(() -> ExerciseFiles.parse(json)).isInstanceOf(ExerciseException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void channelNamingUnknownRole_isRefused() {
        String json = "{\"id\":\"x\",\"name\":\"n\",\"relay\":{\"host\":\"h\",\"port\":1},"
                + "\"parties\":[{\"id\":\"a\",\"name\":\"A\",\"timeZone\":\"UTC\",\"zoneLabel\":\"U\"}],"
                + "\"roles\":[{\"id\":\"a.pm\",\"party\":\"a\",\"title\":\"PM\",\"timeZone\":\"UTC\"}],"
                + "\"channels\":[{\"id\":\"c\",\"name\":\"C\",\"members\":[\"a.pm\",\"b.pm\"]}]}";
        assertThatThrownBy(() -> ExerciseFiles.parse(json)).hasMessageContaining("unknown role 'b.pm'");
    }
}
