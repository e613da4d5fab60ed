package org.hotline.client.replay;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hotline.protocol.audit.AuditEntry;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.text.DisplaySafe;
import org.hotline.protocol.wire.CumulativeReceipt;

/**
 * What the logs say about the relays (PROTOCOL.md §12.5, §13), for {@code replay --headless}, the
 * replay window and the report: per received message, which relay carried it first and which others
 * delivered it again ({@code via} and {@code duplicate} entries); the path disagreements the clients
 * showed (a relay that lagged behind the other, logged as {@code error-shown}); and the relay-log
 * evidence ({@code relay-inclusion}, {@code relay-checkpoint}, {@code relay-fork},
 * {@code delivered-through}) in words, with a fork alarm: proofs and cumulative receipts of the
 * messages the timeline shows (machine traffic is proven too, but not listed), and one line per
 * client and relay for the checkpoints it checked. Read from the entries the verifier accepted
 * only; an entry not covered by a signed checkpoint is marked.
 *
 * @param paths         one per received message and receiver whose log names the relay of the first copy
 * @param disagreements path disagreements in the order recorded
 * @param relayLog      the relay-log evidence in the order recorded
 * @param forkAlarms    forks of a relay's log: the relay's own signatures prove them (§12.5), or a client
 *                      recorded a consistency proof that failed
 */
public record RelayRecords(List<MessagePath> paths, List<Note> disagreements, List<Note> relayLog, List<String> forkAlarms) {

    /** The text RelayPaths writes when a relay lags (PROTOCOL.md §13 rule 8), read back; nothing else matches. */
    private static final Pattern LAGGING = Pattern.compile(
            "^(relay(?:-[A-Za-z0-9._-]+)?) did not deliver message ([0-9a-f]{8}) within \\d+ s; "
                    + "(relay(?:-[A-Za-z0-9._-]+)?) did.*");
    private static final Pattern DELIVERS_AGAIN = Pattern.compile(
            "^(relay(?:-[A-Za-z0-9._-]+)?) delivers again \\(it had missed \\d+ messages? another relay delivered\\)$");

    public RelayRecords {
        paths = List.copyOf(paths);
        disagreements = List.copyOf(disagreements);
        relayLog = List.copyOf(relayLog);
        forkAlarms = List.copyOf(forkAlarms);
    }

    /**
     * One message as one receiver got it.
     *
     * @param first      the relay whose copy was stored and shown
     * @param duplicates later copies of other relays, recorded and never shown
     */
    public record MessagePath(String id, String receiver, String first, Instant firstAt, List<Copy> duplicates,
                       boolean trusted) {
        public MessagePath {
            duplicates = List.copyOf(duplicates);
        }

        public String shortId() {
            return id.substring(0, 8);
        }
    }

    /** A later copy through {@code via}, verified at {@code at}. */
    public record Copy(String via, Instant at) {
    }

    /**
     * One record in words.
     *
     * @param messageId the message it is about (full hex id), if any: a note is attached to a message
     *                  by its full id only, since a short id is 32 bits a sender can grind to collide
     * @param alarm     a fork: the relay showed two histories
     */
    public record Note(Instant at, String recordedBy, String text, Optional<String> messageId, boolean alarm,
                       boolean trusted) {
    }

    /** Whether the logs say anything about relays beyond a single relay's log proofs. */
    public boolean isEmpty() {
        return paths.isEmpty() && disagreements.isEmpty() && relayLog.isEmpty() && forkAlarms.isEmpty();
    }

    /** The receivers' paths of message {@code id} (full hex). */
    public List<MessagePath> pathsOf(String id) {
        return paths.stream().filter(p -> p.id().equals(id)).toList();
    }

