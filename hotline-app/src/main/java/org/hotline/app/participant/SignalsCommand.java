package org.hotline.app.participant;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.hotline.app.cli.ExitCodes;
import org.hotline.protocol.signals.Signal;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.signals.SignalParam;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hotline signals}: the prefabricated signal catalog. */
@Command(name = "signals", mixinStandardHelpOptions = true, description = "List the prefabricated signals and their parameters.")
public final class SignalsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--category", paramLabel = "ID", description = "Only this category.")
    String category;

    @Override
    public Integer call() {
        SignalCatalog c = SignalCatalog.builtIn();
        PrintWriter out = spec.commandLine().getOut();
        out.println("Signal catalog " + c.version() + " (" + c.signals().size() + " signals)");
        for (String cat : c.categories()) {
            if (category != null && !category.equals(cat)) {
                continue;
            }
            out.println();
            out.println(c.categoryLabel(cat, "en").toUpperCase() + " (" + cat + ")");
            for (Signal s : c.signals()) {
                if (!s.category().equals(cat)) {
                    continue;
                }
                out.println("  " + s.id() + " - " + s.title("en"));
                for (SignalParam p : s.params()) {
                    out.println("      --param " + p.name() + "=" + p.type().example() + "   (" + p.type().jsonName()
                            + ": " + p.label("en") + ")");
                }
                out.println("      \"" + s.wordings().get("en").template() + "\"");
                // The agreement's numbers are checked before sending: say them here, not only in the error.
                c.rules(s.id()).forEach(r -> out.println("      rule: " + r.sentence() + " (" + r.source() + ")"));
            }
        }
        return ExitCodes.OK;
    }
}
