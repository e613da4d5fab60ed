package org.hotline.client.ui.compose;

import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.hotline.protocol.signals.SignalParam;

/** One parameter of the chosen signal: what the person typed and what is wrong with it, if anything. */
public final class ParamField {

    private final SignalParam param;
    private final StringProperty value = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");

    ParamField(SignalParam param, String initial) {
        this.param = param;
        this.value.set(initial);
    }

    public String name() {
        return param.name();
    }

    public String label() {
        return param.label("en");
    }

    public String hint() {
        return param.type().jsonName() + ", e.g. " + param.type().example();
    }

    public StringProperty valueProperty() {
        return value;
    }

    public StringProperty errorProperty() {
        return error;
    }
}
