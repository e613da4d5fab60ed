package org.hotline.protocol.exercise.msel;

import java.util.List;

/** An MSEL file that cannot be used: every problem found, each naming its line and field. */
public final class MselException extends Exception {

    private final List<String> problems;

    public MselException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public MselException(String problem) {
        this(List.of(problem));
    }

    /** One line per problem, e.g. {@code south-asia.yaml:42: injects[3].kind: unknown kind 'rumour' (...)}. */
    public List<String> problems() {
        return problems;
    }
}
