package org.hotline.client.ui.language;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.exercise.Party;
import org.hotline.protocol.exercise.Role;
import org.hotline.protocol.signals.CatalogLanguage;
import org.hotline.protocol.signals.Signal;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.signals.SignalException;
import org.hotline.protocol.text.DisplaySafe;

/**
 * What a reader sees of a signal: the English reference wording first, then the catalog's wording
 * in each other language the reader's role lists in {@code exercise.json}, in that order. Free
 * text is never translated. No toolkit types: view models and tests use it directly.
 */
public final class Translations {

    private final SignalCatalog catalog;
    private final List<Party> parties;

    public Translations(SignalCatalog catalog, List<Party> parties) {
        this.catalog = catalog;
        this.parties = List.copyOf(parties);
    }

    /**
     * The signal's words for {@code reader}: reference first, then each of the reader's languages
     * the catalog has (a language the catalog lacks is left out rather than shown in English twice).
     *
     * @throws SignalException if the signal or its parameters cannot be rendered
     */
    public List<LanguageText> forReader(String signalId, Map<String, String> params, Role reader) throws SignalException {
        Signal signal = catalog.require(signalId);
        List<LanguageText> out = new ArrayList<>();
        out.add(new LanguageText(SignalCatalog.REFERENCE, "English (reference)",
                DisplaySafe.multiline(catalog.render(signalId, params, parties, SignalCatalog.REFERENCE)), false, true, true));
        for (String code : reader.languages()) {
            Optional<CatalogLanguage> language = catalog.language(code);
            if (code.equals(SignalCatalog.REFERENCE) || language.isEmpty()) {
                continue;
            }
            CatalogLanguage l = language.get();
            String text = DisplaySafe.multiline(catalog.render(signalId, params, parties, code));
            out.add(new LanguageText(code, l.name() + " \u00b7 " + l.nativeName(), text, l.rightToLeft(), false,
                    signal.wording(code).reviewed() && l.review().reviewed()));
        }
        return List.copyOf(out);
    }


    /** The same, or empty when the signal cannot be rendered (the reference text is then shown alone). */
    public List<LanguageText> forReaderOrEmpty(Optional<String> signalId, Map<String, String> params, Role reader) {
        if (signalId.isEmpty()) {
            return List.of();
        }
        try {
            return forReader(signalId.get(), params, reader);
        } catch (SignalException e) {
            return List.of();
        }
    }
}
