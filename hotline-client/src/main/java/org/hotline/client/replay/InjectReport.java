package org.hotline.client.replay;

import java.time.Instant;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The injects in the HTML report: their own lane under the participants' lanes in the timeline
 * chart (shaded, diamonds coloured by kind, a dashed line to each recipient where it was
 * delivered, an orange bar from there to that recipient's first reaction), and the section that
 * lists every inject with its expected player action and each recipient's first reaction.
 */
public final class InjectReport {

    /** Colours per inject kind, the same in the report and the replay window. */
    public static final Map<String, String> KIND_COLOURS = Map.of("news", "#0969da", "intelligence", "#8250df",
            "situation", "#9a6700", "media", "#bf3989", "instruction", "#1a7f37", "third-party", "#bc4c00");

    /** The bar from delivery to first reaction. */
    public static final String REACTION_COLOUR = "#fb8f44";

    private InjectReport() {
    }

    public static String colour(String kind) {
        return KIND_COLOURS.getOrDefault(kind, "#57606a");
    }

    /** Style rules of the lane's legend and the section's badges. */
    public static String css() {
        return ".kind{display:inline-block;color:#fff;font-size:.8em;font-weight:bold;padding:0 .5em;border-radius:4px}"
                + "tr.inject-row td{background:#f6f8fa}ul.reactions{margin:0;padding-left:1.1em}";
    }

    /**
     * Draws the inject lane at height {@code y} of the chart: a shaded band, its label, and per
     * inject a diamond at the time it was sent.
     *
     * @param laneY the participants' lanes by role, for the delivery lines and reaction bars
     * @param x     exercise time to the chart's horizontal position
     * @param left  where the lanes start (labels are to the left of it)
     * @param right where the lanes end
     */
    public static void chartLane(StringBuilder h, Timeline t, InjectLane lane, int y, Map<String, Integer> laneY,
                                 ToDoubleFunction<Instant> x, int left, int right) {
        h.append("<g class=\"inject-lane\"><rect x=\"0\" y=\"").append(y - 20).append("\" width=\"").append(right + 10)
                .append("\" height=\"40\" fill=\"#f6f8fa\" stroke=\"#d0d7de\"/>")
                .append("<text x=\"8\" y=\"").append(y + 4).append("\" font-weight=\"bold\">Injects (exercise control)</text>\n");
        for (InjectLane.InjectRecord i : lane.injects()) {
            double ix = x.applyAsDouble(i.sentAt());
            String c = colour(i.kind());
            for (InjectLane.Reaction r : i.reactions()) {
                Integer ry = laneY.get(r.recipient());
                if (ry == null || r.deliveredAt().isEmpty()) {
                    continue;
                }
                double dx = x.applyAsDouble(r.deliveredAt().get());
                h.append("<line x1=\"").append(fmt(ix)).append("\" y1=\"").append(y).append("\" x2=\"").append(fmt(dx))
                        .append("\" y2=\"").append(ry).append("\" stroke=\"").append(c)
                        .append("\" stroke-opacity=\"0.35\" stroke-dasharray=\"5,3\"/>");
                if (r.first().isPresent()) {
                    double fx = x.applyAsDouble(r.first().get().sentAt());
                    h.append("<line class=\"reaction\" x1=\"").append(fmt(dx)).append("\" y1=\"").append(ry + 6)
                            .append("\" x2=\"").append(fmt(Math.max(fx, dx + 1))).append("\" y2=\"").append(ry + 6)
                            .append("\" stroke=\"").append(REACTION_COLOUR).append("\" stroke-width=\"3\" stroke-opacity=\"0.7\"><title>")
                            .append(ReportWriter.esc(t.title(r.recipient()) + ", " + i.injectId() + ": " + r.describe()))
                            .append("</title></line>");
                }
            }
            h.append("<path class=\"inject\" d=\"M").append(fmt(ix)).append(',').append(y - 7).append(" L")
                    .append(fmt(ix + 7)).append(',').append(y).append(" L").append(fmt(ix)).append(',').append(y + 7)
                    .append(" L").append(fmt(ix - 7)).append(',').append(y).append(" Z\" fill=\"").append(c)
                    .append("\"><title>").append(ReportWriter.esc(t.relative(i.sentAt()) + " " + i.injectId() + " ["
                            + i.kind() + "] " + i.title() + " \u2014 " + lane.expectedText(i)))
                    .append("</title></path><text x=\"").append(fmt(ix)).append("\" y=\"").append(y - 10)
                    .append("\" text-anchor=\"middle\" font-size=\"9\" fill=\"").append(c).append("\">")
                    .append(ReportWriter.esc(i.injectId())).append("</text>\n");
        }
        h.append("</g>\n");
    }

    /** The section: every inject, what it expected of the players, and each recipient's first reaction. */
    public static void section(StringBuilder h, Timeline t, InjectLane lane) {
        h.append("<h2 id=\"injects\">Scenario injects and first reactions (").append(lane.injects().size())
                .append(")</h2>\n<p class=\"muted\">First reaction: the time from the inject being delivered to a "
                        + "recipient to the first hotline message that recipient sent afterwards (in scenario time too, "
                        + "where the logs hold the exercise clock). The expected player action comes from the MSEL"
                        + (lane.mselGiven() ? "" : "; give it with <code>--msel FILE|NAME</code> to see it") + ".</p>\n");
        h.append("<table><tr><th>Inject</th><th>Sent</th><th>Title and text</th><th>Expected player action</th>")
                .append("<th>First reaction of each recipient</th></tr>\n");
        for (InjectLane.InjectRecord i : lane.injects()) {
            h.append("<tr class=\"inject-row\"><td><b>").append(ReportWriter.esc(i.injectId()))
                    .append("</b><br><span class=\"kind\" style=\"background:").append(colour(i.kind())).append("\">")
                    .append(ReportWriter.esc(i.kind())).append("</span><br><span class=\"muted\">scenario ")
                    .append(ReportWriter.esc(i.scenarioTime().toString())).append("</span></td><td>")
                    .append(ReportWriter.esc(t.relative(i.sentAt()))).append("<br><span class=\"muted\">")
                    .append(ReportWriter.esc(t.wallClock(i.sentAt()))).append("</span></td><td><b>")
                    .append(ReportWriter.bdi(i.title())).append("</b><br>").append(ReportWriter.bdi(i.text()));
            if (!i.trusted()) {
                h.append(" <em>(not covered by a signed checkpoint of any log)</em>");
            }
            h.append("</td><td>").append(ReportWriter.bdi(i.expected().orElse(lane.mselGiven() ? "none in the MSEL"
                    : "not known (no MSEL given)"))).append("</td><td><ul class=\"reactions\">");
            for (InjectLane.Reaction r : i.reactions()) {
                h.append("<li><b>").append(ReportWriter.esc(t.title(r.recipient()))).append("</b>: ");
                if (r.deliveredAt().isEmpty()) {
                    h.append("<span class=\"bad\">not delivered</span>");
                } else if (r.first().isEmpty()) {
                    h.append("delivered ").append(ReportWriter.esc(t.relative(r.deliveredAt().get())))
                            .append(", <span class=\"warn\">no message sent after it</span>");
                } else {
                    Timeline.MessageRecord m = r.first().get();
                    h.append("<span class=\"reaction\">").append(ReportWriter.esc(r.describe())).append("</span>: [")
                            .append(ReportWriter.esc(m.category())).append("] ")
                            .append(ReportWriter.bdi(HeadlessReplay.ellipsis(m.text(), 120)));
                }
                h.append("</li>");
            }
            h.append("</ul></td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.1f", v);
    }
}