    public static RelayRecords of(Timeline t) {
        Map<String, MessagePath> paths = new LinkedHashMap<>();
        List<Note> disagreements = new ArrayList<>();
        List<Note> relayLog = new ArrayList<>();
        List<String> forks = new ArrayList<>();
        Map<String, Checked> checked = new LinkedHashMap<>();
        for (LogSource log : t.logs()) {
            List<AuditEntry> entries = log.entries();
            for (int i = 0; i < entries.size(); i++) {
                AuditEntry e = entries.get(i);
                boolean trusted = log.trusted(i);
                AuditEvent ev = e.event();
                if (ev instanceof AuditEvent.MessageReceived r && r.via().isPresent()
                        && t.message(r.message().header().messageId().hex()).isPresent()) {
                    // Only messages the timeline shows: link tests and log checkpoints travel both paths too.
                    String id = r.message().header().messageId().hex();
                    paths.putIfAbsent(log.owner() + "/" + id, new MessagePath(id, log.owner(), r.via().get(), r.receivedAt(),
                            List.of(), trusted));
                } else if (ev instanceof AuditEvent.DuplicateCopy d) {
                    MessagePath p = paths.get(log.owner() + "/" + d.id().hex());
                    if (p != null) {
                        List<Copy> copies = new ArrayList<>(p.duplicates());
                        copies.add(new Copy(d.via(), e.time()));
                        paths.put(log.owner() + "/" + d.id().hex(), new MessagePath(p.id(), p.receiver(), p.first(),
                                p.firstAt(), copies, p.trusted() && trusted));
                    }
                } else if (ev instanceof AuditEvent.ErrorShown shown) {
                    String receiver = log.owner();
                    disagreement(shown.text()).ifPresent(m -> disagreements.add(new Note(e.time(), receiver,
                            shown.text(), m.flatMap(shortId -> messageNamed(t, shortId, receiver)), false, trusted)));
                } else if (ev instanceof AuditEvent.RelayInclusion in
                        && t.message(in.receipt().messageId().hex()).isPresent()) {
                    // Machine traffic (link tests, checkpoints, readings) is proven too; only shown messages are listed.
                    relayLog.add(new Note(e.time(), log.owner(), inclusion(t, in), Optional.of(
                            in.receipt().messageId().hex()), false, trusted));
                } else if (ev instanceof AuditEvent.RelayCheckpoint c) {
                    // One line per client and relay: a checkpoint is checked for every acceptance.
                    String key = log.owner() + "/" + c.checkpoint().checkpoint().relayName();
                    Checked before = checked.get(key);
                    checked.put(key, before == null
                            ? new Checked(e.time(), log.owner(), c.checkpoint().checkpoint().relayName(),
                            c.checkpoint().treeSize(), c.checkpoint().treeSize(), 1, trusted)
                            : new Checked(before.at(), before.owner(), before.relay(), before.firstSize(),
                            c.checkpoint().treeSize(), before.count() + 1, before.trusted() && trusted));
                } else if (ev instanceof AuditEvent.RelayFork c) {
                    String text = fork(c);
                    relayLog.add(new Note(e.time(), log.owner(), text, Optional.empty(), true, trusted));
                    forks.add(log.owner() + " at " + t.wallClock(e.time()) + ": " + text);
                } else if (ev instanceof AuditEvent.DeliveredThrough d
                        && d.receipt().coveredIds().stream().anyMatch(id -> t.message(id.hex()).isPresent())) {
                    relayLog.add(new Note(e.time(), log.owner(), deliveredThrough(d.receipt()), Optional.empty(), false,
                            trusted));
                }
            }
            log.report().relayForks().forEach(f -> forks.add(log.owner() + ": RELAY LOG FORKED, proven by the relay's "
                    + "own signatures: " + f));
        }
        checked.values().forEach(c -> relayLog.add(new Note(c.at(), c.owner(), c.count() == 1
                ? c.relay() + "'s log: one checkpoint checked, size " + c.firstSize()
                : c.relay() + "'s log: " + c.count() + " checkpoints checked, each consistent with the one before, size "
                + c.firstSize() + " to " + c.lastSize(), Optional.empty(), false, c.trusted())));
        relayLog.sort(Comparator.comparing(Note::at));
        List<MessagePath> list = new ArrayList<>(paths.values());
        list.sort(Comparator.comparing(MessagePath::firstAt).thenComparing(MessagePath::id).thenComparing(MessagePath::receiver));
        return new RelayRecords(list, disagreements, relayLog, forks);
    }

    /** The message a lagging-relay text names (short form), or the relay that delivers again ("" then). */
    static Optional<Optional<String>> disagreement(String text) {
        Matcher m = LAGGING.matcher(text);
        if (m.matches()) {
            return Optional.of(Optional.of(m.group(2)));
        }
        return DELIVERS_AGAIN.matcher(text).matches() ? Optional.of(Optional.empty()) : Optional.empty();
    }

