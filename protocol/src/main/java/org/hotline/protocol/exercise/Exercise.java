package org.hotline.protocol.exercise;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An exercise as described by {@code exercise.json}: parties, roles, channels and the relay address.
 * Channel policy lives here: {@link #channelFor} is the single rule the relay and clients apply.
 */
public final class Exercise {

    private final String id;
    private final String name;
    private final String template;
    private final String relayHost;
    private final int relayPort;
    private final Map<String, Party> parties;
    private final Map<String, Role> roles;
    private final Map<String, Channel> channels;
    private final Optional<ExerciseControl> control;
    private final Escalation escalation;
    /** Every relay, in the order exercise.json lists them; the first is {@link #relayHost}:{@link #relayPort}. */
    private final List<RelayEndpoint> relays;

    /**
     * Every field is final and set here, relays included: one Exercise is shared with the relay's
     * event loops and client threads, which must see it whole without further synchronization.
     */
    Exercise(String id, String name, String template, List<RelayEndpoint> relays, List<Party> parties,
             List<Role> roles, List<Channel> channels, Optional<ExerciseControl> control, Escalation escalation) {
        this.id = Objects.requireNonNull(id);
        this.name = Objects.requireNonNull(name);
        this.template = Objects.requireNonNull(template);
        if (relays.isEmpty()) {
            throw new IllegalArgumentException("an exercise has at least one relay");
        }
        this.relays = List.copyOf(relays);
        this.relayHost = this.relays.get(0).host();
        this.relayPort = this.relays.get(0).port();
        this.parties = index(parties, Party::id);
        this.roles = index(roles, Role::id);
        this.channels = index(channels, Channel::id);
        this.control = Objects.requireNonNull(control);
        this.escalation = Objects.requireNonNull(escalation);
    }

    /**
     * Every relay of the exercise, in the order {@code exercise.json} lists them: one named
     * {@code relay}, or several (PROTOCOL.md §13) that clients send every message through.
     */
    public List<RelayEndpoint> relays() {
        return relays;
    }

    /** The relay named {@code name}, if the exercise has one. */
    public Optional<RelayEndpoint> relay(String name) {
        return relays.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    private static <T> Map<String, T> index(List<T> items, java.util.function.Function<T, String> key) {
        Map<String, T> m = new LinkedHashMap<>();
        items.forEach(i -> m.put(key.apply(i), i));
        return java.util.Collections.unmodifiableMap(m);
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String template() {
        return template;
    }

    public String relayHost() {
        return relayHost;
    }

    public int relayPort() {
        return relayPort;
    }

    public List<Party> parties() {
        return List.copyOf(parties.values());
    }

    public List<Role> roles() {
        return List.copyOf(roles.values());
    }

    public List<Channel> channels() {
        return List.copyOf(channels.values());
    }

    /** The exercise-control seat, if the exercise has one (every template does). */
    public Optional<ExerciseControl> control() {
        return control;
    }

    /** The escalation ladder for unanswered messages ({@link Escalation#NONE} when the file has none). */
    public Escalation escalation() {
        return escalation;
    }

    /** Whether {@code roleId} is exercise control: the only role whose injects and clock messages count. */
    public boolean isControl(String roleId) {
        return control.isPresent() && control.get().role().equals(roleId);
    }

    /** Channels {@code roleId} receives as an observer, without being a member (PROTOCOL.md §1.1). */
    public List<Channel> channelsObservedBy(String roleId) {
        return channels.values().stream().filter(c -> c.hasObserver(roleId)).toList();
    }

    public Optional<Role> role(String roleId) {
        return Optional.ofNullable(roles.get(roleId));
    }

    public Optional<Channel> channel(String channelId) {
        return Optional.ofNullable(channels.get(channelId));
    }

    public List<Channel> channelsOf(String roleId) {
        return channels.values().stream().filter(c -> c.hasMember(roleId)).toList();
    }

    /**
     * The channel policy: a message from {@code sender} to {@code recipients} on {@code channelId} is
     * allowed only if the channel exists, the sender is a member of it and every recipient is a
     * member or an observer of it (observers receive, never send).
     *
     * @return empty if allowed, otherwise the human-readable rule that was broken
     */
    public Optional<String> policyViolation(String sender, String channelId, List<String> recipients) {
        Channel c = channels.get(channelId);
        if (c == null) {
            return Optional.of("channel '" + channelId + "' does not exist in exercise " + id);
        }
        if (!c.hasMember(sender)) {
            return Optional.of(sender + " is not a member of channel '" + channelId + "'");
        }
        for (String r : recipients) {
            if (!c.hasMember(r) && !c.hasObserver(r)) {
                return Optional.of(r + " is not a member of channel '" + channelId + "' (members: "
                        + String.join(", ", c.members()) + ")");
            }
            if (r.equals(sender)) {
                return Optional.of(sender + " cannot send to itself");
            }
        }
        return Optional.empty();
    }

    /** The channel a sender would use to reach {@code recipient}: the first channel holding both. */
    public Optional<Channel> channelFor(String sender, String recipient) {
        return channels.values().stream().filter(c -> c.hasMember(sender) && c.hasMember(recipient)
                && !sender.equals(recipient)).findFirst();
    }
}
