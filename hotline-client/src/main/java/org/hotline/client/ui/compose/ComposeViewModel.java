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
import java.util.concurrent.Executor;
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
import org.hotline.client.core.DeliveryState;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.ui.deadline.AnswerByChoice;
import org.hotline.protocol.exercise.Party;
import org.hotline.client.ui.language.PreviewReadings;
import org.hotline.client.ui.language.RecipientReading;
import org.hotline.protocol.signals.CalmWordingCheck;
import org.hotline.protocol.signals.NotificationRule;
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
    private final Executor ui;
    private final TimeInput times;
    private final Party own;
    /** The canonical values of the last valid form: what Send puts on the wire. */
    private Map<String, String> canonical = Map.of();
    /** Describes a message this console has seen, by id or id prefix; empty if it has seen none such. */
    private java.util.function.Function<String, Optional<String>> knownMessages;

    private final ObservableList<String> categories = FXCollections.observableArrayList();
    private final StringProperty category = new SimpleStringProperty(ALL_CATEGORIES);
    private final StringProperty search = new SimpleStringProperty("");
    private final ObservableList<Signal> signals = FXCollections.observableArrayList();
    private final ObjectProperty<Signal> selected = new SimpleObjectProperty<>();
    private final ObservableList<ParamField> fields = FXCollections.observableArrayList();
    private final StringProperty preview = new SimpleStringProperty("");
    private final PreviewReadings previewReadings;
    private final AnswerByChoice answerBy;
    private final BooleanProperty signalReady = new SimpleBooleanProperty(false);

    private final StringProperty freeText = new SimpleStringProperty("");
    /** What the free text means to do: required, signed with it (PROTOCOL.md §4.2, Intent). */
    private final javafx.beans.property.ObjectProperty<org.hotline.protocol.wire.Intent> intent =
            new javafx.beans.property.SimpleObjectProperty<>();
    private final ObservableList<CalmWordingCheck.Finding> findings = FXCollections.observableArrayList();
    private final ObservableList<CalmWordingCheck.Finding> warnings = FXCollections.observableArrayList();
    private final BooleanProperty warningShown = new SimpleBooleanProperty(false);
    private final StringProperty status = new SimpleStringProperty("");
    /**
     * The received message the person chose "Reply" on, if any: its id fills every message reference
     * of the form and goes out as inReplyTo.
     */
    private final ObjectProperty<ReplyContext> replyTo = new SimpleObjectProperty<>();

    /** For tests: delivery-state updates of the status line run on the core's thread. */
    public ComposeViewModel(HotlineClient core, Supplier<String> recipient, Clock clock) {
        this(core, recipient, clock, Runnable::run);
    }

    /** @param ui where delivery-state updates of the status line are applied (the FX thread in the app) */
    public ComposeViewModel(HotlineClient core, Supplier<String> recipient, Clock clock, Executor ui) {
        this.core = core;
        this.catalog = core.catalog();
        this.recipient = recipient;
        this.clock = clock;
        this.ui = ui;
        this.times = new TimeInput(core.exercise().parties());
        this.own = core.exercise().role(core.role()).map(r -> r.party()).orElse(core.exercise().parties().get(0));
        this.previewReadings = new PreviewReadings(catalog, core.exercise());
        this.answerBy = new AnswerByChoice(catalog, core.exercise().parties(), clock);
        categories.add(ALL_CATEGORIES);
        catalog.categories().forEach(c -> categories.add(catalog.categoryLabel(c, "en")));
        category.addListener((o, a, b) -> filter());
        search.addListener((o, a, b) -> filter());
        selected.addListener((o, a, b) -> selectSignal(b));
        freeText.addListener((o, a, b) -> {
            List<CalmWordingCheck.Finding> found = calm.check(b == null ? "" : b);
            warnings.setAll(CalmWordingCheck.warnings(found));
            findings.setAll(found);
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
        answerBy.useDefaultOf(Optional.ofNullable(s).map(Signal::id));
        if (s != null) {
            Map<String, Instant> defaults = new LinkedHashMap<>();
            for (SignalParam p : s.params()) {
                String hint = p.type() == ParamType.TIME ? "a time, e.g. " + times.example() + " or 2026-05-10T14:00Z"
                        : p.type() == ParamType.MESSAGE_REF ? "press Reply on a message, or type its id (" + ParamType.MESSAGE_REF.example() + ")"
                        : p.type().jsonName() + ", e.g. " + p.type().example();
                String initial = p.type() == ParamType.MESSAGE_REF && replyTo.get() != null ? replyTo.get().id().shortForm()
                        : defaultValue(s, p, defaults);
                ParamField f = new ParamField(p, initial, hint);
                f.valueProperty().addListener((o, a, b) -> validate());
                fields.add(f);
            }
        }
        validate();
    }

    /**
     * Starting values that keep the sentence true, so the preview reads as one at once: a past or
     * present time is now, a future one the next full quarter hour at least 30 minutes ahead, the
     * end of a range an hour after its start, a notice the agreement asks for (days ahead) kept.
     * Times are shown in this side's own zone.
     */
    private String defaultValue(Signal signal, SignalParam p, Map<String, Instant> defaults) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        return switch (p.type()) {
            case TIME -> {
                Instant t;
                if (p.after().isPresent() && defaults.containsKey(p.after().get())) {
                    t = defaults.get(p.after().get()).plus(1, ChronoUnit.HOURS);
                } else if (p.when().orElse(SignalParam.When.FUTURE) == SignalParam.When.FUTURE) {
                    // A notification that needs days of notice starts with that much (and half an hour to fill it in).
                    int noticeDays = catalog.rules(signal.id()).stream()
                            .filter(r -> r instanceof NotificationRule.NoticeAtLeast n && n.param().equals(p.name()))
                            .mapToInt(r -> ((NotificationRule.NoticeAtLeast) r).days()).max().orElse(0);
                    Instant ahead = now.plus(noticeDays, ChronoUnit.DAYS).plus(30, ChronoUnit.MINUTES);
                    long quarter = 15 * 60;
                    t = Instant.ofEpochSecond((ahead.getEpochSecond() + quarter - 1) / quarter * quarter);
                } else {
                    t = now;
                }
                defaults.put(p.name(), t);
                yield times.format(t, own);
            }
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
        Instant now = clock.instant();
        for (ParamField f : fields) {
            SignalParam p = f.param();
            String typed = f.valueProperty().get();
            try {
                if (typed == null || typed.isBlank()) {
                    throw new IllegalArgumentException("required: " + f.hint());
                }
                if (p.type() == ParamType.TIME) {
                    Instant t = times.parse(typed, p.when(), now);
                    var wrong = p.when().flatMap(w -> TimeInput.tenseProblem(t, w, now));
                    if (wrong.isPresent()) {
                        throw new IllegalArgumentException(f.label() + " " + wrong.get());
                    }
                    typed = t.toString();
                }
                String value = p.type().canonicalize(f.name(), typed);
                if (p.type() == ParamType.MESSAGE_REF && knownMessages != null) {
                    Optional<String> seen = knownMessages.apply(value);
                    if (seen.isEmpty()) {
                        throw new IllegalArgumentException("this console has no message " + value
                                + ": press Reply on the message you mean");
                    }
                    f.describedAs(seen.get());
                }
                values.put(f.name(), value);
                f.errorProperty().set("");
            } catch (SignalException | IllegalArgumentException e) {
                ok = false;
                f.errorProperty().set(e.getMessage());
                values.put(f.name(), null);
            }
        }
        if (ok) {
            try {
                Optional<String> order = catalog.orderProblem(s.id(), values);
                if (order.isPresent()) {
                    String message = order.get();
                    fields.stream().filter(f -> f.param().after().isPresent()).findFirst()
                            .ifPresent(f -> f.errorProperty().set(message));
                    throw new SignalException(message);
                }
                // The agreement's numbers (PROTOCOL.md §4.2 "Notification rules"), shown at the field
                // they concern; sendSignal checks them again at the moment of signing.
                Optional<NotificationRule.Violation> rule = catalog.ruleProblem(s.id(), values, now);
                if (rule.isPresent()) {
                    fields.stream().filter(f -> f.name().equals(rule.get().param())).findFirst()
                            .ifPresent(f -> f.errorProperty().set(rule.get().message()));
                    throw new SignalException(rule.get().message());
                }
                canonical = Map.copyOf(values);
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
        try {
            CompletableFuture<MessageId> f = core.sendSignal(recipient.get(), s.id(), canonical, inReplyTo(),
                    answerBy.deadline());
            replyTo.set(null);
            String title = s.title("en");
            followDelivery(f, title);
            // A sent form starts over: the same signal sent twice by a second Ctrl+Enter is worse than retyping.
            selected.set(null);
            return f;
        } catch (SignalException | IllegalArgumentException e) {
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
        if (intent.get() == null) {
            status.set("Choose what the text is meant to do (inform, reassure, propose, request, acknowledge or warn)");
            return Optional.empty();
        }
        if (!findings.isEmpty() && !warningShown.get()) {
            warningShown.set(true);
            core.recordWarningShown("calm-wording check flagged: " + findings.stream()
                    .map(CalmWordingCheck.Finding::phrase).distinct().toList());
            status.set("Wording that is often read as a threat is highlighted below. Send again to send it as written.");
            return Optional.empty();
        }
        CompletableFuture<MessageId> f = core.send(recipient.get(), new Content.Text(text, intent.get()), inReplyTo(),
                Optional.empty());
        replyTo.set(null);
        freeText.set("");
        intent.set(null);
        followDelivery(f, "free text");
        return Optional.of(f);
    }

    /**
     * The status line follows the message: "queued" until the relay has it (the line may be down
     * for a long time, and "Sent" would claim what has not happened), then accepted, then delivered.
     */
    private void followDelivery(CompletableFuture<MessageId> queued, String what) {
        status.set("Queued: " + what + " (waiting for the relay)");
        queued.whenComplete((id, failed) -> {
            if (failed != null) {
                ui.execute(() -> status.set("Not sent: " + what + ": " + failed.getMessage()));
                return;
            }
            core.whenState(id, DeliveryState.ACCEPTED).thenRun(() -> ui.execute(() -> {
                if (status.get().startsWith("Queued: " + what)) {
                    status.set("Accepted by the relay: " + what);
                }
            }));
            core.whenState(id, DeliveryState.DELIVERED).thenRun(() -> ui.execute(() -> {
                if (status.get().endsWith(": " + what) || status.get().startsWith("Queued: " + what)) {
                    status.set("Delivered: " + what);
                }
            }));
        });
    }

    /**
     * Lets message references be checked against, and described by, the messages this console has
     * shown: a reference to a message the person has never seen is refused.
     */
    public void knownMessages(java.util.function.Function<String, Optional<String>> describe) {
        this.knownMessages = describe;
        validate();
    }

    /**
     * Starts a reply to a received message ("Reply" on it): the catalog's suggested replies are
     * listed first (the first one chosen), any other signal or free text stays available, and every
     * {@code message-ref} parameter, of this signal or one chosen later, is filled with the
     * original's id.
     */
    public void startReply(ReplyContext context) {
        replyTo.set(context);
        status.set("Replying to message " + context.id().shortForm() + ": its message field is filled in.");
        category.set(ALL_CATEGORIES);
        search.set("");
        filter();
        if (!context.suggested().isEmpty()) {
            useReply(context.suggested().get(0));
        } else {
            fields.stream().filter(f -> f.param().type() == ParamType.MESSAGE_REF)
                    .forEach(f -> f.valueProperty().set(context.id().shortForm()));
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

    /** The answer-by time the signal asks for: its catalog default until the sender changes or clears it. */
    public AnswerByChoice answerBy() {
        return answerBy;
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

    public javafx.beans.property.ObjectProperty<org.hotline.protocol.wire.Intent> intentProperty() {
        return intent;
    }

    public StringProperty freeTextProperty() {
        return freeText;
    }

    public ObservableList<CalmWordingCheck.Finding> findings() {
        return findings;
    }

    /** One finding per flagged phrase: what the person is warned about (findings has every occurrence). */
    public ObservableList<CalmWordingCheck.Finding> warnings() {
        return warnings;
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
