package org.hotline.app.participant;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.hotline.app.cli.CommandFailure;
import org.hotline.app.cli.ExitCodes;
import org.hotline.client.core.HotlineClient;
import org.hotline.protocol.signals.CalmWordingCheck;

/**
 * The console's calm-wording check for {@code send --text}: flagged wording is explained on
 * standard error and the text is not sent unless {@code --send-as-written} is given; then it goes
 * out and the override is recorded in the audit log, as when a person presses "Send as written".
 */
final class CalmWordingGate {

    private static final CalmWordingCheck CHECK = CalmWordingCheck.builtIn();

    private CalmWordingGate() {
    }

    /** @throws CommandFailure (usage) if the text was flagged and not sent as written */
    static void check(HotlineClient core, String text, boolean sendAsWritten, PrintWriter err) {
        List<CalmWordingCheck.Finding> warnings = CalmWordingCheck.warnings(CHECK.check(text));
        if (warnings.isEmpty()) {
            return;
        }
        for (CalmWordingCheck.Finding f : warnings) {
            err.println("hotline: calm-wording check: \u201c" + text.substring(f.start(), f.end()) + "\u201d: "
                    + f.explanation() + f.suggestedSignal().map(s -> " Consider the signal " + s + ".").orElse(""));
        }
        List<String> phrases = warnings.stream().map(CalmWordingCheck.Finding::phrase).toList();
        if (!sendAsWritten) {
            throw new CommandFailure(ExitCodes.USAGE, "not sent: wording often read as a threat " + phrases
                    + "; reword it, or repeat with --send-as-written to send it as written");
        }
        try {
            core.recordWarningShown("calm-wording check flagged: " + phrases + "; sent as written (--send-as-written)")
                    .get();
        } catch (ExecutionException e) {
            throw new CommandFailure(ExitCodes.FAILURE, "could not record the override in the audit log: "
                    + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure(ExitCodes.FAILURE, "interrupted");
        }
    }
}
