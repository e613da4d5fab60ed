package org.hotline.client.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The numbers an after-action review asks for, computed once from a timeline. */
public record TimelineStats(Map<String, Integer> perRole, Map<String, Integer> perCategory, int acknowledged,
                            Optional<Duration> medianToAcknowledge, Optional<Duration> worstToAcknowledge,
                            List<Timeline.MessageRecord> unanswered, int gaps, int outages, Duration outageTotal,
                            int disagreements) {

    public static TimelineStats of(Timeline t) {
        Map<String, Integer> perRole = new TreeMap<>();
        Map<String, Integer> perCategory = new TreeMap<>();
        List<Duration> ack = new ArrayList<>();
        List<Timeline.MessageRecord> unanswered = new ArrayList<>();
        for (Timeline.MessageRecord m : t.messages()) {
            perRole.merge(m.from(), 1, Integer::sum);
            perCategory.merge(m.category(), 1, Integer::sum);
            m.toAcknowledged().ifPresentOrElse(ack::add, () -> unanswered.add(m));
        }
        ack.sort(Duration::compareTo);
        Optional<Duration> median = ack.isEmpty() ? Optional.empty() : Optional.of(ack.size() % 2 == 1
                ? ack.get(ack.size() / 2) : ack.get(ack.size() / 2 - 1).plus(ack.get(ack.size() / 2)).dividedBy(2));
        Optional<Duration> worst = ack.isEmpty() ? Optional.empty() : Optional.of(ack.get(ack.size() - 1));
        Duration outage = t.outages().stream().map(o -> o.length(t.end())).reduce(Duration.ZERO, Duration::plus);
        return new TimelineStats(perRole, perCategory, ack.size(), median, worst, unanswered, t.gaps().size(),
                t.outages().size(), outage, t.disagreements().size());
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms < 10_000 ? String.format("%.1f s", ms / 1000.0) : (ms < 120_000 ? (ms / 1000) + " s"
                : String.format("%d min %02d s", ms / 60_000, (ms / 1000) % 60));
    }
}
