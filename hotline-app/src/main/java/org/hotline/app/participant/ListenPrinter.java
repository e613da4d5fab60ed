package org.hotline.app.participant;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.InboxItem;
import org.hotline.client.core.MessageReading;
import org.hotline.client.core.ReceivedInject;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.protocol.text.DisplaySafe;
import org.hotline.protocol.wire.MessageId;

/**
 * What {@code hotline listen} prints: first, at start-up, every stored arrival after listen's
 * durable mark in the inbox ({@link #replay}), the ones a killed run had stored and confirmed but
 * not printed; then each live one as the engine hands it over, after which the engine moves the
 * mark past its batch ({@link HotlineClient#resumePresentation}). Messages, injects and readings
 * are printed; link tests, log checkpoints and the exercise clock never are.
 *
 * <p>At least once across a kill, never lost: a line printed whose mark was not written yet when the
 * process died is printed again at the next start, at most one batch ({@value #MARK_EVERY} lines).
 * Every callback prints and flushes before it returns, which the engine's mark relies on.
 */
final class ListenPrinter implements ClientListener {

    /** Listen's name for its mark in the client store. */
    static final String CONSUMER = "listen";
    /** During the replay, the mark is written after this many lines, and after the last. */
    static final int MARK_EVERY = 64;

    private final HotlineClient core;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final boolean acknowledge;
    private final AtomicInteger seen = new AtomicInteger();
    /** Counts down per printed message, inject and reading (not per equivocating copy): --count. */
    private final CountDownLatch done;

    ListenPrinter(HotlineClient core, PrintWriter out, PrintWriter err, boolean json, boolean acknowledge,
                  Optional<Integer> count) {
        this.core = core;
        this.out = out;
        this.err = err;
        this.json = json;
        this.acknowledge = acknowledge;
        this.done = new CountDownLatch(count.orElse(Integer.MAX_VALUE));
    }

    /** Counts down to zero once --count lines were printed. */
    CountDownLatch done() {
        return done;
    }

    int seen() {
        return seen.get();
    }

    /**
     * Prints {@code missed} (what {@link HotlineClient#resumePresentation} returned), in order,
     * marking each run of {@value #MARK_EVERY} and the last as presented; stops early once --count
     * is reached, with the mark on the last line printed. Call before the client starts, so nothing
     * live comes between them.
     *
     * <p>One item that cannot be printed is reported on the error stream and passed over, as the live
     * path passes it over: left before the mark, it would stop every later run at the same item.
     *
     * @return false if --count stopped it before the end of {@code missed}: the client must then not
     *     start, as a live batch would move the mark past the items not printed (they are printed by
     *     the next run)
     */
    boolean replay(List<InboxItem> missed) throws InterruptedException, ExecutionException {
        Optional<MessageId> unmarked = Optional.empty();
        int sinceMark = 0;
        boolean complete = true;
        for (InboxItem item : missed) {
            if (done.getCount() == 0) {
                complete = false;
                break;
            }
            try {
                present(item);
            } catch (RuntimeException e) {
                problem("could not print stored message " + item.inboxId().shortForm() + " again: " + e);
            }
            unmarked = Optional.of(item.inboxId());
            if (++sinceMark == MARK_EVERY) {
                core.markPresented(CONSUMER, unmarked.get()).get();
                unmarked = Optional.empty();
                sinceMark = 0;
            }
        }
        if (unmarked.isPresent()) {
            core.markPresented(CONSUMER, unmarked.get()).get();
        }
        return complete;
    }

    private void present(InboxItem item) {
        if (item instanceof InboxItem.Message m) {
            // Printed even when acknowledged since (the console): this run has not shown it.
            print(m.message(), !m.message().acknowledged());
        } else if (item instanceof InboxItem.Inject i) {
            injectReceived(i.inject());
        } else if (item instanceof InboxItem.Reading r) {
            readingReceived(r.reading());
        }
    }

    @Override
    public void messageReceived(ReceivedMessage m) {
        // An acknowledged one is the update of a message printed before, not a new message.
        if (!m.acknowledged()) {
            print(m, true);
        }
    }

    private void print(ReceivedMessage m, boolean mayAcknowledge) {
        seen.incrementAndGet();
        out.println(json ? ListenCommand.json(m, core.catalog(), core.exercise().parties()) : ListenCommand.human(m));
        out.flush();
        if (acknowledge && mayAcknowledge) {
            core.acknowledge(m.id());
        }
        done.countDown();
    }

    @Override
    public void equivocationReceived(ReceivedMessage copy) {
        // Evidence, not a new message: printed flagged so a reader of the output sees it.
        out.println(json ? ListenCommand.json(copy) : ListenCommand.human(copy));
        out.flush();
    }

    @Override
    public void injectReceived(ReceivedInject i) {
        seen.incrementAndGet();
        out.println(json ? InjectLines.json(i, core.catalog()) : InjectLines.human(i));
        out.flush();
        done.countDown();
    }

    @Override
    public void readingReceived(MessageReading r) {
        seen.incrementAndGet();
        out.println(json ? ReadingLines.json(r) : ReadingLines.human(r));
        out.flush();
        done.countDown();
    }

    @Override
    public void problem(String message) {
        err.println("hotline: " + DisplaySafe.line(message));
    }
}
