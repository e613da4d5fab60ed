package org.hotline.app.server;

import java.util.stream.Collectors;
import org.hotline.app.cli.CommandFailure;
import org.hotline.app.cli.ExitCodes;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.RelayEndpoint;

/** Which relay of an exercise {@code hotline server} runs ({@code --relay NAME}, PROTOCOL.md §13). */
final class RelayChoice {

    private RelayChoice() {
    }

    /**
     * The relay named {@code name}, or the exercise's only relay when no name is given.
     *
     * @throws CommandFailure (usage) for an unknown name, or no name in an exercise with several relays
     */
    static RelayEndpoint of(Exercise exercise, String name) {
        String names = exercise.relays().stream().map(RelayEndpoint::name).collect(Collectors.joining(", "));
        if (name == null) {
            if (exercise.relays().size() == 1) {
                return exercise.relays().get(0);
            }
            throw new CommandFailure(ExitCodes.USAGE, "this exercise has several relays (" + names
                    + "): say which one to run with --relay NAME");
        }
        return exercise.relay(name).orElseThrow(() -> new CommandFailure(ExitCodes.USAGE,
                "no relay '" + name + "' in this exercise (relays: " + names + ")"));
    }
}
