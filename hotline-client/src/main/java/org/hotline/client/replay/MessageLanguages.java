package org.hotline.client.replay;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hotline.protocol.audit.AuditEntry;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.Party;
import org.hotline.protocol.signals.EveryLanguage;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.signals.SignalException;
import org.hotline.protocol.wire.Content;

/**
 * Each signal message of a timeline in every catalog language (reference first), rendered from the
 * signed content in the logs' verified entries, never from a logged line. Free text has none: it is
 * never translated, and replay and the report show it as written.
 *
 * <p>When logs disagree about a message's content, the wordings are those of the content whose
 * reference rendering is the text the timeline shows, so the translations always match it.
 */
public final class MessageLanguages {

    private final Map<String, List<EveryLanguage.Wording>> byId;

    private MessageLanguages(Map<String, List<EveryLanguage.Wording>> byId) {
        this.byId = Map.copyOf(byId);
    }

    /** Renders every signal message of {@code t} (the exercise's parties give the zones, as in the text). */
    public static MessageLanguages of(Timeline t) {
        SignalCatalog catalog = SignalCatalog.builtIn();
        List<Party> parties = t.exercise().map(Exercise::parties).orElse(List.of());
        Map<String, Set<Content.Signal>> contents = new HashMap<>();
        for (LogSource log : t.logs()) {
            for (AuditEntry e : log.entries()) {
                if (e.event() instanceof AuditEvent.MessageEntry m && m.content() instanceof Content.Signal s) {
                    contents.computeIfAbsent(m.header().messageId().hex(), k -> new LinkedHashSet<>()).add(s);
                }
            }
        }
        Map<String, List<EveryLanguage.Wording>> out = new HashMap<>();
        for (Timeline.MessageRecord m : t.messages()) {
            for (Content.Signal s : contents.getOrDefault(m.id(), Set.of())) {
                try {
                    List<EveryLanguage.Wording> w = EveryLanguage.render(catalog, s.signalId(), s.params(), parties);
                    if (w.get(0).text().equals(m.text())) {
                        out.put(m.id(), w);
                        break;
                    }
                } catch (SignalException e) {
                    // Unrenderable content: the timeline shows the reference marker text alone.
                }
            }
        }
        return new MessageLanguages(out);
    }

    /** No message has translations (a timeline built without logs). */
    public static MessageLanguages none() {
        return new MessageLanguages(Map.of());
    }

    /** The message's words in every catalog language, reference first; empty for free text and unknown ids. */
    public List<EveryLanguage.Wording> of(String messageId) {
        return byId.getOrDefault(messageId, List.of());
    }

    /** The translations only (every language but the reference), or empty. */
    public List<EveryLanguage.Wording> translations(String messageId) {
        return of(messageId).stream().filter(w -> !w.reference()).toList();
    }

    /** Language code to words, or {@code Optional.empty()} for free text. */
    public Optional<Map<String, String>> texts(String messageId) {
        List<EveryLanguage.Wording> w = of(messageId);
        return w.isEmpty() ? Optional.empty() : Optional.of(EveryLanguage.texts(w));
    }
}
