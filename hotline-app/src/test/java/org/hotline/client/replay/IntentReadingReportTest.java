package org.hotline.client.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.app.testing.SeatsOnARelay;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Intent;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.ReadAs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The report's intent-and-reading table from real logs: each message's intent (a signal's from its
 * category, free text's as signed, "not stated" for text without one), each reading with its
 * latency, and the misread rate; the same table from exercise control's log alone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IntentReadingReportTest {

    @RegisterExtension
    final SeatsOnARelay seats = new SeatsOnARelay();

    HotlineClient client(String role) throws Exception {
        return seats.start(role);
    }

    static void awaitReceived(HotlineClient c, MessageId... ids) throws Exception {
        for (int i = 0; i < 150; i++) {
            List<MessageId> got = c.receivedMessages().get(5, TimeUnit.SECONDS).stream().map(ReceivedMessage::id).toList();
            if (got.containsAll(List.of(ids))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(c.role() + " did not receive " + List.of(ids));
    }

    Path log(String role) {
        return seats.auditLog(role);
    }

    @Test
    void report_showsIntentsReadingsLatencies_andTheMisreadRate() throws Exception {
        HotlineClient india = client("in.pm");
        HotlineClient pakistan = client("pk.pm");
        HotlineClient control = client("control");
        MessageId posture = india.sendSignal("pk.pm", "posture.normal-readiness",
                Map.of("asOf", "2026-05-10T14:00:00Z"), Optional.empty(), Optional.empty()).get(10, TimeUnit.SECONDS);
        MessageId calm = india.send("pk.pm", new Content.Text("Our aircraft stay on our side.", Intent.REASSURE),
                Optional.empty(), Optional.empty()).get(10, TimeUnit.SECONDS);
        MessageId proposal = india.send("pk.pm", new Content.Text("Talks at 16:00?", Intent.PROPOSE),
                Optional.empty(), Optional.empty()).get(10, TimeUnit.SECONDS);
        MessageId unstated = india.sendText("pk.pm", "Noted.").get(10, TimeUnit.SECONDS);
        awaitReceived(pakistan, posture, calm, proposal, unstated);
        pakistan.recordReading(posture, ReadAs.THREATENING, "why now?").get(10, TimeUnit.SECONDS);
        pakistan.recordReading(calm, ReadAs.REASSURING, "").get(10, TimeUnit.SECONDS);
        pakistan.recordReading(proposal, ReadAs.CONCERNING, "").get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 150 && control.receivedReadings().get(5, TimeUnit.SECONDS).size() < 3; i++) {
            Thread.sleep(100);
        }
        assertThat(control.receivedReadings().get(5, TimeUnit.SECONDS)).hasSize(3);
        seats.closeSeats();

        var trust = Optional.of(seats.relay().exercise().directory().validator());
        Timeline all = new TimelineMerger(seats.relay().exercise().exercise()).merge(List.of(LogSource.load(log("in.pm"), trust),
                LogSource.load(log("pk.pm"), trust), LogSource.load(log("control"), trust)));
        IntentReadingTable table = IntentReadingTable.of(all, SignalCatalog.builtIn());
        assertThat(table.rows()).extracting(r -> r.message().id())
                .containsExactly(posture.hex(), calm.hex(), proposal.hex(), unstated.hex());
        assertThat(table.rows()).extracting(IntentReadingTable.Row::intent).containsExactly(Optional.of(Intent.REASSURE),
                Optional.of(Intent.REASSURE), Optional.of(Intent.PROPOSE), Optional.empty());
        IntentReadingTable.Row first = table.rows().get(0);
        assertThat(first.readings()).singleElement().satisfies(r -> {
            assertThat(r.reader()).isEqualTo("pk.pm");
            assertThat(r.readAs()).isEqualTo(ReadAs.THREATENING);
            assertThat(r.note()).isEqualTo("why now?");
            assertThat(r.latency().isNegative()).isFalse();
            assertThat(r.trusted()).isTrue();
        });
        // A proposal read as concerning is not a misread reassurance; nor is an unread message.
        assertThat(table.misread()).extracting(r -> r.message().id()).containsExactly(posture.hex());
        assertThat(table.misreadRate()).contains(0.5);
        assertThat(table.misreadSummary()).isEqualTo("misread rate: 1 of 2 messages sent to reassure and read (50%) "
                + "was read as concerning or threatening");
        String html = ReportWriter.render(all, "t");
        assertThat(html).contains("<h2>Intent and reading</h2>", "misread rate: 1 of 2", "threatening", "misread",
                "not stated", "why now?");
        // The reading messages to control are not messages of the transcript.
        assertThat(all.messages()).hasSize(4);

        // Control's log alone holds every reading.
        Timeline controlOnly = new TimelineMerger(seats.relay().exercise().exercise())
                .merge(List.of(LogSource.load(log("control"), trust)));
        IntentReadingTable fromControl = IntentReadingTable.of(controlOnly, SignalCatalog.builtIn());
        assertThat(fromControl.misread()).extracting(r -> r.message().id()).containsExactly(posture.hex());
        assertThat(fromControl.rows().stream().mapToInt(r -> r.readings().size()).sum()).isEqualTo(3);
    }
}
