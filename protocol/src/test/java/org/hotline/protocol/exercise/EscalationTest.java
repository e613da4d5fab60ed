package org.hotline.protocol.exercise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class EscalationTest {

    static Exercise southAsia() throws Exception {
        return ExerciseFiles.parse(ExerciseFiles.instantiate("south-asia", "ex-test"));
    }

    @Test
    void template_laddersLeadersToNsas_throughEachPartysOwnChannel() throws Exception {
        Exercise e = southAsia();
        Escalation ladder = e.escalation();
        assertThat(ladder.ladder()).containsExactly("leaders", "nsa");
        assertThat(ladder.automatic()).isFalse();
        assertThat(ladder.target(e, "in.pm", "leaders")).contains("in.nsa");
        assertThat(ladder.target(e, "pk.pm", "leaders")).contains("pk.nsa");
        assertThat(e.channelFor("in.pm", "in.nsa").orElseThrow().id()).isEqualTo("in.internal");
        assertThat(e.channelFor("pk.nsa", "pk.pm").orElseThrow().id()).isEqualTo("pk.internal");
        assertThat(ladder.carryTo(e, "in.nsa")).contains("pk.nsa");
        assertThat(ladder.carryTo(e, "pk.nsa")).contains("in.nsa");
    }

    @Test
    void topRungAndOffLadderChannels_escalateNowhere() throws Exception {
        Exercise e = southAsia();
        assertThat(e.escalation().target(e, "in.nsa", "nsa")).isEmpty();
        assertThat(e.escalation().target(e, "in.pm", "control.in.pm")).isEmpty();
        assertThat(e.escalation().carryTo(e, "control")).isEmpty();
    }

    @Test
    void automaticSetting_andBadLadders() throws Exception {
        String json = ExerciseFiles.instantiate("south-asia", "ex-test");
        assertThat(ExerciseFiles.parse(json.replace("\"automatic\" : false", "\"automatic\" : true")).escalation()
                .automatic()).isTrue();
        assertThatThrownBy(() -> ExerciseFiles.parse(json.replace("\"ladder\" : [ \"leaders\", \"nsa\" ]",
                "\"ladder\" : [ \"leaders\", \"generals\" ]"))).hasMessageContaining("unknown channel 'generals'");
        assertThatThrownBy(() -> ExerciseFiles.parse(json.replace("\"ladder\" : [ \"leaders\", \"nsa\" ]",
                "\"ladder\" : [ \"leaders\" ]"))).hasMessageContaining("at least two");
        assertThat(ExerciseFiles.parse(json.replaceAll("(?s),\\s*\"escalation\" : \\{[^}]*}", "")).escalation())
                .isEqualTo(Escalation.NONE);
    }
}
