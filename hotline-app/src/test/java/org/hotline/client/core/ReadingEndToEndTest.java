package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hotline.app.testing.SeatsOnARelay;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditReport;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Intent;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.ReadAs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How each message was read, through a real relay (PROTOCOL.md §4.2 Text intent and Reading): the
 * sender's intent is signed with free text, the recipient's reading is signed, logged, and sealed
 * to exercise control alone; the other state's client never receives it, and every log verifies.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadingEndToEndTest {

    @RegisterExtension
    final SeatsOnARelay seats = new SeatsOnARelay();

    HotlineClient client(String role, Recorder recorder) throws Exception {
        return seats.start(role, recorder);
    }

    @Test
    void reading_isSignedLogged_andSealedToControlOnly_neverToTheOtherState() throws Exception {
        Recorder inRec = new Recorder();
        Recorder pkRec = new Recorder();
        Recorder controlRec = new Recorder();
        BlockingQueue<MessageReading> atControl = new LinkedBlockingQueue<>();
        BlockingQueue<MessageReading> atIndia = new LinkedBlockingQueue<>();
        HotlineClient india = client("in.pm", inRec);
        HotlineClient pakistan = client("pk.pm", pkRec);
        HotlineClient control = client("control", controlRec);
        control.addListener(new ClientListener() {
            @Override
            public void readingReceived(MessageReading reading) {
                atControl.add(reading);
            }
        });
        india.addListener(new ClientListener() {
            @Override
            public void readingReceived(MessageReading reading) {
                atIndia.add(reading);
            }
        });

        MessageId id = india.send("pk.pm", new Content.Text("Our aircraft stay on our side tonight.", Intent.REASSURE),
                Optional.empty(), Optional.empty()).get(10, TimeUnit.SECONDS);
        ReceivedMessage received = pkRec.next();
        assertThat(received.id()).isEqualTo(id);

        MessageReading mine = pakistan.recordReading(id, ReadAs.THREATENING, "  why only tonight?  ")
                .get(10, TimeUnit.SECONDS);
        assertThat(mine.readAs()).isEqualTo(ReadAs.THREATENING);
        assertThat(mine.note()).isEqualTo("why only tonight?");
        assertThat(mine.sender()).isEqualTo("in.pm");
        assertThat(mine.receivedAt()).isEqualTo(received.receivedAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(mine.latency()).isGreaterThanOrEqualTo(Duration.ZERO);
        assertThat(mine.sentToControl()).isPresent();

        MessageReading seen = atControl.poll(15, TimeUnit.SECONDS);
        assertThat(seen).as("control gets the reading; problems: %s", controlRec.problems).isNotNull();
        assertThat(seen.reader()).isEqualTo("pk.pm");
        assertThat(seen.messageId()).isEqualTo(id);
        assertThat(seen.readAs()).isEqualTo(ReadAs.THREATENING);
        assertThat(seen.note()).isEqualTo("why only tonight?");
        assertThat(control.receivedReadings().get(5, TimeUnit.SECONDS)).containsExactly(seen);
        pkRec.awaitState(mine.sentToControl().get(), DeliveryState.DELIVERED);

        // The other state: no reading event, no message, nothing in its log about it.
        assertThat(atIndia).isEmpty();
        assertThat(india.receivedMessages().get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(india.receivedReadings().get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(pakistan.sentMessages().get(5, TimeUnit.SECONDS)).as("a reading is not a message shown as sent")
                .isEmpty();
        // A reading is recorded with recordReading, never sent as a message to anyone.
        var reading = (Content.Reading) events(pakistan, AuditEvent.ReadingRecorded.class).get(0).reading();
        assertThatThrownBy(() -> india.send("pk.pm", reading, Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);

        seats.closeSeats();
        for (String role : List.of("in.pm", "pk.pm", "control")) {
            AuditReport report = AuditVerifier.verify(seats.auditLog(role),
                    Optional.of(seats.relay().exercise().directory().validator()), Optional.of(seats.relay().exercise().exercise()));
            assertThat(report.problem()).as(role).isEmpty();
            long readings = report.accepted().stream().filter(e -> e.event() instanceof AuditEvent.ReadingRecorded).count();
            assertThat(readings).as(role + "'s reading entries").isEqualTo(role.equals("in.pm") ? 0 : 1);
            if (role.equals("pk.pm")) {
                var text = report.accepted().stream().map(e -> e.event())
                        .filter(e -> e instanceof AuditEvent.MessageReceived).map(e -> (AuditEvent.MessageReceived) e)
                        .findFirst().orElseThrow();
                assertThat(((Content.Text) text.content()).intent()).contains(Intent.REASSURE);
            }
        }
    }

    @Test
    void readingOfAMessageNeverReceived_isRefused() throws Exception {
        HotlineClient pakistan = client("pk.pm", new Recorder());
        assertThatThrownBy(() -> pakistan.recordReading(MessageId.of(new byte[16]), ReadAs.NEUTRAL, "")
                .get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    private static <T extends AuditEvent> List<T> events(HotlineClient c, Class<T> type) throws Exception {
        AuditReport r = c.verifyAuditLog().get(10, TimeUnit.SECONDS);
        return r.accepted().stream().map(e -> e.event()).filter(type::isInstance).map(type::cast).toList();
    }
}
