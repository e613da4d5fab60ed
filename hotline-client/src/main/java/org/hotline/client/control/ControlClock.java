package org.hotline.client.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import org.hotline.protocol.wire.Content;

/**
 * The exercise clock as exercise control keeps it (docs/exercise-control.md): scenario time runs
 * from an anchor at a speed, or stands still while paused. Every change is stored in control's data
 * directory ({@value #FILE}) before it is announced, so the clock survives a restart of the control
 * process. Not thread-safe: the player's thread owns it.
 */
public final class ControlClock {

    public static final String FILE = "exercise-clock.json";

    /**
     * @param started        whether control has started the exercise clock
     * @param anchorReal     the real time {@code anchorScenario} refers to
     * @param anchorScenario the scenario time at {@code anchorReal}
     */
    public record State(boolean started, Instant anchorReal, Instant anchorScenario, int speedPermille, boolean running) {
        public State {
            Objects.requireNonNull(anchorReal, "anchorReal");
            Objects.requireNonNull(anchorScenario, "anchorScenario");
        }

        public Instant scenarioAt(Instant now) {
            return clock(Content.ClockAction.START).scenarioAt(anchorReal, now);
        }

        /** This state as the clock content control signs. */
        public Content.ExerciseClock clock(Content.ClockAction action) {
            return new Content.ExerciseClock(action, anchorScenario, speedPermille, running);
        }

        public boolean paused() {
            return started && !running;
        }
    }

    private final StateFile file;
    private State state;

    private ControlClock(StateFile file, State state) {
        this.file = file;
        this.state = state;
    }

    /**
     * The clock stored in {@code dataDir}, or a new one that has not started, standing at
     * {@code scenarioStart}, running at {@code speedPermille} once started.
     */
    public static ControlClock open(Path dataDir, Instant scenarioStart, int speedPermille, Instant now) throws IOException {
        StateFile f = new StateFile(dataDir.resolve(FILE));
        var stored = f.read();
        if (stored.isPresent()) {
            JsonNode n = stored.get();
            try {
                return new ControlClock(f, new State(n.get("started").asBoolean(), Instant.parse(n.get("anchorReal").asText()),
                        Instant.parse(n.get("anchorScenario").asText()), n.get("speedPermille").asInt(),
                        n.get("running").asBoolean()));
            } catch (RuntimeException e) {
                throw new IOException(f.path() + " is not a stored exercise clock: " + e.getMessage(), e);
            }
        }
        return new ControlClock(f, new State(false, now, scenarioStart, speedPermille, false));
    }

    public State state() {
        return state;
    }

    public Instant scenarioAt(Instant now) {
        return state.scenarioAt(now);
    }

    /** Starts the clock at its scenario start (or where it stands). */
    public Content.ExerciseClock start(Instant now) throws IOException {
        return set(new State(true, now, state.scenarioAt(now), state.speedPermille(), true), Content.ClockAction.START);
    }

    public Content.ExerciseClock pause(Instant now) throws IOException {
        return set(new State(state.started(), now, state.scenarioAt(now), state.speedPermille(), false),
                Content.ClockAction.PAUSE);
    }

    public Content.ExerciseClock resume(Instant now) throws IOException {
        return set(new State(true, now, state.scenarioAt(now), state.speedPermille(), true), Content.ClockAction.RESUME);
    }

    public Content.ExerciseClock speed(Instant now, int speedPermille) throws IOException {
        if (speedPermille < 1 || speedPermille > Content.MAX_SPEED_PERMILLE) {
            throw new IllegalArgumentException("speed must be 0.001x .. 1000x");
        }
        return set(new State(state.started(), now, state.scenarioAt(now), speedPermille, state.running()),
                Content.ClockAction.SPEED);
    }

    private Content.ExerciseClock set(State next, Content.ClockAction action) throws IOException {
        ObjectNode n = StateFile.JSON.createObjectNode();
        n.put("started", next.started());
        n.put("anchorReal", next.anchorReal().toString());
        n.put("anchorScenario", next.anchorScenario().toString());
        n.put("speedPermille", next.speedPermille());
        n.put("running", next.running());
        file.write(n);
        state = next;
        return next.clock(action);
    }
}
