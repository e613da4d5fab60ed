package org.hotline.client.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.exercise.msel.Msel;
import org.hotline.protocol.text.DisplaySafe;

/**
 * The after-action report, built for a facilitator's hot wash: one self-contained HTML file
 * (inline CSS and SVG; no scripts, styles or fonts from anywhere else) with the exercise's name,
 * wall-clock times in every party's zone beside exercise time (T+, to the tenth of a second),
 * roles by title, the integrity of every log, suggested hot-wash questions, a timeline chart (a
 * lane per role, outages as bands with their cause), per-side acknowledgement and reply times,
 * the unanswered messages with their text, the outages, the overridden wording warnings and the
 * full transcript, each signal in every catalog language ({@link LanguageHtml}); with exercise
 * control, its injects as their own lane and section with each recipient's first reaction
 * ({@link InjectReport}). Readable when printed.
 */
public final class ReportWriter {

    private static final int LANE = 46;
    private static final int LEFT = 180;
    private static final int WIDTH = 1000;

    private static final Map<String, String> COLOURS = Map.ofEntries(
            Map.entry("nuclear-posture", "#0550ae"), Map.entry("agreements", "#0969da"),
            Map.entry("de-escalation", "#1a7f37"), Map.entry("humanitarian", "#2da44e"),
            Map.entry("incident", "#9a6700"), Map.entry("limited-intent", "#bf8700"),
            Map.entry("clarification", "#8250df"), Map.entry("acknowledgement", "#57606a"),
            Map.entry("channel-request", "#1b7c83"), Map.entry("third-party", "#bc4c00"),
            Map.entry("military-notification", "#cf222e"), Map.entry("free text", "#24292f"));

    /** Band colours per outage cause, the same in the report and the replay window. */
    public static final Map<OutageCause, String> OUTAGE_COLOURS = Map.of(OutageCause.RELAY_DOWN, "#cf222e",
            OutageCause.LINK_SILENT, "#bf8700", OutageCause.CONSOLE_SUPERSEDED, "#8250df", OutageCause.OTHER, "#57606a");

    private ReportWriter() {
    }

    /** @param title the report's title; the exercise's name is used when it is blank */
    public static String render(Timeline t, String title) {
        return render(t, title, Optional.empty());
    }

    /**
     * @param title the report's title; the exercise's name is used when it is blank
     * @param msel  the scenario the exercise played, for each inject's expected player action
     */
    public static String render(Timeline t, String title, Optional<Msel> msel) {
        InjectLane injects = InjectLane.of(t, msel);
        MessageLanguages languages = MessageLanguages.of(t);
        String name = title == null || title.isBlank() ? "Hot-wash report: " + t.exerciseName("exercise") : title;
        StringBuilder h = new StringBuilder(64 * 1024 + t.messages().size() * 800);
        TimelineStats s = TimelineStats.of(t);
        RecipientRejections rejections = RecipientRejections.of(t);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(name))
                .append("</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#24292f;margin:2em;max-width:1100px}")
                .append("h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #d0d7de;padding-bottom:.2em;margin-top:1.6em}")
                .append("table{border-collapse:collapse;width:100%;font-size:.92em}td,th{border:1px solid #d0d7de;padding:.3em .5em;vertical-align:top;text-align:left}")
                .append("th{background:#f6f8fa}.bad{color:#cf222e;font-weight:bold}.warn{color:#9a6700;font-weight:bold}.ok{color:#1a7f37;font-weight:bold}.muted{color:#57606a}")
                .append(".banner{display:inline-block;background:#9a6700;color:#fff;font-weight:bold;padding:.1em .6em;border-radius:4px}")
                .append("tr.unsigned td{background:#fff8c5}ol.questions li{margin:.4em 0}")
                .append("tr.rejected td{background:#ffebe9}")
                .append("svg{width:100%;height:auto;border:1px solid #d0d7de}svg text{font-size:11px;font-family:sans-serif}")
                .append(LanguageHtml.css()).append(InjectReport.css())
                .append("@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}svg{break-inside:avoid}}")
                .append("\n</style></head><body>\n");
        h.append("<p><span class=\"banner\">EXERCISE</span></p><h1>").append(esc(name)).append("</h1>\n");
        h.append("<p class=\"muted\">Exercise ").append(esc(t.exerciseName("(not given: pass --exercise)")))
                .append(" \u00b7 from ").append(esc(t.wallClock(t.start()))).append(" to ").append(esc(t.wallClock(t.end())))
                .append(" (").append(esc(utc(t.start()))).append(" \u2013 ").append(esc(utc(t.end()))).append(") \u00b7 ")
                .append(t.messages().size()).append(" messages \u00b7 roles: ")
                .append(esc(String.join(", ", t.roles().stream().map(r -> t.title(r) + " (" + r + ")").toList())))
                .append(" \u00b7 generated by hotline report</p>\n");

