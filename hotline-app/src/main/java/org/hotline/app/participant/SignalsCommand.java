package org.hotline.app.participant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.hotline.app.cli.CommandFailure;
import org.hotline.app.cli.ExitCodes;
import org.hotline.protocol.signals.CatalogLanguage;
import org.hotline.protocol.signals.EveryLanguage;
import org.hotline.protocol.signals.Signal;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.signals.SignalParam;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hotline signals}: the prefabricated signal catalog, in one language or all of them. */
@Command(name = "signals", mixinStandardHelpOptions = true,
        description = {"List the prefabricated signals and their parameters.",
                "--lang shows the wording in that catalog language (en, the reference, hi or ur), each translation "
                        + "marked while nobody has reviewed it. --json prints the catalog as one JSON object: languages "
                        + "(code, name, nativeName, direction, reviewed) and signals (id, category, categoryLabel, "
                        + "title, params with their label, text with template and reviewed, replies), every worded "
                        + "field an object keyed by language code: every language, or only --lang's."})
public final class SignalsCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--category", paramLabel = "ID", description = "Only this category.")
    String category;

    @Option(names = "--lang", paramLabel = "CODE", description = "Catalog language: en (reference), hi or ur.")
    String lang;

    @Option(names = "--json", description = "The catalog as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        SignalCatalog c = SignalCatalog.builtIn();
        List<CatalogLanguage> languages = lang == null ? c.languages() : List.of(c.language(lang).orElseThrow(() ->
                new CommandFailure(ExitCodes.USAGE, "unknown --lang '" + lang + "': the catalog has "
                        + String.join(", ", c.languages().stream().map(CatalogLanguage::code).toList()))));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(json(c, languages));
            return ExitCodes.OK;
        }
        CatalogLanguage shown = lang == null ? c.language(SignalCatalog.REFERENCE).orElseThrow() : languages.get(0);
        String in = shown.code().equals(SignalCatalog.REFERENCE) ? "" : ", in " + shown.name() + " \u00b7 "
                + shown.nativeName();
        out.println("Signal catalog " + c.version() + " (" + c.signals().size() + " signals" + in + ")");
        for (String cat : c.categories()) {
            if (category != null && !category.equals(cat)) {
                continue;
            }
            out.println();
            out.println(c.categoryLabel(cat, shown.code()).toUpperCase(java.util.Locale.ROOT) + " (" + cat + ")");
            for (Signal s : c.signals()) {
                if (!s.category().equals(cat)) {
                    continue;
                }
                out.println("  " + s.id() + " - " + s.title(shown.code()) + (reviewed(s, shown) ? ""
                        : "   [" + EveryLanguage.NOT_REVIEWED + "]"));
                for (SignalParam p : s.params()) {
                    out.println("      --param " + p.name() + "=" + p.type().example() + "   (" + p.type().jsonName()
                            + ": " + p.label(shown.code()) + ")");
                }
                out.println("      \"" + s.wording(shown.code()).template() + "\"");
                // The agreement's numbers are checked before sending: say them here, not only in the error.
                c.rules(s.id()).forEach(r -> out.println("      rule: " + r.sentence() + " (" + r.source() + ")"));
            }
        }
        return ExitCodes.OK;
    }

    /** The reference is reviewed by definition; a translation when both its wording and its language forms are. */
    private static boolean reviewed(Signal s, CatalogLanguage l) {
        return l.code().equals(SignalCatalog.REFERENCE) || (s.wording(l.code()).reviewed() && l.review().reviewed());
    }

    private String json(SignalCatalog c, List<CatalogLanguage> languages) {
        ObjectNode root = JSON.createObjectNode();
        root.put("catalogVersion", c.version());
        ArrayNode langs = root.putArray("languages");
        for (CatalogLanguage l : languages) {
            ObjectNode o = langs.addObject();
            o.put("code", l.code());
            o.put("name", l.name());
            o.put("nativeName", l.nativeName());
            o.put("direction", l.rightToLeft() ? "rtl" : "ltr");
            o.put("reference", l.code().equals(SignalCatalog.REFERENCE));
            o.put("reviewed", l.review().reviewed());
        }
        ArrayNode signals = root.putArray("signals");
        for (Signal s : c.signals()) {
            if (category != null && !category.equals(s.category())) {
                continue;
            }
            ObjectNode o = signals.addObject();
            o.put("id", s.id());
            o.put("category", s.category());
            ObjectNode catLabel = o.putObject("categoryLabel");
            ObjectNode title = o.putObject("title");
            ObjectNode text = o.putObject("text");
            for (CatalogLanguage l : languages) {
                catLabel.put(l.code(), c.categoryLabel(s.category(), l.code()));
                title.put(l.code(), s.title(l.code()));
                ObjectNode w = text.putObject(l.code());
                w.put("template", s.wording(l.code()).template());
                w.put("reviewed", reviewed(s, l));
            }
            ArrayNode params = o.putArray("params");
            for (SignalParam p : s.params()) {
                ObjectNode po = params.addObject();
                po.put("name", p.name());
                po.put("type", p.type().jsonName());
                po.put("example", p.type().example());
                ObjectNode label = po.putObject("label");
                languages.forEach(l -> label.put(l.code(), p.label(l.code())));
            }
            ArrayNode replies = o.putArray("replies");
            s.replies().forEach(replies::add);
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a catalog of strings cannot fail to encode", e);
        }
    }
}
