package org.hotline.protocol.audit;

import java.util.List;
import org.hotline.protocol.exercise.Party;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.signals.SignalException;
import org.hotline.protocol.wire.Content;

/**
 * The words shown for a message, as a deterministic function of its signed content, the signal
 * catalog and the exercise's parties (PROTOCOL.md §11.3). Writers, the verifier and every reader
 * use this one function, so a logged wording can be re-rendered and compared.
 */
public final class DisplayText {

    private DisplayText() {
    }

    /**
     * The wording of {@code content}: the catalog's canonical wording for a signal (parties give the
     * time zones shown beside UTC; with no parties only UTC is shown), the text itself for free text.
     */
    public static String render(Content content, SignalCatalog catalog, List<Party> parties) {
        if (content instanceof Content.Signal s) {
            try {
                return catalog.render(s.signalId(), s.params(), parties, "en");
            } catch (SignalException e) {
                return "[unrenderable signal " + s.signalId() + ": " + e.getMessage() + "]";
            }
        }
        if (content instanceof Content.Text t) {
            return t.text();
        }
        if (content instanceof Content.LinkTest) {
            return "[link test]";
        }
        if (content instanceof Content.LogCheckpoint) {
            return "[log checkpoint]";
        }
        if (content instanceof Content.RelayCheckpoints g) {
            return "[relay checkpoints of " + String.join(", ", g.notes().stream().map(Content.RelayNote::relay).toList())
                    + "]";
        }
        if (content instanceof Content.Inject i) {
            return "[" + i.kind().label() + " " + i.injectId() + ", scenario " + i.scenarioTime() + "] " + i.title()
                    + ": " + i.text();
        }
        if (content instanceof Content.ExerciseClock c) {
            return "[exercise clock " + c.action().label() + ": scenario " + c.scenarioTime() + ", speed "
                    + speed(c.speedPermille()) + (c.running() ? ", running]" : ", paused]");
        }
        if (content instanceof Content.Reading r) {
            return reading(r);
        }
        return "[link test reply]";
    }

    /**
     * {@code [reading of message 3f2a91c0 from in.pm by pk.pm: concerning]}, with
     * {@code ", note: …"} before the bracket when the reader wrote one (PROTOCOL.md §4.2).
     */
    public static String reading(Content.Reading r) {
        var f = r.fields();
        return "[reading of message " + f.messageId().shortForm() + " from " + f.sender() + " by " + f.reader() + ": "
                + f.readAs().label() + (f.note().isEmpty() ? "" : ", note: " + f.note()) + "]";
    }

    /** The {@code kind} field of a message entry. */
    public static String kind(Content content) {
        return switch (content.type()) {
            case Content.TYPE_SIGNAL -> "signal";
            case Content.TYPE_TEXT -> "text";
            case Content.TYPE_LINK_TEST -> "link-test";
            case Content.TYPE_LOG_CHECKPOINT -> "log-checkpoint";
            case Content.TYPE_RELAY_CHECKPOINTS -> "relay-checkpoints";
            case Content.TYPE_INJECT -> "inject";
            case Content.TYPE_EXERCISE_CLOCK -> "exercise-clock";
            case Content.TYPE_READING -> "reading";
            default -> "link-test-reply";
        };
    }

    /** A clock speed in thousandths as people write it: {@code 60x}, {@code 1.5x}. */
    public static String speed(int speedPermille) {
        return java.math.BigDecimal.valueOf(speedPermille, 3).stripTrailingZeros().toPlainString() + "x";
    }
}
