package org.hotline.client.ui.console;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A signal's message reference as people recognise it. The catalog renders a {@code message-ref}
 * parameter as {@code message 3f2a91c0} (PROTOCOL.md §4.2), and that is what is signed and logged;
 * the console shows the message it names instead, by title and time in the reader's zone:
 * "your “Cease-fire along the Line of Control” of 16:58 IST". The possessive is the sentence's own:
 * the message's sender speaks, so a message by the other side is "your" and one by the sender
 * "our". A reference to a message this console has not shown stays as it was.
 */
public final class ReferenceWording {

    /** How the reference renders in the reference (English) wording: the word and the first 8 hex digits. */
    private static final Pattern REF = Pattern.compile("\\bmessage ([0-9a-f]{8})\\b");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

    /** The row a reference names and its signal's title (empty for free text). */
    public record Referenced(MessageItem row, Optional<String> title) {
    }

    private ReferenceWording() {
    }

    /**
     * The text of {@code item} as the console shows it: every reference a signal makes to a message
     * this console knows (looked up by its 8 hex digits) in words. Free text and gap or outage rows
     * are returned unchanged: a person may have typed "message 3f2a91c0" and meant exactly that.
     *
     * @param isSignal whether the row is a catalog signal (only then is "message <hex>" the catalog's rendering)
     */
    public static String of(MessageItem item, boolean isSignal, Function<String, Optional<Referenced>> lookup,
                            ZoneId readerZone, String zoneLabel) {
        if (!isSignal || item.kind() == MessageItem.Kind.GAP || item.kind() == MessageItem.Kind.OUTAGE) {
            return item.text();
        }
        Matcher m = REF.matcher(item.text());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Optional<Referenced> found = lookup.apply(m.group(1));
            String words = found.map(r -> words(item, r, readerZone, zoneLabel)).orElse(m.group());
            m.appendReplacement(out, Matcher.quoteReplacement(words));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String words(MessageItem speaking, Referenced r, ZoneId zone, String zoneLabel) {
        MessageItem ref = r.row();
        boolean sameAuthor = speaking.kind() == ref.kind()
                && (speaking.kind() == MessageItem.Kind.SENT || speaking.sender().equals(ref.sender()));
        String whose = sameAuthor ? "our" : "your";
        String when = CLOCK.format(ref.time().atZone(zone)) + " " + zoneLabel;
        return r.title().map(t -> whose + " \u201c" + t + "\u201d of " + when).orElse(whose + " message of " + when);
    }
}
