package org.hotline.client.replay;

import java.util.List;
import java.util.Map;
import org.hotline.protocol.signals.CatalogLanguage;
import org.hotline.protocol.signals.EveryLanguage;
import org.hotline.protocol.signals.SignalCatalog;

/**
 * A message's words in the HTML report: the reference (English) wording as before, then each
 * translation in its own block, labelled with its language, marked "translation not reviewed"
 * where that applies, in its own {@code lang} (and {@code dir="rtl"} for a right-to-left
 * language) so browsers pick the script's font, shape it and lay it out the right way round.
 *
 * <p>The report stays self-contained (no fonts from anywhere else): its style names the Noto
 * families the consoles bundle, then the scripts' usual system fonts, as fallbacks.
 */
public final class LanguageHtml {

    /** Font stacks per language code: the consoles' bundled Noto families first (ui/fonts). */
    private static final Map<String, String> FONTS = Map.of(
            "hi", "'Noto Sans Devanagari','Nirmala UI',Mangal,'Lohit Devanagari',sans-serif",
            "ur", "'Noto Naskh Arabic','Noto Nastaliq Urdu','Urdu Typesetting','Nirmala UI','DejaVu Sans',sans-serif");

    private LanguageHtml() {
    }

    /** Style rules for the translation blocks and one font rule per catalog language that has a stack. */
    public static String css() {
        StringBuilder b = new StringBuilder()
                .append(".tr{margin-top:.35em;padding-left:.5em;border-left:3px solid #d0d7de}")
                .append(".tr-label{font-size:.8em;font-weight:bold;color:#57606a}")
                .append(".unreviewed{font-size:.8em;color:#7d4e00;background:#fff8c5;border-radius:6px;padding:0 .4em;margin-left:.4em}")
                .append(".tr-text[dir=rtl]{text-align:right;line-height:1.9}");
        for (CatalogLanguage l : SignalCatalog.builtIn().languages()) {
            String stack = FONTS.get(l.code());
            if (stack != null) {
                b.append("[lang=").append(l.code()).append("]{font-family:").append(stack).append('}');
            }
        }
        return b.toString();
    }

    /**
     * The reference text in its bidi isolate (as every peer text in the report), followed by one
     * block per translation.
     */
    public static String text(String reference, List<EveryLanguage.Wording> translations) {
        StringBuilder b = new StringBuilder(ReportWriter.bdi(reference));
        for (EveryLanguage.Wording w : translations) {
            if (w.reference()) {
                continue;
            }
            b.append("<div class=\"tr\"><span class=\"tr-label\">").append(ReportWriter.esc(w.label())).append("</span>");
            if (w.needsReviewMark()) {
                b.append("<span class=\"unreviewed\">\u26a0 ").append(EveryLanguage.NOT_REVIEWED).append("</span>");
            }
            b.append("<div class=\"tr-text\" lang=\"").append(ReportWriter.esc(w.code())).append('"')
                    .append(w.rightToLeft() ? " dir=\"rtl\"" : "").append('>').append(ReportWriter.esc(w.text()))
                    .append("</div></div>");
        }
        return b.toString();
    }
}
