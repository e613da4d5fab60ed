package org.hotline.protocol.signals;

import java.util.Map;

/** One typed parameter of a signal, with its label per language. */
public record SignalParam(String name, ParamType type, Map<String, String> labels) {
    public SignalParam {
        labels = Map.copyOf(labels);
    }

    public String label(String language) {
        return labels.getOrDefault(language, labels.getOrDefault("en", name));
    }
}
