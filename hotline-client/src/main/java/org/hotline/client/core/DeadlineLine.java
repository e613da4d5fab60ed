package org.hotline.client.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.Party;

/**
 * A deadline as every surface words it: {@code no reply by 14:30 IST · 14:00 PKT (09:00 UTC)},
 * each party's zone then UTC, with {@code scenario} before a deadline on the exercise clock.
 */
public final class DeadlineLine {

    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

    private DeadlineLine() {
    }

    /** {@code 14:30 IST · 14:00 PKT (09:00 UTC)}. */
    public static String times(Exercise exercise, Instant t) {
        return times(exercise.parties(), t);
    }

    /** As {@link #times(Exercise, Instant)} for these parties (UTC alone when there are none). */
    public static String times(java.util.List<Party> parties, Instant t) {
        StringBuilder sb = new StringBuilder();
        for (Party p : parties) {
            if (sb.length() > 0) {
                sb.append(" \u00b7 ");
            }
            sb.append(HHMM.format(t.atZone(p.timeZone()))).append(' ').append(p.zoneLabel());
        }
        return sb.append(sb.length() > 0 ? " (" : "").append(HHMM.format(t.atZone(ZoneOffset.UTC))).append(" UTC")
                .append(parties.isEmpty() ? "" : ")").toString();
    }

    /** The deadline on the clock it follows: "scenario 14:30 IST · …" or "14:30 IST · …". */
    public static String deadline(Exercise exercise, AnswerDeadline d) {
        return (d.followsExerciseClock() ? "scenario " : "") + times(exercise, d.deadline());
    }

    public static String noReplyBy(Exercise exercise, AnswerDeadline d) {
        return "no reply by " + deadline(exercise, d);
    }
}