    /**
     * The full id of the message a lagging-relay text names by its short id: the one message of the
     * timeline addressed to {@code receiver} (the console that logged the text) with that prefix.
     * Empty when none or several match: sender-chosen ids can collide in 32 bits, and a note
     * attached to the wrong message would accuse a relay of losing it; the note is still listed.
     */
    static Optional<String> messageNamed(Timeline t, String shortId, String receiver) {
        List<String> ids = t.messages().stream().filter(m -> m.id().startsWith(shortId) && m.to().contains(receiver))
                .map(Timeline.MessageRecord::id).distinct().toList();
        return ids.size() == 1 ? Optional.of(ids.get(0)) : Optional.empty();
    }

    /** The path disagreements about message {@code id} (full hex). */
    public List<Note> disagreementsOf(String id) {
        return disagreements.stream().filter(d -> d.messageId().equals(Optional.of(id))).toList();
    }

    /** The relay-log evidence {@code recordedBy}'s log holds about message {@code id} (full hex). */
    public List<Note> relayLogOf(String id, String recordedBy) {
        return relayLog.stream().filter(n -> n.messageId().equals(Optional.of(id)) && n.recordedBy().equals(recordedBy))
                .toList();
    }

    /** {@link #pathText} of each receiver's path of message {@code id}, marked as {@link #lines} marks it. */
    public List<String> pathLines(Timeline t, String id) {
        return pathsOf(id).stream().map(p -> DisplaySafe.line(pathText(t, p)) + mark(p.trusted())).toList();
    }

    /** "message 3f2a91c0 accepted in relay-in's log at index 41 (checkpoint size 57, 16:58:03 UTC)". */
    static String inclusion(Timeline t, AuditEvent.RelayInclusion in) {
        return "message " + in.receipt().messageId().shortForm() + " accepted in " + in.receipt().asserter()
                + "'s log at index " + in.leafIndex() + " (checkpoint size " + in.checkpoint().treeSize() + ", "
                + t.wallClock(in.receipt().at()) + ")";
    }

    /** The relay-checkpoint entries of one client about one relay, from the first to the last. */
    private record Checked(Instant at, String owner, String relay, long firstSize, long lastSize, int count,
                           boolean trusted) {
    }

    static String fork(AuditEvent.RelayFork c) {
        return "FORK ALARM: " + c.checkpoint().checkpoint().relayName() + " showed checkpoint "
                + c.checkpoint().treeSize() + ", not consistent with the checkpoint of size " + c.previousSize()
                + " it showed before (the client's record; the relay gave no valid consistency proof)";
    }

    /** "pk.pm confirmed in.pm's messages 1–3 on leaders with one signed cumulative receipt". */
    static String deliveredThrough(CumulativeReceipt r) {
        return r.asserter() + " confirmed " + r.sender() + "'s " + (r.fromCounter() == r.throughCounter()
                ? "message " + r.fromCounter() : "messages " + r.fromCounter() + "\u2013" + r.throughCounter())
                + " on " + r.channel()
                + " with one signed cumulative receipt (delivered-through, " + r.coveredIds().size() + " message"
                + (r.coveredIds().size() == 1 ? "" : "s") + ")";
    }

    /** "first via relay-pk (pk.pm, +00:13); again via relay-in +00:14". */
    public static String pathText(Timeline t, MessagePath p) {
        StringBuilder sb = new StringBuilder("first via ").append(p.first()).append(" (").append(p.receiver())
                .append(", ").append(t.relative(p.firstAt())).append(")");
        for (Copy c : p.duplicates()) {
            sb.append("; duplicate via ").append(c.via()).append(" ").append(t.relative(c.at()));
        }
        if (p.duplicates().isEmpty()) {
            sb.append("; no other relay delivered it");
        }
        return sb.toString();
    }

    /** A note's text as one display line, marked as {@link #lines} marks it when not vouched for. */
    public static String marked(Note n) {
        return DisplaySafe.line(n.text()) + mark(n.trusted());
    }

    private static String mark(boolean trusted) {
        return trusted ? "" : "  UNTRUSTED OR UNSIGNED";
    }