        h.append("<h2>Log integrity</h2><ul>\n");
        for (LogSource l : t.logs()) {
            h.append("<li class=\"").append(l.trusted() ? "ok" : l.onlyUnsignedTail() ? "warn" : "bad").append("\">")
                    .append(esc(l.integrity()))
                    .append(" <span class=\"muted\">(").append(esc(l.file().getFileName().toString())).append(")</span></li>\n");
        }
        for (String c : t.crossCheck()) {
            String cls = c.startsWith("cross-check FAILED") ? "bad" : c.startsWith("cross-check OK") ? "ok" : "muted";
            h.append("<li class=\"").append(cls).append("\">")
                    .append(esc(c)).append("</li>\n");
        }
        h.append("</ul>\n");

        List<String> questions = HotWashQuestions.of(t);
        h.append("<h2>Suggested hot-wash questions</h2>\n");
        if (questions.isEmpty()) {
            h.append("<p class=\"muted\">Nothing stood out: every message was answered, no line went down.</p>\n");
        } else {
            h.append("<ol class=\"questions\">\n");
            questions.forEach(q -> h.append("<li>").append(bdi(q)).append("</li>\n"));
            h.append("</ol>\n");
        }

        h.append("<h2>Timeline</h2>\n");
        chart(h, t, injects);
        if (!injects.injects().isEmpty()) {
            InjectReport.section(h, t, injects);
        }

