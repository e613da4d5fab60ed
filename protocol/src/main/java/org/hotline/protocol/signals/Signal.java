package org.hotline.protocol.signals;

import java.util.List;
import java.util.Map;

/**
 * A prefabricated signal: id, category, typed parameters, wording per language (each marked
 * reviewed or not), and the ids of signals that naturally answer it.
 */
public record Signal(String id, String category, Map<String, String> titles, List<SignalParam> params,
                     Map<String, Wording> wordings, List<String> replies) {

    /** A template in one language; {@code reviewed} says whether the team has checked the wording. */
    public record Wording(String template, boolean reviewed) {
    }

    public Signal {
        titles = Map.copyOf(titles);
        params = List.copyOf(params);
        wordings = Map.copyOf(wordings);
        replies = List.copyOf(replies);
    }

    public String title(String language) {
        return titles.getOrDefault(language, titles.get("en"));
    }
}
