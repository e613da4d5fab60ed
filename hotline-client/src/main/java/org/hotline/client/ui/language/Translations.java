package org.hotline.client.ui.language;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.exercise.Party;
import org.hotline.protocol.exercise.Role;
import org.hotline.protocol.signals.CatalogLanguage;
import org.hotline.protocol.signals.ParamType;
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
            String text = l.rightToLeft() ? isolated(catalog.renderSegments(signalId, params, parties, code))
                    : DisplaySafe.multiline(catalog.render(signalId, params, parties, code));
            out.add(new LanguageText(code, l.nativeName() + " \u00b7 " + l.name(), text, l.rightToLeft(), false,
                    signal.wording(code).reviewed() && l.review().reviewed()));
        }
        return List.copyOf(out);
    }

    /**
     * Right-to-left text for display: a time value keeps its left-to-right order as one unit
     * (LRI…PDI), so "19:51 UTC (01:21 IST, 00:51 PKT)" is not reordered or split across lines;
     * a text or place value is isolated by its own first strong letter (FSI…PDI), so an English
     * place name stays one run. Each piece is made display-safe first (PROTOCOL.md §4.2: canonical
     * values hold no bidi controls), so the only isolates are these.
     */
    static String isolated(List<SignalCatalog.Segment> segments) {
        StringBuilder sb = new StringBuilder();
        for (SignalCatalog.Segment seg : segments) {
            String safe = DisplaySafe.multiline(seg.text());
            if (seg.value().isEmpty()) {
                sb.append(safe);
            } else if (seg.value().get() == ParamType.TIME) {
                sb.append(LRI).append(safe).append(PDI);
            } else if (seg.value().get() == ParamType.TEXT || seg.value().get() == ParamType.PLACE) {
                sb.append(FSI).append(safe).append(PDI);
            } else {
                sb.append(safe);
            }
        }
        return sb.toString();
    }

    private static final char LRI = '\u2066';
    private static final char FSI = '\u2068';
    private static final char PDI = '\u2069';

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
