package org.hotline.client.ui.compose;

import java.util.Locale;
import javafx.beans.property.ObjectProperty;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Region;
import org.hotline.protocol.wire.Intent;

/**
 * The free-text form's required choice of what the text means to do (PROTOCOL.md §4.2, Intent):
 * inform, reassure, propose, request, acknowledge or warn. It is signed with the text; the report
 * compares it with how the recipient read it. None is preselected: the sender decides each time.
 */
final class IntentPicker extends FlowPane {

    IntentPicker(ObjectProperty<Intent> intent) {
        super(6, 4);
        setId("intent-picker");
        setAlignment(Pos.CENTER_LEFT);
        Label label = new Label("This text is meant to:");
        label.setMinWidth(Region.USE_PREF_SIZE);
        getChildren().add(label);
        ToggleGroup group = new ToggleGroup();
        for (Intent i : Intent.values()) {
            ToggleButton b = new ToggleButton(i.label().substring(0, 1).toUpperCase(Locale.ROOT) + i.label().substring(1));
            b.setId("intent-" + i.label());
            b.setUserData(i);
            b.setToggleGroup(group);
            b.setMinWidth(Region.USE_PREF_SIZE);
            getChildren().add(b);
        }
        group.selectedToggleProperty().addListener((o, a, b) -> intent.set(b == null ? null : (Intent) b.getUserData()));
        intent.addListener((o, a, b) -> group.getToggles().forEach(t -> t.setSelected(t.getUserData() == b)));
    }
}
