package org.hotline.protocol.exercise;

import java.util.List;
import java.util.Objects;

/** A line between roles, e.g. {@code leaders} = {in.pm, pk.pm}. A role may message only fellow members. */
public record Channel(String id, String name, List<String> members) {
    public Channel {
        Objects.requireNonNull(id);
        Objects.requireNonNull(name);
        members = List.copyOf(members);
    }

    public boolean hasMember(String role) {
        return members.contains(role);
    }
}
