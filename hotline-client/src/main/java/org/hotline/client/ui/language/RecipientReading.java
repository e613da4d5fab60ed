package org.hotline.client.ui.language;

import java.util.List;

/** What one recipient will read of a message being composed: its seat and the words per language. */
public record RecipientReading(String recipient, List<LanguageText> texts) {
    public RecipientReading {
        texts = List.copyOf(texts);
    }
}
