package org.hotline.protocol.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AnswerByDefaultsTest {

    final SignalCatalog catalog = SignalCatalog.builtIn();

    @Test
    void requestForClarification_asksWithinHalfAnHour_incidentNotification_withinTen() {
        assertThat(catalog.defaultAnswerBy("clarify.request-details")).contains(Duration.ofMinutes(30));
        assertThat(catalog.defaultAnswerBy("incident.report-request-facts")).contains(Duration.ofMinutes(10));
        assertThat(catalog.defaultAnswerBy("posture.request-confirmation")).contains(Duration.ofMinutes(15));
    }

    @Test
    void acknowledgementsAndRepliesAskNothing_unknownSignalsToo() {
        assertThat(catalog.defaultAnswerBy("ack.received")).isEmpty();
        assertThat(catalog.defaultAnswerBy("clarify.provide-details")).isEmpty();
        assertThat(catalog.defaultAnswerBy("incident.condolences")).isEmpty();
        assertThat(catalog.defaultAnswerBy("no.such-signal")).isEmpty();
    }

    @Test
    void escalationSignals_areInTheCatalog_andTheCarriedOneAsksWithinItsCategory() {
        assertThat(catalog.find("channel.escalation-request")).isPresent();
        assertThat(catalog.defaultAnswerBy("channel.escalation-request")).isEmpty();
        assertThat(catalog.defaultAnswerBy("channel.unanswered")).contains(Duration.ofMinutes(30));
    }

    @Test
    void badDurationOrUnknownName_refusesTheCatalog() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(SignalCatalog.class.getResourceAsStream(
                "/org/hotline/protocol/signals/catalog.json"));
        ((ObjectNode) root.get("answerBy").get("bySignal")).put("ack.received", "thirty minutes");
        assertThatThrownBy(() -> SignalCatalog.parse(root)).hasMessageContaining("answerBy.bySignal.ack.received");
        ((ObjectNode) root.get("answerBy").get("bySignal")).put("ack.received", "PT30M");
        ((ObjectNode) root.get("answerBy").get("bySignal")).put("no.such", "PT30M");
        assertThatThrownBy(() -> SignalCatalog.parse(root)).hasMessageContaining("unknown signal no.such");
        ((ObjectNode) root.get("answerBy").get("bySignal")).remove("no.such");
        ((ObjectNode) root.get("answerBy").get("byCategory")).put("incident", "PT0S");
        assertThatThrownBy(() -> SignalCatalog.parse(root)).hasMessageContaining("more than zero");
    }
}
