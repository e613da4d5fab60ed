package org.hotline.client.core.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.hotline.client.core.AnswerDeadline;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.client.core.ScenarioClock;
import org.hotline.client.core.SentMessage;
import org.hotline.client.core.store.InboxStore;
import org.hotline.client.core.store.OutboxStore;
import org.hotline.client.core.store.StoreException;
import org.hotline.protocol.audit.AuditCodec;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditFormatException;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SignedMessage;

/**
 * Answer-by deadlines (PROTOCOL.md §4.1 {@code answerBy}, §11.3 {@code deadline-missed}): every
 * message this role sent, or received as a member of its channel, that asks for an answer by a time
 * is watched until a recipient replies ({@code inReplyTo} naming it) or the deadline passes. A missed
 * deadline is written to the audit log once (never again after a restart: the log is read at open)
 * and reported to the listeners. With an exercise clock the deadline is in scenario time, so a paused
 * clock holds it. It hears of messages as a listener of the engine's own events, so the outbox and
 * inbox need not know about it. Engine thread only.
 */
final class DeadlineWatch implements ClientListener {

    /** How often a running client looks for passed deadlines. */
    static final Duration TICK = Duration.ofSeconds(1);

    private final String role;
    private final Exercise exercise;
    private final OutboxStore outbox;
    private final InboxStore inbox;
    private final ClientAudit audit;
    private final Listeners listeners;
    private final Supplier<Optional<ScenarioClock>> scenario;
    private final Clock clock;
    private final Map<MessageId, AnswerDeadline> deadlines = new LinkedHashMap<>();
    private final Map<MessageId, SignedMessage> messages = new HashMap<>();
    /** Per message id: roles that replied to it, seen before or after the message itself. */
    private final Map<MessageId, Set<String>> repliedBy = new HashMap<>();
    private final Set<MessageId> missedInLog = new HashSet<>();

    DeadlineWatch(String role, Exercise exercise, OutboxStore outbox, InboxStore inbox, ClientAudit audit,
                  Listeners listeners, Supplier<Optional<ScenarioClock>> scenario, Clock clock) {
        this.role = role;
        this.exercise = exercise;
        this.outbox = outbox;
        this.inbox = inbox;
        this.audit = audit;
        this.listeners = listeners;
        this.scenario = scenario;
        this.clock = clock;
    }

    /**
     * At open, after the inbox and outbox: the deadlines of stored messages again, those the log
     * already records as missed as missed (not written twice), replies as answers.
     */
    void load() throws IOException, StoreException {
        for (String line : Files.readAllLines(audit.file(), StandardCharsets.UTF_8)) {
            try {
                if (AuditCodec.decode(line.getBytes(StandardCharsets.UTF_8)).event() instanceof AuditEvent.DeadlineMissed d) {
                    missedInLog.add(d.id());
                }
            } catch (AuditFormatException notAnEntry) {
                // A torn line is never used (§11.5).
            }
        }
        List<SignedMessage> all = new ArrayList<>();
        outbox.allOutgoing().forEach(o -> all.add(o.message()));
        inbox.allIncoming().forEach(i -> all.add(i.message()));
        all.forEach(m -> see(m, false));
    }

    @Override
    public void messageQueued(SentMessage message) {
        try {
            outbox.outgoing(message.id()).ifPresent(o -> see(o.message(), true));
        } catch (StoreException e) {
            audit.problem("answer-by deadline of message " + message.id().shortForm() + " not watched: " + e.getMessage());
        }
    }

    @Override
    public void messageReceived(ReceivedMessage message) {
        try {
            inbox.incoming(message.id()).ifPresent(m -> see(m, true));
        } catch (StoreException e) {
            audit.problem("answer-by deadline of message " + message.id().shortForm() + " not watched: " + e.getMessage());
        }
    }

