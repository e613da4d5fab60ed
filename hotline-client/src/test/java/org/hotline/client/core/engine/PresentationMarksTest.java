package org.hotline.client.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.client.core.InboxItem;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.MessageId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up replay behind {@code hotline listen}: what the inbox stored and handed over while
 * no consumer followed it (a process killed between the commit and the printing) is returned at the
 * next resume, in arrival order, machine traffic left out; a resumed consumer's mark follows every
 * handed-over batch, so a restart returns nothing it was handed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PresentationMarksTest {

    @TempDir
    static Path shared;
    static TestExercise exercise;

    @TempDir
    Path tmp;
    EngineHarness india;
    EngineHarness pakistan;

    @BeforeAll
    static void pki() {
        exercise = TestExercise.withoutControlReading(shared);
    }

    @BeforeEach
    void engines() throws Exception {
        india = EngineHarness.open(exercise, tmp.resolve("in.pm"), "in.pm");
        pakistan = EngineHarness.open(exercise, tmp.resolve("pk.pm"), "pk.pm");
        india.welcome();
        pakistan.welcome();
    }

    @AfterEach
    void close() {
        india.close();
        pakistan.close();
    }

    /** India composes {@code content} to Pakistan; returns the SEND frame the relay would get. */
    Frame.Send send(Content content) throws Exception {
        MessageId id = india.onEngine(() -> india.engine.outbox.compose(india.engine.exercise.channelFor("in.pm", "pk.pm")
                .orElseThrow(), content, Optional.empty(), Optional.empty()));
        india.sync();
        return india.connection.sent(Frame.Send.class).stream().filter(s -> s.messageId().equals(id)).findFirst()
                .orElseThrow();
    }

    /** Delivers all of {@code sends} to Pakistan together: stored as one batch, then handed over. */
    void deliverTogether(Frame.Send... sends) throws Exception {
        for (Frame.Send s : sends) {
            pakistan.connection.inject(EngineHarness.deliverTo("pk.pm", s));
        }
        pakistan.sync();
    }

    void restartPakistan() throws Exception {
        pakistan.close();
        pakistan = EngineHarness.reopen(exercise, tmp.resolve("pk.pm"), "pk.pm", pakistan.memory);
        pakistan.welcome();
    }

    List<InboxItem> resume(String consumer) throws Exception {
        return pakistan.onEngine(() -> pakistan.engine.presentation.resume(consumer));
    }

    static List<String> texts(List<InboxItem> items) {
        return items.stream().map(i -> ((InboxItem.Message) i).message().text()).toList();
    }

    @Test
    void whatWasHandedOverWithNoConsumerFollowing_isReturnedAtTheNextResume_inOrder_withoutMachineTraffic()
            throws Exception {
        Frame.Send first = send(new Content.Text("first"));
        Frame.Send linkTest = send(new Content.LinkTest(42));
        Frame.Send second = send(new Content.Text("second"));
        deliverTogether(first, linkTest, second);
        assertThat(pakistan.memory.allIncoming()).as("all three stored").hasSize(3);

        restartPakistan();
        List<InboxItem> missed = resume("listen");
        assertThat(texts(missed)).containsExactly("first", "second");
        assertThat(missed).extracting(InboxItem::inboxId).containsExactly(first.messageId(), second.messageId());

        // The replay printed "first", then the process died before "second".
        pakistan.onEngine(() -> {
            pakistan.engine.presentation.mark("listen", first.messageId());
            return null;
        });
        restartPakistan();
        assertThat(texts(resume("listen"))).containsExactly("second");
    }

    @Test
    void aResumedConsumersMark_followsEveryHandedOverBatch_otherConsumersKeepTheirOwn() throws Exception {
        assertThat(resume("listen")).isEmpty();
        deliverTogether(send(new Content.Text("a")), send(new Content.Text("b")));
        deliverTogether(send(new Content.Text("c")));

        restartPakistan();
        assertThat(resume("listen")).as("handed over while listen followed").isEmpty();
        assertThat(texts(resume("other"))).as("a consumer that never followed").containsExactly("a", "b", "c");

        // Handed over with no consumer resumed in this run (killed before it printed): returned next time.
        restartPakistan();
        deliverTogether(send(new Content.Text("d")));
        restartPakistan();
        assertThat(texts(resume("listen"))).containsExactly("d");
    }

    @Test
    void aReplayedMessage_keepsTheGapItArrivedAbove() throws Exception {
        Frame.Send one = send(new Content.Text("one"));
        send(new Content.Text("two"));
        Frame.Send three = send(new Content.Text("three"));
        deliverTogether(one, three);

        restartPakistan();
        List<InboxItem> missed = resume("listen");
        assertThat(texts(missed)).containsExactly("one", "three");
        ReceivedMessage replayed = ((InboxItem.Message) missed.get(1)).message();
        assertThat(replayed.missing()).as("flagged as live: message 2 missing before it").containsExactly(2L);
        assertThat(((InboxItem.Message) missed.get(0)).message().missing()).isEmpty();
    }
}
