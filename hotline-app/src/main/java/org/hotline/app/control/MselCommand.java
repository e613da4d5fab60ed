package org.hotline.app.control;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.hotline.app.cli.CommandFailure;
import org.hotline.app.cli.ExitCodes;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.ExerciseException;
import org.hotline.protocol.exercise.ExerciseFiles;
import org.hotline.protocol.exercise.msel.Msel;
import org.hotline.protocol.exercise.msel.MselException;
import org.hotline.protocol.exercise.msel.MselFiles;
import org.hotline.protocol.exercise.msel.MselInject;
import org.hotline.protocol.text.DisplaySafe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hotline msel}: the facilitator's scenario files (docs/exercise-control.md). */
@Command(name = "msel", mixinStandardHelpOptions = true,
        description = "Master Scenario Events Lists: the timed injects exercise control sends.",
        subcommands = {MselCommand.Validate.class})
public final class MselCommand {

    /** {@code hotline msel validate FILE|NAME [--exercise DIR]}: exit 0, or 2 with every problem. */
    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Check an MSEL file (or a shipped scenario by name, e.g. south-asia).",
                    "Exits 0 if it is valid, 2 with one line per problem (file:line: field: problem) if not."})
    static final class Validate implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE|NAME", description = "An MSEL file, or the name of a shipped scenario.")
        String msel;

        @Option(names = "--exercise", paramLabel = "DIR",
                description = "Check recipients against this exercise (default: the template the MSEL names).")
        Path exerciseDir;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Optional<Exercise> exercise = Optional.empty();
            if (exerciseDir != null) {
                try {
                    exercise = Optional.of(ExerciseFiles.load(exerciseDir));
                } catch (ExerciseException e) {
                    throw new CommandFailure(ExitCodes.USAGE, e.getMessage(), e);
                }
            }
            try {
                Msel m = MselFiles.load(msel, exercise);
                MselInject last = m.injects().get(m.injects().size() - 1);
                out.println(m.name() + ": valid, " + m.injects().size() + " injects over " + hm(last.offset())
                        + " of scenario time from " + m.scenarioStart() + " (" + m.title() + ")");
                return ExitCodes.OK;
            } catch (MselException e) {
                e.problems().forEach(p -> err.println("hotline: " + DisplaySafe.line(p)));
                return ExitCodes.USAGE;
            }
        }
    }

    /** A scenario offset as H:MM, as MSEL files write it. */
    static String hm(Duration d) {
        return d.toHours() + ":" + String.format("%02d", d.toMinutesPart());
    }
}
