package org.hotline.protocol.testing;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;

/** Builders for realistic message headers and bodies in tests. */
public final class Messages {

    private Messages() {
    }

    public static MessageHeader header(String sender, String recipient, long counter, SecureRandom random) {
        return new MessageHeader(MessageId.random(random), sender, List.of(recipient), "leaders", counter,
                Instant.parse("2026-05-10T14:00:00Z").plusSeconds(counter), Hash32.ZERO, Hash32.ZERO, "2026.11-1",
                Optional.empty(), Optional.empty());
    }

    public static Content.Signal readinessSignal() {
        return Content.Signal.of("posture.normal-readiness", Map.of("asOf", "2026-05-10T14:00:00Z"));
    }
}
