package org.hotline.app.participant;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.hotline.app.cli.CommandFailure;
import org.hotline.app.cli.ExitCodes;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.client.core.SentMessage;
import org.hotline.protocol.wire.MessageId;

/**
 * A message named on the command line, the one way for {@code --reply-to} and {@code --param ref=}:
 * its full id (32 hex digits) or the first 8 or more of them, as {@code listen} and the console
 * show it. It must be a message this role has sent or received; a reference to a message the other
 * side has never been shown is refused rather than signed.
 */
final class MessageRefs {

    private MessageRefs() {
    }

    static MessageId resolve(HotlineClient core, String what, String text) {
        String v = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (v.startsWith("message ")) {
            v = v.substring("message ".length()).strip();
        }
        if (!v.matches("[0-9a-f]{8,32}")) {
            throw new CommandFailure(ExitCodes.USAGE, what + " must be a message id (its first 8 hex digits or all 32), not '"
                    + text + "'");
        }
        String prefix = v;
        List<MessageId> matches = known(core).filter(id -> id.hex().startsWith(prefix)).distinct().toList();
        if (matches.isEmpty()) {
            throw new CommandFailure(ExitCodes.USAGE, what + ": " + core.role() + " has neither sent nor received a message "
                    + prefix + " (see 'hotline listen' for the ids)");
        }
        if (matches.size() > 1) {
            throw new CommandFailure(ExitCodes.USAGE, what + ": " + prefix + " matches " + matches.size()
                    + " messages; give more digits");
        }
        return matches.get(0);
    }

    private static Stream<MessageId> known(HotlineClient core) {
        try {
            return Stream.concat(core.sentMessages().get().stream().map(SentMessage::id),
                    core.receivedMessages().get().stream().map(ReceivedMessage::id));
        } catch (ExecutionException e) {
            throw new CommandFailure(ExitCodes.FAILURE, "cannot read this role's messages: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure(ExitCodes.FAILURE, "interrupted");
        }
    }
}
