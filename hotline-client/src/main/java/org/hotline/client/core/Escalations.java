package org.hotline.client.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.hotline.protocol.exercise.Escalation;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.signals.SignalException;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.MessageId;

/**
 * Escalating an unanswered message up the exercise's ladder ({@link Escalation}, docs/deadlines.md):
 * the sender asks its own party's role on the next rung to raise it (signal
 * {@value #REQUEST}, over the party's own channel), that role carries it over its rung to the other
 * party (signal {@value #CARRIED}), and, when the exercise has control, each step also sends control
 * a one-line note on the sender's channel with control. Both signals name the unanswered message and
 * its answer-by time; they are ordinary signed catalog signals (PROTOCOL.md §4.2).
 */
public final class Escalations {

    /** The sender to its own party's next rung: "message X has had no reply by T; please raise it". */
    public static final String REQUEST = "channel.escalation-request";
    /** The next rung to the other party: "our leader's message X asked for a reply by T and has had none". */
    public static final String CARRIED = "channel.unanswered";

    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

    private Escalations() {
    }

    /** One step: who gets which signal naming which message. */
    public record Step(String to, String signalId, MessageId unanswered, Instant answerBy) {
        /** The signal's parameters in canonical form (PROTOCOL.md §4.2 signal parameters). */
        public Map<String, String> params() {
            return Map.of("ref", unanswered.hex(), "answerBy",
                    answerBy.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString());
        }
    }

    /** The escalation of a missed deadline of a message this role sent, if the ladder has a rung above it. */
    public static Optional<Step> escalation(Exercise exercise, AnswerDeadline missed) {
        if (!missed.outgoing() || missed.state() != AnswerDeadline.State.MISSED) {
            return Optional.empty();
        }
        return exercise.escalation().target(exercise, missed.from(), missed.channel())
                .map(to -> new Step(to, REQUEST, missed.id(), missed.answerBy()));
    }

    /** How {@code carrier} carries a received escalation request over its rung, if it is one it can carry. */
    public static Optional<Step> carryOver(Exercise exercise, String carrier, ReceivedMessage request) {
        if (!request.signalId().equals(Optional.of(REQUEST))) {
            return Optional.empty();
        }
        String ref = request.params().get("ref");
        String by = request.params().get("answerBy");
        if (ref == null || by == null || ref.length() != 32) {
            return Optional.empty();
        }
        return exercise.escalation().carryTo(exercise, carrier)
                .map(to -> new Step(to, CARRIED, MessageId.parse(ref), Instant.parse(by)));
    }

    /**
     * Sends {@code step} and, when the exercise has control and this role a channel to it, control's
     * note. Completes with the step's message id once it is in the outbox.
     *
     * @throws SignalException the catalog lacks the signal (a build without the escalation signals)
     */
    public static CompletableFuture<MessageId> send(HotlineClient client, Step step) throws SignalException {
        Optional<java.time.Duration> asks = client.catalog().defaultAnswerBy(step.signalId());
        CompletableFuture<MessageId> sent = client.sendSignal(step.to(), step.signalId(), step.params(), Optional.empty(),
                asks.map(d -> Instant.now().plus(d)));
        Exercise ex = client.exercise();
        Optional<String> control = ex.control().map(c -> c.role())
                .filter(c -> !c.equals(client.role()) && client.channelTo(c).isPresent());
        control.ifPresent(c -> sent.thenAccept(id -> client.sendText(c, controlNote(client.role(), step))));
        return sent;
    }

    /** Control's one-line note, e.g. "Escalation: in.pm asked in.nsa to raise message 3f2a91c0 (no reply by 14:30 UTC)". */
    public static String controlNote(String role, Step step) {
        String what = step.signalId().equals(REQUEST) ? "asked " + step.to() + " to raise"
                : "carried over to " + step.to();
        return "Escalation: " + role + " " + what + " message " + step.unanswered().shortForm() + " (no reply by "
                + HHMM.format(step.answerBy().atZone(ZoneOffset.UTC)) + " UTC).";
    }
}
