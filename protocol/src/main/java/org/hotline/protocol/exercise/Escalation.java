package org.hotline.protocol.exercise;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The exercise's escalation ladder ({@code exercise.json} {@code escalation}): channels from the
 * lowest rung to the highest, e.g. {@code leaders} → {@code nsa}. When a message on one rung passes
 * its answer-by time without a reply, its sender may ask the role of its own party on the next rung
 * to raise it there (docs/deadlines.md); {@code automatic} sends that request without asking.
 */
public record Escalation(List<String> ladder, boolean automatic) {

    /** No ladder: nothing can be escalated. */
    public static final Escalation NONE = new Escalation(List.of(), false);

    public Escalation {
        ladder = List.copyOf(ladder);
    }

    /** The channel one rung above {@code channelId}, if it is on the ladder and not at the top. */
    public Optional<String> nextRung(String channelId) {
        int at = ladder.indexOf(channelId);
        return at < 0 || at + 1 >= ladder.size() ? Optional.empty() : Optional.of(ladder.get(at + 1));
    }

    /**
     * The role an unanswered message of {@code sender} on {@code channelId} is escalated to: the member
     * of the next rung's channel in the sender's own party, reachable from the sender on a channel of
     * their own (the template's party channel). Empty if the message cannot be escalated.
     */
    public Optional<String> target(Exercise exercise, String sender, String channelId) {
        Objects.requireNonNull(exercise, "exercise");
        Optional<Role> from = exercise.role(sender);
        Optional<Channel> rung = nextRung(channelId).flatMap(exercise::channel);
        if (from.isEmpty() || rung.isEmpty()) {
            return Optional.empty();
        }
        String party = from.get().party().id();
        return rung.get().members().stream()
                .filter(m -> !m.equals(sender))
                .filter(m -> exercise.role(m).map(r -> r.party().id().equals(party)).orElse(false))
                .filter(m -> exercise.channelFor(sender, m).isPresent())
                .findFirst();
    }

    /**
     * Who {@code carrier} carries an escalation to: on the highest rung it is a member of, the member
     * of another party (the template: in.nsa → pk.nsa over {@code nsa}). Empty if it is on no rung.
     */
    public Optional<String> carryTo(Exercise exercise, String carrier) {
        Optional<String> party = exercise.role(carrier).map(r -> r.party().id());
        for (int i = ladder.size() - 1; i >= 0 && party.isPresent(); i--) {
            Optional<Channel> rung = exercise.channel(ladder.get(i)).filter(c -> c.hasMember(carrier));
            Optional<String> peer = rung.flatMap(c -> c.members().stream()
                    .filter(m -> exercise.role(m).map(r -> !r.party().id().equals(party.get())).orElse(false))
                    .findFirst());
            if (peer.isPresent()) {
                return peer;
            }
        }
        return Optional.empty();
    }
}
