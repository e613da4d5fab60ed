package org.hotline.app.participant;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.InboxItem;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.protocol.wire.MessageId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The start-up replay of {@code hotline listen} (review w8 L2, L3): --count stopping it early is
 * reported so the client is not started, and one item that cannot be printed is reported and passed
 * over instead of ending listen at that item at every later start.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ListenPrinterTest {

    final List<MessageId> marks = new ArrayList<>();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    /** A client that records marks and fails to acknowledge {@code failing}. */
    HotlineClient client(Optional<MessageId> failing) {
        return (HotlineClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {HotlineClient.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "markPresented" -> {
                        marks.add((MessageId) args[1]);
                        yield CompletableFuture.completedFuture(null);
                    }
                    case "acknowledge" -> {
                        if (failing.equals(Optional.of(args[0]))) {
                            throw new IllegalStateException("cannot acknowledge");
                        }
                        yield CompletableFuture.completedFuture(null);
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    static InboxItem item(int n) {
        byte[] id = new byte[16];
        id[15] = (byte) n;
        return new InboxItem.Message(new ReceivedMessage(MessageId.of(id), "in.pm", List.of("pk.pm"), "leaders", n,
                Instant.parse("2026-05-10T14:00:00Z"), Instant.parse("2026-05-10T14:00:01Z"), Optional.empty(),
                Optional.empty(), Map.of(), "words " + n, true, false, List.of(), List.of(), Optional.empty(),
                Optional.empty(), "ab:cd", false));
    }

    ListenPrinter printer(HotlineClient core, boolean acknowledge, Optional<Integer> count) {
        return new ListenPrinter(core, new PrintWriter(out, true), new PrintWriter(err, true), false, acknowledge,
                count);
    }

    @Test
    void countReachedWithinTheReplay_isReported_andTheMarkStaysOnTheLastLinePrinted() throws Exception {
        List<InboxItem> missed = List.of(item(1), item(2), item(3));
        assertThat(printer(client(Optional.empty()), false, Optional.of(1)).replay(missed))
                .as("stopped early: listen must not start the client").isFalse();
        assertThat(marks).containsExactly(missed.get(0).inboxId());
        assertThat(out.toString()).contains("words 1").doesNotContain("words 2");

        marks.clear();
        assertThat(printer(client(Optional.empty()), false, Optional.of(3)).replay(missed)).isTrue();
        assertThat(marks).containsExactly(missed.get(2).inboxId());
    }

    @Test
    void anItemThatCannotBePrinted_isReported_andTheReplayGoesOn() throws Exception {
        List<InboxItem> missed = List.of(item(1), item(2), item(3));
        boolean complete = printer(client(Optional.of(missed.get(1).inboxId())), true, Optional.empty()).replay(missed);
        assertThat(complete).isTrue();
        assertThat(out.toString()).contains("words 1", "words 3");
        assertThat(err.toString()).contains("hotline: could not print stored message "
                + missed.get(1).inboxId().shortForm());
        assertThat(marks).as("marked past it, as the live path passes it over").containsExactly(missed.get(2).inboxId());
    }
}
