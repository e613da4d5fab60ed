package org.hotline.client.ui.language;

import java.util.List;
import java.util.Map;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.Role;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.signals.SignalException;

/**
 * The sender's preview of what each recipient will read: for the recipient's seat, the reference
 * wording and the wording in each language that seat reads. A view model; never touches a node.
 */
public final class PreviewReadings {

    private final Exercise exercise;
    private final Translations translations;
    private final ObservableList<RecipientReading> readings = FXCollections.observableArrayList();
    /**
     * One read-only view, kept here: the wrapper listens to {@link #readings} weakly, so a wrapper
     * made per call could be collected with the view's listener on it, and the preview would freeze.
     */
    private final ObservableList<RecipientReading> readOnly = FXCollections.unmodifiableObservableList(readings);

    public PreviewReadings(SignalCatalog catalog, Exercise exercise) {
        this.exercise = exercise;
        this.translations = new Translations(catalog, exercise.parties());
    }

    /** Shows what {@code recipientRole} will read of the signal with these (valid) parameters. */
    public void update(String signalId, Map<String, String> params, String recipientRole) {
        Role role = recipientRole == null ? null : exercise.role(recipientRole).orElse(null);
        if (role == null) {
            readings.clear();
            return;
        }
        try {
            List<LanguageText> texts = translations.forReader(signalId, params, role);
            RecipientReading r = new RecipientReading(role.displayName(), texts);
            if (!readings.equals(List.of(r))) {
                readings.setAll(r);
            }
        } catch (SignalException e) {
            readings.clear();
        }
    }

    public void clear() {
        readings.clear();
    }

    public ObservableList<RecipientReading> readings() {
        return readOnly;
    }
}
