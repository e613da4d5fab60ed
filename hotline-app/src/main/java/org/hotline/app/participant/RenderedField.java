package org.hotline.app.participant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.exercise.Party;
import org.hotline.protocol.signals.EveryLanguage;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.signals.SignalException;

/**
 * The {@code rendered} object of {@code listen --json} (and {@code session}): every catalog
 * language code to the canonical words in that language. {@code text} stays the reference
 * (English) words, so existing scripts keep working, and {@code rendered.en} is the same. Free
 * text and injects are never translated: every code maps to the words as written, and so does a
 * signal this catalog cannot render (a catalog mismatch, flagged in {@code integrity}).
 */
final class RenderedField {

    private RenderedField() {
    }

    static void put(ObjectNode o, SignalCatalog catalog, List<Party> parties, Optional<String> signalId,
                    Map<String, String> params, String text) {
        Map<String, String> rendered = EveryLanguage.asWritten(catalog, text);
        if (signalId.isPresent()) {
            try {
                rendered = EveryLanguage.texts(EveryLanguage.render(catalog, signalId.get(), params, parties));
                rendered.put(SignalCatalog.REFERENCE, text);
            } catch (SignalException e) {
                // Not renderable here: the reference words under every code, as for free text.
            }
        }
        ObjectNode node = o.putObject("rendered");
        rendered.forEach(node::put);
    }
}
