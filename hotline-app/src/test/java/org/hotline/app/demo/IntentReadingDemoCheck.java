package org.hotline.app.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hotline.client.replay.IntentReadingTable;
import org.hotline.client.replay.LogSource;
import org.hotline.client.replay.TimelineMerger;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.signals.SignalCatalog;

/** The demo's logs as the report reads them: the intent-and-reading table's misread summary. */
final class IntentReadingDemoCheck {

    private IntentReadingDemoCheck() {
    }

    static String misreadSummary(Path demoDir) {
        try {
            ExerciseDirectory dir = new ExerciseDirectory(demoDir.resolve("exercise"));
            List<LogSource> logs = new ArrayList<>();
            for (String role : List.of("in.pm", "pk.pm", "control")) {
                logs.add(LogSource.load(demoDir.resolve("clients").resolve(role).resolve("audit.jsonl"),
                        Optional.of(dir.validator())));
            }
            var timeline = new TimelineMerger(dir.exercise()).merge(logs);
            return IntentReadingTable.of(timeline, SignalCatalog.builtIn()).misreadSummary();
        } catch (Exception e) {
            throw new AssertionError("the demo's logs do not load: " + e.getMessage(), e);
        }
    }
}
