package org.hotline.protocol.exercise;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A line between roles, e.g. {@code leaders} = {in.pm, pk.pm}. A role may message only fellow
 * members. {@code observers} receive every message on the channel but never send on it: exercise
 * control when the exercise lets it read content (PROTOCOL.md §1.1).
 */
public record Channel(String id, String name, List<String> members, List<String> observers) {
    public Channel {
        Objects.requireNonNull(id);
        Objects.requireNonNull(name);
        members = List.copyOf(members);
        observers = List.copyOf(observers);
    }

    public Channel(String id, String name, List<String> members) {
        this(id, name, members, List.of());
    }

    public boolean hasMember(String role) {
        return members.contains(role);
    }

    public boolean hasObserver(String role) {
        return observers.contains(role);
    }

    /**
     * Who a message from {@code sender} on this channel must be addressed to, sorted: every other
     * member and every observer (PROTOCOL.md §4.5). Receivers refuse any other recipient list.
     */
    public List<String> addressees(String sender) {
        return Stream.concat(members.stream(), observers.stream()).filter(r -> !r.equals(sender)).sorted().toList();
    }
}