        h.append("<h2>Response times</h2>\n<table><tr><th>Side (as recipient)</th><th>Messages received</th>")
                .append("<th>Time to acknowledge</th><th>Time to reply (messages answering it)</th></tr>\n");
        for (TimelineStats.SideStats side : s.perSide()) {
            h.append("<tr><td>").append(esc(side.side())).append("</td><td>").append(side.received()).append("</td><td>")
                    .append(esc(side.acknowledge().describe())).append("</td><td>").append(esc(side.reply().describe()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");

        h.append("<h2>Unanswered messages (").append(s.unanswered().size()).append(")</h2>\n");
        if (s.unanswered().isEmpty()) {
            h.append("<p class=\"muted\">Every message was acknowledged or answered.</p>\n");
        } else {
            h.append("<table><tr><th>Sent</th><th>From \u2192 to</th><th>Text</th><th>Delivered</th><th>Waited until the end</th></tr>\n");
            for (Timeline.MessageRecord m : s.unanswered()) {
                h.append("<tr><td>").append(times(t, m.sentAt())).append("</td><td>").append(fromTo(t, m)).append("</td><td>")
                        .append(bdi(m.text())).append("</td><td>")
                        .append(m.toDelivered().map(d -> "+" + TimelineStats.seconds(d)).orElse("<span class=\"bad\">never</span>"))
                        .append("</td><td>").append(TimelineStats.seconds(Duration.between(m.sentAt(), t.end())))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }

        MissedDeadlines.of(t).html(t, h);
        RelayRecords.of(t).html(t, h);

        h.append("<h2>Outages (").append(s.outages()).append(s.outages() == 0 ? "" : ", "
                + TimelineStats.seconds(s.outageTotal()) + " in total").append(")</h2>\n");
        if (!t.outages().isEmpty()) {
            h.append("<table><tr><th>Whose line</th><th>From</th><th>Until</th><th>Length</th><th>Cause</th><th>As logged</th></tr>\n");
            for (Timeline.Outage o : t.outages()) {
                h.append("<tr><td>").append(esc(t.title(o.who()))).append("</td><td>").append(times(t, o.from()))
                        .append("</td><td>").append(o.to().map(x -> times(t, x)).orElse("the end of the log"))
                        .append("</td><td>").append(TimelineStats.seconds(o.length(t.end()))).append("</td><td>")
                        .append(esc(o.cause().label())).append("</td><td>").append(bdi(o.reason())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }

        List<Timeline.WordingWarning> overridden = t.wordingWarnings().stream().filter(Timeline.WordingWarning::overridden)
                .toList();
        h.append("<h2>Wording warnings overridden (").append(overridden.size()).append(")</h2>\n");
        if (!overridden.isEmpty()) {
            h.append("<table><tr><th>Warned</th><th>Who</th><th>Warning</th><th>Sent as written</th></tr>\n");
            for (Timeline.WordingWarning w : overridden) {
                h.append("<tr><td>").append(times(t, w.at())).append("</td><td>").append(esc(t.title(w.who())))
                        .append("</td><td>").append(bdi(w.warning())).append("</td><td>").append(bdi(w.sentAnyway().get().text()))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }

        EvaluatorNotesSection.append(h, t);

        h.append("<h2>Statistics</h2>\n<table><tr><th>Messages per role</th><td>").append(esc(s.perRoleText(t)))
                .append("</td></tr><tr><th>Messages per category</th><td>").append(esc(s.perCategoryText()))
                .append("</td></tr><tr><th>Time to acknowledge (all)</th><td>median ")
                .append(s.medianToAcknowledge().map(TimelineStats::seconds).orElse("-")).append(", worst ")
                .append(s.worstToAcknowledge().map(TimelineStats::seconds).orElse("-")).append(" (")
                .append(s.acknowledged()).append(" acknowledged)</td></tr><tr><th>Gaps</th><td>").append(s.gaps())
                .append("</td></tr><tr><th>Disagreements between logs</th><td")
                .append(s.disagreements() > 0 ? " class=\"bad\"" : "").append(">").append(s.disagreements())
                .append("</td></tr><tr><th>Unsigned tail</th><td").append(s.unsignedMessages() > 0 ? " class=\"warn\"" : "")
                .append(">").append(t.logs().stream().mapToLong(LogSource::unsignedTail).sum())
                .append(" log entries after a log's last signed checkpoint (").append(s.unsignedMessages())
                .append(" messages known only from them; not tampering)</td></tr></table>\n");
        if (!t.gaps().isEmpty() || !t.disagreements().isEmpty()) {
            h.append("<ul>\n");
            t.gaps().forEach(g -> h.append("<li>").append(esc(t.relative(g.at()) + "  " + g.what())).append("</li>\n"));
            t.disagreements().forEach(d -> h.append("<li class=\"bad\">").append(esc(d)).append("</li>\n"));
            h.append("</ul>\n");
        }

        rejections.appendReportSection(h, t);
        IntentReadingTable.of(t, org.hotline.protocol.signals.SignalCatalog.builtIn()).appendHtml(h, t);

        h.append("<h2>Transcript</h2>\n<p class=\"muted\">Also exported by <code>hotline report --csv</code> and "
                + "<code>--json</code>.</p>\n<table><tr><th>Sent</th><th>From \u2192 to</th><th>Category</th><th>Text</th>")
                .append("<th>Accepted</th><th>Delivered</th><th>Acknowledged</th></tr>\n");
        Map<String, Timeline.MessageRecord> byId = new java.util.HashMap<>();
        t.messages().forEach(m -> byId.put(m.id(), m));
        for (Timeline.MessageRecord m : t.messages()) {
            String cls = m.disagreement().isPresent() || (!m.trusted() && !m.unsignedTail()) ? " class=\"bad\""
                    : m.unsignedTail() ? " class=\"unsigned\"" : "";
            h.append("<tr").append(cls).append("><td>")
                    .append(times(t, m.sentAt())).append("</td><td>").append(fromTo(t, m)).append("</td><td>")
                    .append(bdi(m.category())).append("</td><td>")
                    .append(LanguageHtml.text(m.text(), languages.translations(m.id())));
            m.inReplyTo().map(byId::get).ifPresent(q -> h.append(" <span class=\"muted\">(answers ")
                    .append(esc(t.title(q.from()))).append("'s message of ").append(esc(t.wallClock(q.sentAt())))
                    .append(")</span>"));
            if (m.unsignedTail()) {
                h.append(" <em>(unsigned: only after a log's last signed checkpoint; not tampering)</em>");
            } else if (!m.trusted()) {
                h.append(" <em>(untrusted: only in a log that failed verification)</em>");
            }
            m.disagreement().ifPresent(d -> h.append(" <em>(").append(esc(d)).append(")</em>"));
            h.append(rejections.transcriptMark(t, m.id()));
            h.append("</td><td>").append(m.toAccepted().map(d -> "+" + TimelineStats.seconds(d)).orElse("\u2014"))
                    .append("</td><td>").append(m.toDelivered().map(d -> "+" + TimelineStats.seconds(d)).orElse("<span class=\"bad\">never</span>"))
                    .append("</td><td>").append(m.toAcknowledged().map(d -> "+" + TimelineStats.seconds(d)).orElse("\u2014"))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n</body></html>\n");
        return h.toString();
    }

    /** "T+00:03:07.4<br>16:58:03 IST / 16:28:03 PKT": exercise time, then every party's wall clock. */
    private static String times(Timeline t, Instant at) {
        return esc(t.relative(at)) + "<br><span class=\"muted\">" + esc(t.wallClock(at)) + "</span>";
    }

    private static String fromTo(Timeline t, Timeline.MessageRecord m) {
        return bdi(t.title(m.from())) + " \u2192 " + bdi(String.join(", ", m.to().stream().map(t::title).toList()));
    }

    private static String utc(Instant t) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
                .format(t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).atZone(java.time.ZoneOffset.UTC));
    }

    private static void chart(StringBuilder h, Timeline t, InjectLane injects) {
        List<String> lanes = t.roles();
        int height = 40 + LANE * Math.max(1, lanes.size()) + (injects.injects().isEmpty() ? 0 : LANE) + 30;
        Instant end = t.messages().stream().map(m -> m.acknowledgedAt().or(m::deliveredAt).orElse(m.sentAt()))
                .max(Instant::compareTo).orElse(t.end());
        for (Timeline.Outage o : t.outages()) {
            Instant until = o.to().orElse(t.end());
            end = until.isAfter(end) ? until : end;
        }
        for (InjectLane.InjectRecord i : injects.injects()) {
            for (InjectLane.Reaction r : i.reactions()) {
                Instant until = r.first().map(Timeline.MessageRecord::sentAt).or(r::deliveredAt).orElse(i.sentAt());
                end = until.isAfter(end) ? until : end;
            }
        }
        double span = Math.max(1, Duration.between(t.start(), end).toMillis());
        h.append("<svg viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"Timeline of messages per role, with outages\">\n");
        Map<String, Integer> y = new LinkedHashMap<>();
        for (int i = 0; i < lanes.size(); i++) {
            int ly = 40 + i * LANE;
            y.put(lanes.get(i), ly);
            h.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(ly).append("\" x2=\"").append(WIDTH - 10)
                    .append("\" y2=\"").append(ly).append("\" stroke=\"#d0d7de\"/>")
                    .append("<text x=\"8\" y=\"").append(ly + 4).append("\">").append(esc(t.title(lanes.get(i))))
                    .append("</text>\n");
        }
        if (!injects.injects().isEmpty()) {
            InjectReport.chartLane(h, t, injects, 40 + lanes.size() * LANE, y, at -> LEFT + (WIDTH - LEFT - 20)
                    * Duration.between(t.start(), at).toMillis() / span, LEFT, WIDTH - 10);
        }
        for (Timeline.Outage o : t.outages()) {
            Integer ly = y.get(o.who());
            if (ly == null) {
                continue;
            }
            double x1 = LEFT + (WIDTH - LEFT - 20) * Duration.between(t.start(), o.from()).toMillis() / span;
            double x2 = LEFT + (WIDTH - LEFT - 20) * Duration.between(t.start(), o.to().orElse(t.end())).toMillis() / span;
            String colour = OUTAGE_COLOURS.get(o.cause());
            h.append("<rect class=\"outage\" x=\"").append(fmt(x1)).append("\" y=\"").append(ly - 14).append("\" width=\"")
                    .append(fmt(Math.max(2, x2 - x1))).append("\" height=\"28\" fill=\"").append(colour)
                    .append("\" fill-opacity=\"0.18\" stroke=\"").append(colour).append("\"><title>")
                    .append(esc(t.title(o.who()) + ": line down " + t.relative(o.from()) + " for "
                            + TimelineStats.seconds(o.length(t.end())) + " (" + o.cause().label() + ": " + o.reason() + ")"))
                    .append("</title></rect><text x=\"").append(fmt(x1 + 2)).append("\" y=\"").append(ly + 24)
                    .append("\" fill=\"").append(colour).append("\">").append(esc(o.cause().label())).append("</text>\n");
        }
        h.append("<text x=\"").append(LEFT).append("\" y=\"").append(height - 8).append("\" class=\"muted\">")
                .append(esc(t.relative(t.start()) + "  " + t.wallClock(t.start()))).append("</text><text x=\"")
                .append(WIDTH - 10).append("\" y=\"").append(height - 8).append("\" text-anchor=\"end\">")
                .append(esc(t.relative(end) + "  " + t.wallClock(end))).append("</text>\n");
        for (Timeline.MessageRecord m : t.messages()) {
            double x = LEFT + (WIDTH - LEFT - 20) * Duration.between(t.start(), m.sentAt()).toMillis() / span;
            int sy = y.get(m.from());
            String colour = COLOURS.getOrDefault(m.category(), "#24292f");
            for (String r : m.to()) {
                int ry = y.get(r);
                double dx = m.deliveredAt().map(d -> LEFT + (WIDTH - LEFT - 20)
                        * Duration.between(t.start(), d).toMillis() / span).orElse(x);
                h.append("<line x1=\"").append(fmt(x)).append("\" y1=\"").append(sy).append("\" x2=\"").append(fmt(dx))
                        .append("\" y2=\"").append(ry).append("\" stroke=\"").append(colour).append("\" stroke-opacity=\"0.5\"")
                        .append(m.deliveredAt().isEmpty() ? " stroke-dasharray=\"2,2\"" : "").append("/>");
                if (m.acknowledgedAt().isPresent()) {
                    double ax = LEFT + (WIDTH - LEFT - 20) * Duration.between(t.start(), m.acknowledgedAt().get()).toMillis() / span;
                    h.append("<line x1=\"").append(fmt(dx)).append("\" y1=\"").append(ry).append("\" x2=\"").append(fmt(ax))
                            .append("\" y2=\"").append(ry).append("\" stroke=\"#1a7f37\" stroke-width=\"2\" stroke-dasharray=\"4,2\"/>");
                }
            }
            h.append("<circle cx=\"").append(fmt(x)).append("\" cy=\"").append(sy).append("\" r=\"5\" fill=\"").append(colour)
                    .append("\"><title>").append(esc(t.relative(m.sentAt()) + " " + t.wallClock(m.sentAt()) + " "
                            + t.title(m.from()) + " [" + m.category() + "] " + HeadlessReplay.ellipsis(m.text(), 120)))
                    .append("</title></circle>\n");
        }
        int lx = LEFT;
        h.append("<g>");
        for (var e : COLOURS.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            if (t.messages().stream().noneMatch(m -> m.category().equals(e.getKey()))) {
                continue;
            }
            h.append("<circle cx=\"").append(lx).append("\" cy=\"14\" r=\"5\" fill=\"").append(e.getValue())
                    .append("\"/><text x=\"").append(lx + 8).append("\" y=\"18\">").append(esc(e.getKey())).append("</text>");
            lx += 14 + e.getKey().length() * 7;
        }
        h.append("</g></svg>\n<p class=\"muted\">Dots: messages, coloured by category, on the sender's lane; thin "
                + "lines: delivery to each recipient (dotted if never delivered); green dashes: time until "
                + "acknowledged; shaded bands: a participant's line was down, labelled with the cause (red: relay "
                + "down, amber: link silent, purple: console superseded)"
                + (injects.injects().isEmpty() ? "" : "; the shaded bottom lane: exercise control's injects "
                + "(diamonds coloured by kind), a dashed line to each recipient where it was delivered, an orange bar "
                + "from there to that recipient's first reaction") + ".</p>\n");
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.1f", v);
    }

    /**
     * Peer-chosen text in its own bidi isolate, so a right-to-left run cannot reorder the cells
     * around it; bidi controls inside are already shown as marks by {@link #esc}.
     */
    static String bdi(String s) {
        return "<bdi>" + esc(s) + "</bdi>";
    }

    /** HTML-escaped, with control and bidi-control characters shown as marks ({@link DisplaySafe#line}). */
    static String esc(String raw) {
        String s = DisplaySafe.line(raw);
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
