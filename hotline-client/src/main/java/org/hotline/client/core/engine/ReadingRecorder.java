package org.hotline.client.core.engine;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.hotline.client.core.MessageReading;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.client.core.store.InboxStore;
import org.hotline.protocol.crypto.ReadingSigner;
import org.hotline.protocol.exercise.Channel;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.ReadAs;
import org.hotline.protocol.wire.SignedMessage;

/**
 * The reader's side of a reading (PROTOCOL.md §4.2, Reading): signs how the person read a received
 * message, logs it, and, when the exercise has control, sends it to control alone on the reader's
 * own channel with control. Never to anyone else: the other state does not learn how its message
 * was read. Engine thread only.
 */
final class ReadingRecorder {

    private final String role;
    private final RoleCredential credential;
    private final Exercise exercise;
    private final InboxStore store;
    private final Inbox inbox;
    private final Outbox outbox;
    private final ClientAudit audit;
    private final Clock clock;

    ReadingRecorder(String role, RoleCredential credential, Exercise exercise, InboxStore store, Inbox inbox,
                    Outbox outbox, ClientAudit audit, Clock clock) {
        this.role = role;
        this.credential = credential;
        this.exercise = exercise;
        this.store = store;
        this.inbox = inbox;
        this.outbox = outbox;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Signs and logs the reading of received message {@code id}, then sends it to control if there
     * is a channel to control alone.
     *
     * @throws IllegalArgumentException {@code id} is not a message this client received and shows
     */
    MessageReading record(MessageId id, ReadAs readAs, String note) throws Exception {
        ReceivedMessage shown = inbox.received(id).orElseThrow(() -> new IllegalArgumentException(
                "message " + id.shortForm() + " is not a message " + role + " received"));
        SignedMessage message = store.incoming(id).orElseThrow(() -> new IllegalStateException(
                "message " + id.shortForm() + " is shown but not stored"));
        Content.Reading reading = ReadingSigner.sign(credential.identity(), role, message, shown.receivedAt(),
                clock.instant(), readAs, note.strip());
        audit.reading(reading);
        Optional<MessageId> carrier = Optional.empty();
        Optional<Channel> toControl = channelToControlAlone();
        if (toControl.isPresent()) {
            carrier = Optional.of(outbox.compose(toControl.get(), reading, Optional.empty(), Optional.empty()));
        }
        var f = reading.fields();
        return new MessageReading(f.messageId(), f.reader(), f.sender(), f.channel(), f.readAs(), f.note(),
                f.receivedAt(), f.readAt(), carrier);
    }

    /**
     * The reader's channel with exercise control, only if control is its one other addressee (the
     * template's {@code control.<role>}): a reading is sealed to control and to no one else.
     */
    Optional<Channel> channelToControlAlone() {
        if (exercise.control().isEmpty() || exercise.isControl(role)) {
            return Optional.empty();
        }
        String control = exercise.control().get().role();
        return exercise.channelFor(role, control).filter(c -> c.addressees(role).equals(List.of(control)));
    }
}