    /** The lines of {@code replay --headless} and of the replay window, in sections. */
    public List<String> lines(Timeline t) {
        List<String> out = new ArrayList<>();
        if (!forkAlarms.isEmpty()) {
            out.add("relay log fork alarms: " + forkAlarms.size());
            forkAlarms.forEach(f -> out.add("  " + DisplaySafe.line(f)));
        }
        if (!paths.isEmpty()) {
            out.add("relay paths (which relay carried each message first): " + paths.size());
            for (MessagePath p : paths) {
                String head = t.message(p.id()).map(m -> DisplaySafe.line(m.from()) + " \u2192 "
                        + DisplaySafe.line(String.join(",", m.to()))).orElse("");
                out.add("  " + t.relative(p.firstAt()) + "  " + head + "  " + p.shortId() + "  "
                        + DisplaySafe.line(pathText(t, p)) + mark(p.trusted()));
            }
        }
        if (!disagreements.isEmpty()) {
            out.add("path disagreements: " + disagreements.size());
            disagreements.forEach(d -> out.add("  " + t.relative(d.at()) + "  " + DisplaySafe.line(d.recordedBy())
                    + ": " + DisplaySafe.line(d.text()) + mark(d.trusted())));
        }
        if (!relayLog.isEmpty()) {
            out.add("relay logs (the relays' signed checkpoints and proofs, as the clients recorded them): "
                    + relayLog.size());
            relayLog.forEach(n -> out.add("  " + t.relative(n.at()) + "  " + DisplaySafe.line(n.recordedBy()) + ": "
                    + DisplaySafe.line(n.text()) + mark(n.trusted())));
        }
        return out;
    }

    /** The summary's section of {@code replay --headless}: nothing when the logs say nothing of relays. */
    public void print(Timeline t, PrintWriter out) {
        lines(t).forEach(l -> out.println("  " + l));
    }

    /** The report's section. */
    public void html(Timeline t, StringBuilder h) {
        if (isEmpty()) {
            return;
        }
        h.append("<h2>Relays</h2>\n");
        if (!forkAlarms.isEmpty()) {
            h.append("<p class=\"bad\"><strong>Relay log fork alarm</strong>: a relay showed two different histories "
                    + "of its log.</p>\n<ul>\n");
            forkAlarms.forEach(f -> h.append("<li class=\"bad\">").append(ReportWriter.esc(f)).append("</li>\n"));
            h.append("</ul>\n");
        }
        if (!paths.isEmpty()) {
            h.append("<h3>Which relay carried each message first (").append(paths.size()).append(")</h3>\n");
            h.append("<table><tr><th>Received</th><th>From \u2192 to</th><th>Message</th><th>First copy</th>"
                    + "<th>Later copies (recorded, not shown)</th></tr>\n");
            for (MessagePath p : paths) {
                var m = t.message(p.id());
                h.append("<tr><td>").append(ReportWriter.esc(t.relative(p.firstAt()) + "  " + t.wallClock(p.firstAt())))
                        .append("</td><td>").append(ReportWriter.esc(m.map(x -> t.title(x.from()) + " \u2192 "
                                + String.join(", ", x.to().stream().map(t::title).toList())).orElse("")))
                        .append("</td><td>").append(ReportWriter.bdi(m.map(Timeline.MessageRecord::text)
                                .orElse("message " + p.shortId()))).append("</td><td>")
                        .append(ReportWriter.esc(p.first() + " (at " + p.receiver() + ")")).append("</td><td>")
                        .append(ReportWriter.esc(p.duplicates().isEmpty() ? "none" : String.join(", ",
                                p.duplicates().stream().map(c -> c.via() + " " + t.relative(c.at())).toList())))
                        .append(p.trusted() ? "" : " <span class=\"bad\">untrusted or unsigned</span>")
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        notes(t, h, "Path disagreements", "A relay that did not deliver, within the allowed time, a message the other "
                + "relay delivered, as the receiving console showed it.", disagreements);
        notes(t, h, "Relay logs", "Each relay's signed log: where it accepted each message, the checkpoints each client "
                + "checked for consistency, and the recipients' cumulative delivery receipts.", relayLog);
    }

    private static void notes(Timeline t, StringBuilder h, String title, String intro, List<Note> notes) {
        if (notes.isEmpty()) {
            return;
        }
        h.append("<h3>").append(title).append(" (").append(notes.size()).append(")</h3>\n<p class=\"muted\">")
                .append(ReportWriter.esc(intro)).append("</p>\n<table><tr><th>When</th><th>Recorded by</th>"
                        + "<th>What</th></tr>\n");
        for (Note n : notes) {
            h.append("<tr").append(n.alarm() ? " class=\"bad\"" : "").append("><td>")
                    .append(ReportWriter.esc(t.relative(n.at()) + "  " + t.wallClock(n.at()))).append("</td><td>")
                    .append(ReportWriter.esc(n.recordedBy())).append("</td><td>").append(ReportWriter.esc(n.text()))
                    .append(n.trusted() ? "" : " <span class=\"bad\">untrusted or unsigned</span>")
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }
}
