package org.hotline.client.ui.compose;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.ui.language.PreviewReadings;
import org.hotline.client.ui.language.RecipientReading;
import org.hotline.protocol.signals.CalmWordingCheck;
import org.hotline.protocol.signals.ParamType;
import org.hotline.protocol.signals.Signal;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.signals.SignalException;
import org.hotline.protocol.signals.SignalParam;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.MessageId;

/**
 * The compose panel: pick a prefabricated signal (by category or search), fill its parameters
 * with validation, see exactly the words the other side will see; or write free text, with the
 * calm-wording check that informs (and records that it warned) but never blocks.
 */
public final class ComposeViewModel {

    public static final String ALL_CATEGORIES = "All categories";

    private final HotlineClient core;
    private final SignalCatalog catalog;
    private final CalmWordingCheck calm = CalmWordingCheck.builtIn();
    private final Supplier<String> recipient;
    private final Clock clock;

    private final ObservableList<String> categories = FXCollections.observableArrayList();
    private final StringProperty category = new SimpleStringProperty(ALL_CATEGORIES);
    private final StringProperty search = new SimpleStringProperty("");
    private final ObservableList<Signal> signals = FXCollections.observableArrayList();
    private final ObjectProperty<Signal> selected = new SimpleObjectProperty<>();
    private final ObservableList<ParamField> fields = FXCollections.observableArrayList();
    private final StringProperty preview = new SimpleStringProperty("");
    private final PreviewReadings previewReadings;
    private final BooleanProperty signalReady = new SimpleBooleanProperty(false);

    private final StringProperty freeText = new SimpleStringProperty("");
    private final ObservableList<CalmWordingCheck.Finding> findings = FXCollections.observableArrayList();
    private final BooleanProperty warningShown = new SimpleBooleanProperty(false);
    private final StringProperty status = new SimpleStringProperty("");
    /** The received message being answered, if any: its id goes out as inReplyTo. */
    private final ObjectProperty<ReplyContext> replyTo = new SimpleObjectProperty<>();

    public ComposeViewModel(HotlineClient core, Supplier<String> recipient, Clock clock) {
        this.core = core;
        this.catalog = core.catalog();
        this.recipient = recipient;
        this.clock = clock;
        this.previewReadings = new PreviewReadings(catalog, core.exercise());
        categories.add(ALL_CATEGORIES);
        catalog.categories().forEach(c -> categories.add(catalog.categoryLabel(c, "en")));
        category.addListener((o, a, b) -> filter());
        search.addListener((o, a, b) -> filter());
        selected.addListener((o, a, b) -> selectSignal(b));
        freeText.addListener((o, a, b) -> {
            findings.setAll(calm.check(b == null ? "" : b));
            warningShown.set(false);
        });
        filter();
    }

    private void filter() {
        String q = search.get() == null ? "" : search.get().toLowerCase(Locale.ROOT).strip();
        String cat = category.get();
        List<Signal> list = catalog.signals().stream()
                .filter(s -> cat == null || cat.equals(ALL_CATEGORIES) || catalog.categoryLabel(s.category(), "en").equals(cat))
                .filter(s -> q.isEmpty() || s.title("en").toLowerCase(Locale.ROOT).contains(q)
                        || s.id().contains(q) || s.wordings().get("en").template().toLowerCase(Locale.ROOT).contains(q))
                .toList();
        ReplyContext r = replyTo.get();
        if (r != null && !r.suggested().isEmpty()) {
            List<Signal> ordered = new java.util.ArrayList<>(r.suggested().stream().filter(list::contains).toList());
            list.stream().filter(x -> !ordered.contains(x)).forEach(ordered::add);
            list = ordered;
        }
        signals.setAll(list);
    }

    private void selectSignal(Signal s) {
        fields.clear();
        if (s != null) {
            for (SignalParam p : s.params()) {
                ParamField f = new ParamField(p, defaultValue(p));
                f.valueProperty().addListener((o, a, b) -> validate());
                fields.add(f);
            }
        }
        validate();
    }

