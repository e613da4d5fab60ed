package org.hotline.client.ui.compose;

import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.hotline.protocol.signals.ParamType;
import org.hotline.protocol.signals.SignalParam;

/**
 * One parameter of the chosen signal: what the person typed and what is wrong with it, if
 * anything. The error is kept at all times (it decides whether Send is enabled) but shown only
 * once the field was touched: a form that opens covered in red tells nobody anything.
 */
public final class ParamField {

    private final SignalParam param;
    private final String hint;
    private final StringProperty value = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private final BooleanProperty touched = new SimpleBooleanProperty(false);
    private final BooleanBinding showError;
    /** For a message reference: which message it names, in words ("their message of 16:58 IST: ..."). */
    private final StringProperty description = new SimpleStringProperty("");

    ParamField(SignalParam param, String initial, String hint) {
        this.param = param;
        this.hint = hint;
        this.value.set(initial);
        // Any edit after the default was put in counts as touching the field.
        value.addListener((o, a, b) -> touched.set(true));
        showError = touched.and(error.isNotEmpty());
    }

    public String name() {
        return param.name();
    }

    public String label() {
        return param.label("en");
    }

    SignalParam param() {
        return param;
    }

    public boolean isTime() {
        return param.type() == ParamType.TIME;
    }

    public String hint() {
        return hint;
    }

    public StringProperty valueProperty() {
        return value;
    }

    public StringProperty errorProperty() {
        return error;
    }

    /** Set by the view when the field loses focus, and by any edit. */
    public BooleanProperty touchedProperty() {
        return touched;
    }

    void describedAs(String text) {
        description.set(text);
    }

    public StringProperty descriptionProperty() {
        return description;
    }

    public BooleanBinding showErrorProperty() {
        return showError;
    }
}
