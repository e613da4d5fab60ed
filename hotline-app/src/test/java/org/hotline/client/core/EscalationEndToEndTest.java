package org.hotline.client.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hotline.app.testing.RelayClients;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.MessageId;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A missed answer-by deadline escalated up the template's ladder on a real relay (docs/deadlines.md):
 * in.pm's request to pk.pm goes unanswered, in.pm escalates to in.nsa over India's own channel,
 * in.nsa carries it over the NSA channel to pk.nsa, and control gets a note of each step. With the
 * exercise's automatic escalation, the request goes up without a click.
 */
@Timeout(60)
class EscalationEndToEndTest {

    @TempDir
    Path tmp;
    RelayFixture relay;
    final List<HotlineClient> open = new ArrayList<>();

    @AfterEach
    void close() {
        open.forEach(HotlineClient::close);
        if (relay != null) {
            relay.close();
        }
    }

    HotlineClient seat(String role, BlockingQueue<ReceivedMessage> inbox) throws Exception {
        HotlineClient c = RelayClients.open(relay, role, tmp.resolve("data").resolve(role));
        c.addListener(new ClientListener() {
            @Override
            public void messageReceived(ReceivedMessage m) {
                inbox.add(m);
            }
        });
        open.add(c);
        c.start();
        return c;
    }

    static AnswerDeadline awaitMissed(BlockingQueue<AnswerDeadline> q) throws InterruptedException {
        for (AnswerDeadline d; (d = q.poll(20, TimeUnit.SECONDS)) != null; ) {
            if (d.state() == AnswerDeadline.State.MISSED) {
                return d;
            }
        }
        throw new AssertionError("no missed deadline");
    }

    static ReceivedMessage awaitFrom(BlockingQueue<ReceivedMessage> q, String from) throws InterruptedException {
        for (ReceivedMessage m; (m = q.poll(20, TimeUnit.SECONDS)) != null; ) {
            if (m.from().equals(from)) {
                return m;
            }
        }
        throw new AssertionError("nothing from " + from);
    }