    /** Sensible starting values so the preview reads as a sentence at once. */
    private String defaultValue(SignalParam p) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        return switch (p.type()) {
            case TIME -> now.plus(1, ChronoUnit.HOURS).toString().replace(":00Z", "Z");
            case DATE -> now.toString().substring(0, 10);
            default -> "";
        };
    }

    /** Re-checks every field and renders the live preview of the exact text the other side will see. */
    public void validate() {
        Signal s = selected.get();
        if (s == null) {
            preview.set("");
            previewReadings.clear();
            signalReady.set(false);
            return;
        }
        boolean ok = true;
        Map<String, String> values = new LinkedHashMap<>();
        for (ParamField f : fields) {
            SignalParam p = s.params().stream().filter(x -> x.name().equals(f.name())).findFirst().orElseThrow();
            try {
                values.put(f.name(), p.type().canonicalize(f.name(), f.valueProperty().get()));
                f.errorProperty().set("");
            } catch (SignalException e) {
                ok = false;
                f.errorProperty().set(f.valueProperty().get() == null || f.valueProperty().get().isBlank()
                        ? "required: " + f.hint() : e.getMessage());
                values.put(f.name(), null);
            }
        }
        if (ok) {
            try {
                preview.set(catalog.render(s.id(), values, core.exercise().parties(), "en"));
                previewReadings.update(s.id(), values, recipient.get());
            } catch (SignalException e) {
                ok = false;
                preview.set(e.getMessage());
                previewReadings.clear();
            }
        } else {
            preview.set(s.wordings().get("en").template());
            previewReadings.clear();
        }
        signalReady.set(ok && recipient.get() != null);
    }

    /** Sends the chosen signal to the selected channel's peer; queued if the line is down. */
    public CompletableFuture<MessageId> sendSignal() {
        Signal s = selected.get();
        if (s == null || !signalReady.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("choose a signal and fill its fields"));
        }
        Map<String, String> values = new LinkedHashMap<>();
        fields.forEach(f -> values.put(f.name(), f.valueProperty().get()));
        try {
            CompletableFuture<MessageId> f = core.sendSignal(recipient.get(), s.id(), values, inReplyTo(),
                    Optional.empty());
            status.set("Sent: " + s.title("en"));
            replyTo.set(null);
            return f;
        } catch (SignalException e) {
            status.set(e.getMessage());
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Sends the free text. If the calm-wording check found something and the warning has not been
     * shown yet, shows it (and records that in the audit log) instead; the next send goes out.
     *
     * @return empty if only the warning was shown
     */
    public Optional<CompletableFuture<MessageId>> sendText() {
        String text = freeText.get() == null ? "" : freeText.get().strip();
        if (text.isEmpty() || recipient.get() == null) {
            status.set("Nothing to send");
            return Optional.empty();
        }
        if (!findings.isEmpty() && !warningShown.get()) {
            warningShown.set(true);
            core.recordWarningShown("calm-wording check flagged: " + findings.stream()
                    .map(CalmWordingCheck.Finding::phrase).distinct().toList());
            status.set("Wording that is often read as a threat is highlighted. Send again to send it as written.");
            return Optional.empty();
        }
        CompletableFuture<MessageId> f = core.send(recipient.get(), new Content.Text(text), inReplyTo(),
                Optional.empty());
        replyTo.set(null);
        freeText.set("");
        status.set("Sent");
        return Optional.of(f);
    }

    /**
     * Starts a reply to a received message: the catalog's suggested replies are listed first (the
     * first one chosen), any other signal or free text stays available, and a {@code message-ref}
     * parameter is prefilled with the original's id.
     */
    public void startReply(ReplyContext context) {
        replyTo.set(context);
        category.set(ALL_CATEGORIES);
        search.set("");
        filter();
        if (!context.suggested().isEmpty()) {
            useReply(context.suggested().get(0));
        } else {
            selected.set(null);
        }
    }

    /** One click on a suggested reply: that signal, its reference filled with the original's id. */
    public void useReply(Signal s) {
        selected.set(s);
        ReplyContext r = replyTo.get();
        if (r != null) {
            fields.stream().filter(f -> s.params().stream()
                    .anyMatch(p -> p.name().equals(f.name()) && p.type() == ParamType.MESSAGE_REF))
                    .forEach(f -> f.valueProperty().set(r.id().shortForm()));
        }
        validate();
    }

    public void cancelReply() {
        replyTo.set(null);
        filter();
    }

    private Optional<MessageId> inReplyTo() {
        return Optional.ofNullable(replyTo.get()).map(ReplyContext::id);
    }

    public ReadOnlyObjectProperty<ReplyContext> replyToProperty() {
        return replyTo;
    }

    /** The calmer signal the check suggests for the first finding, if any. */
    public Optional<Signal> suggestedSignal() {
        return findings.stream().map(CalmWordingCheck.Finding::suggestedSignal).flatMap(Optional::stream)
                .findFirst().flatMap(catalog::find);
    }

    /** Switches to the suggested signal (the view then shows the signal tab). */
    public void useSuggestion() {
        suggestedSignal().ifPresent(s -> {
            category.set(ALL_CATEGORIES);
            search.set("");
            selected.set(s);
        });
    }

    public String explanationOf(CalmWordingCheck.Finding f) {
        return "\u201c" + f.phrase() + "\u201d: " + f.explanation();
    }

    public ObservableList<String> categories() {
        return categories;
    }

    public StringProperty categoryProperty() {
        return category;
    }

    public StringProperty searchProperty() {
        return search;
    }

    public ObservableList<Signal> signals() {
        return signals;
    }

    public ObjectProperty<Signal> selectedProperty() {
        return selected;
    }

    public ObservableList<ParamField> fields() {
        return fields;
    }

    public ReadOnlyStringProperty previewProperty() {
        return preview;
    }

    /** What each recipient will read, in every language their seat reads (empty until the fields are valid). */
    public ObservableList<RecipientReading> recipientReadings() {
        return previewReadings.readings();
    }

    public ReadOnlyBooleanProperty signalReadyProperty() {
        return signalReady;
    }

    public StringProperty freeTextProperty() {
        return freeText;
    }

    public ObservableList<CalmWordingCheck.Finding> findings() {
        return findings;
    }

    public ReadOnlyBooleanProperty warningShownProperty() {
        return warningShown;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status;
    }

    public String categoryLabelOf(Signal s) {
        return catalog.categoryLabel(s.category(), "en");
    }

    static boolean isTime(SignalParam p) {
        return p.type() == ParamType.TIME;
    }
}
