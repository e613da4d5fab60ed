package org.hotline.server.relay;

import java.util.Optional;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.MessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The relay's refusals, worded and logged the same way by every component. */
final class Replies {

    private static final Logger log = LoggerFactory.getLogger(Replies.class);

    private Replies() {
    }

    /** Answers with an ERROR frame and keeps the connection: the peer may go on. */
    static void refuse(RelaySession s, ErrorCode code, Optional<MessageId> id, String text) {
        log.info("refused {} from {}: {}", code, s.describe(), text);
        s.send(new Frame.Error(code, id, text));
    }

    /** For {@code exceptionally}: the mailbox failed, so nothing was acknowledged and the peer should retry. */
    static Void storageFailed(RelaySession s, MessageId id, Throwable e) {
        log.error("storage failure for {}: {}", s.describe(), e.getMessage());
        s.send(new Frame.Error(ErrorCode.STORAGE_FAILURE, Optional.ofNullable(id),
                "the relay could not store this durably; nothing was accepted, try again"));
        return null;
    }

    /** For {@code exceptionally} on a read: the mailbox could not answer; the peer may ask again. */
    static Void readFailed(RelaySession s, Throwable e) {
        log.error("mailbox read failed for {}: {}", s.describe(), e.getMessage());
        s.send(new Frame.Error(ErrorCode.STORAGE_FAILURE, Optional.empty(),
                "the relay could not read its mailbox; try again"));
        return null;
    }
}