    /** A message this client sent or accepted: a reply settles what it answers; an answer-by starts a watch. */
    private void see(SignedMessage m, boolean announce) {
        MessageHeader h = m.header();
        h.inReplyTo().ifPresent(original -> {
            repliedBy.computeIfAbsent(original, k -> new HashSet<>()).add(h.sender());
            AnswerDeadline d = deadlines.get(original);
            if (d != null && d.state() == AnswerDeadline.State.OPEN && answers(d, h.sender())) {
                settle(d.settled(AnswerDeadline.State.ANSWERED, clock.instant()), announce);
            }
        });
        if (h.answerBy().isEmpty() || deadlines.containsKey(h.messageId()) || !watches(h)) {
            return;
        }
        AnswerDeadline d = new AnswerDeadline(h.messageId(), h.sender(), h.recipients(), h.channel(), h.sentAt(),
                h.answerBy().get(), h.sender().equals(role), Optional.empty(), AnswerDeadline.State.OPEN,
                Optional.empty());
        d = withScenario(d);
        if (missedInLog.contains(d.id())) {
            d = d.settled(AnswerDeadline.State.MISSED, clock.instant());
        } else if (repliedBy.getOrDefault(d.id(), Set.of()).stream().anyMatch(r -> answers(deadlineOf(h), r))) {
            d = d.settled(AnswerDeadline.State.ANSWERED, clock.instant());
        }
        messages.put(d.id(), m);
        settle(d, announce);
    }

    private static AnswerDeadline deadlineOf(MessageHeader h) {
        return new AnswerDeadline(h.messageId(), h.sender(), h.recipients(), h.channel(), h.sentAt(),
                h.answerBy().orElseThrow(), false, Optional.empty(), AnswerDeadline.State.OPEN, Optional.empty());
    }

    /** A reply counts if it comes from one of the message's recipients (never from its own sender). */
    private static boolean answers(AnswerDeadline d, String replier) {
        return !replier.equals(d.from()) && d.to().contains(replier);
    }

    /**
     * The sender and the channel's members watch; an observer (exercise control reading a channel)
     * does not, since it is not asked anything.
     */
    private boolean watches(MessageHeader h) {
        return h.sender().equals(role) || exercise.channel(h.channel()).map(c -> c.hasMember(role)).orElse(false);
    }

    private AnswerDeadline withScenario(AnswerDeadline d) {
        Optional<ScenarioClock> sc = scenario.get();
        if (d.scenarioDeadline().isPresent() || sc.isEmpty()) {
            return d;
        }
        // Fixed once: later clock changes move the scenario clock, not where on it the deadline stands.
        return d.withScenarioDeadline(sc.get().scenarioAt(d.sentAt()).plus(Duration.between(d.sentAt(), d.answerBy())));
    }

    private void settle(AnswerDeadline d, boolean announce) {
        deadlines.put(d.id(), d);
        if (announce) {
            listeners.fire(l -> l.deadlineChanged(d));
        }
    }

    /** Writes and reports every open deadline that has passed. */
    void tick() {
        Instant now = clock.instant();
        Optional<ScenarioClock> sc = scenario.get();
        for (AnswerDeadline open : List.copyOf(deadlines.values())) {
            if (open.state() != AnswerDeadline.State.OPEN) {
                continue;
            }
            AnswerDeadline d = withScenario(open);
            if (d != open) {
                deadlines.put(d.id(), d);
            }
            if (!d.remaining(now, sc).isNegative() && !d.remaining(now, sc).isZero()) {
                continue;
            }
            AnswerDeadline missed = d.settled(AnswerDeadline.State.MISSED, now);
            try {
                audit.deadlineMissed(messages.get(d.id()), d.followsExerciseClock()
                        ? AuditEvent.DeadlineMissed.EXERCISE : AuditEvent.DeadlineMissed.WALL, d.deadline());
            } catch (IOException e) {
                audit.problem("audit log: could not record the missed deadline of message " + d.id().shortForm()
                        + ": " + e.getMessage());
            }
            settle(missed, true);
        }
    }

    /** Every watched deadline, in the order first seen. */
    List<AnswerDeadline> deadlines() {
        return List.copyOf(deadlines.values());
    }
}