    @Test
    void missedDeadline_escalatedToTheNsa_carriedOverToTheOtherNsa_controlNoted() throws Exception {
        relay = new RelayFixture(tmp, c -> c);
        BlockingQueue<ReceivedMessage> pkPm = new LinkedBlockingQueue<>();
        BlockingQueue<ReceivedMessage> inNsa = new LinkedBlockingQueue<>();
        BlockingQueue<ReceivedMessage> pkNsa = new LinkedBlockingQueue<>();
        BlockingQueue<ReceivedMessage> control = new LinkedBlockingQueue<>();
        BlockingQueue<AnswerDeadline> indiaDeadlines = new LinkedBlockingQueue<>();
        BlockingQueue<AnswerDeadline> pakistanDeadlines = new LinkedBlockingQueue<>();
        HotlineClient india = seat("in.pm", new LinkedBlockingQueue<>());
        HotlineClient pakistan = seat("pk.pm", pkPm);
        HotlineClient indiaNsa = seat("in.nsa", inNsa);
        HotlineClient pakistanNsa = seat("pk.nsa", pkNsa);
        seat("control", control);
        india.addListener(new ClientListener() {
            @Override
            public void deadlineChanged(AnswerDeadline d) {
                indiaDeadlines.add(d);
            }
        });
        pakistan.addListener(new ClientListener() {
            @Override
            public void deadlineChanged(AnswerDeadline d) {
                pakistanDeadlines.add(d);
            }
        });

        MessageId asked = india.send("pk.pm", new Content.Text("Please confirm the call at 16:00 UTC."), Optional.empty(),
                Optional.of(Instant.now().plusSeconds(2))).get(10, TimeUnit.SECONDS);
        assertThat(awaitFrom(pkPm, "in.pm").answerBy()).isPresent();
        AnswerDeadline missed = awaitMissed(indiaDeadlines);
        assertThat(missed.id()).isEqualTo(asked);
        assertThat(awaitMissed(pakistanDeadlines).id()).isEqualTo(asked);

        Escalations.Step step = Escalations.escalation(india.exercise(), missed).orElseThrow();
        assertThat(step.to()).isEqualTo("in.nsa");
        Escalations.send(india, step).get(10, TimeUnit.SECONDS);
        ReceivedMessage request = awaitFrom(inNsa, "in.pm");
        assertThat(request.channel()).isEqualTo("in.internal");
        assertThat(request.signalId()).contains(Escalations.REQUEST);
        assertThat(request.params()).containsEntry("ref", asked.hex());
        assertThat(request.text()).contains("message " + asked.shortForm()).contains("has had no reply by");

        Escalations.Step carry = Escalations.carryOver(indiaNsa.exercise(), "in.nsa", request).orElseThrow();
        assertThat(carry.to()).isEqualTo("pk.nsa");
        Escalations.send(indiaNsa, carry).get(10, TimeUnit.SECONDS);
        ReceivedMessage carried = awaitFrom(pkNsa, "in.nsa");
        assertThat(carried.channel()).isEqualTo("nsa");
        assertThat(carried.signalId()).contains(Escalations.CARRIED);
        assertThat(carried.params()).containsEntry("ref", asked.hex());
        assertThat(carried.answerBy()).as("the NSA asks within the catalog's 30 minutes").isPresent();

        List<String> notes = new ArrayList<>();
        while (notes.size() < 2) {
            ReceivedMessage m = control.poll(20, TimeUnit.SECONDS);
            assertThat(m).as("control's notes so far: " + notes).isNotNull();
            if (m.channel().startsWith("control.")) {
                notes.add(m.from() + ": " + m.text());
            }
        }
        assertThat(notes).containsExactlyInAnyOrder("in.pm: " + Escalations.controlNote("in.pm", step),
                "in.nsa: " + Escalations.controlNote("in.nsa", carry));
        assertThat(notes.get(0) + notes.get(1)).contains("Escalation: in.pm asked in.nsa to raise message "
                + asked.shortForm()).contains("Escalation: in.nsa carried over to pk.nsa message " + asked.shortForm());

        // Both parties' logs verify with the deadline-missed entry in them.
        india.close();
        pakistan.close();
        for (String role : List.of("in.pm", "pk.pm")) {
            var report = AuditVerifier.verify(tmp.resolve("data").resolve(role).resolve("audit.jsonl"),
                    Optional.of(relay.exercise().directory().validator()), Optional.of(relay.exercise().exercise()));
            assertThat(report.problem()).as(role).isEmpty();
            assertThat(report.accepted()).filteredOn(e -> e.event() instanceof AuditEvent.DeadlineMissed).hasSize(1);
        }
    }

    @Test
    void automaticEscalation_sendsTheRequestWithoutAClick() throws Exception {
        relay = new RelayFixture(tmp, c -> c);
        Path exerciseJson = relay.exercise().dir().resolve("exercise.json");
        String json = Files.readString(exerciseJson);
        assertThat(json).contains("\"automatic\" : false");
        Files.writeString(exerciseJson, json.replace("\"automatic\" : false", "\"automatic\" : true"));
        BlockingQueue<ReceivedMessage> inNsa = new LinkedBlockingQueue<>();
        HotlineClient india = seat("in.pm", new LinkedBlockingQueue<>());
        seat("pk.pm", new LinkedBlockingQueue<>());
        seat("in.nsa", inNsa);
        assertThat(india.exercise().escalation().automatic()).isTrue();
        MessageId asked = india.send("pk.pm", new Content.Text("Call?"), Optional.empty(),
                Optional.of(Instant.now().plusSeconds(2))).get(10, TimeUnit.SECONDS);
        ReceivedMessage request = awaitFrom(inNsa, "in.pm");
        assertThat(request.signalId()).contains(Escalations.REQUEST);
        assertThat(request.params()).containsEntry("ref", asked.hex());
    }
}
