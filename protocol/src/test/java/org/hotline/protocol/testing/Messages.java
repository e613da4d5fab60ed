package org.hotline.protocol.testing;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;

/** Builders for realistic message headers and bodies in tests. */
public final class Messages {

    /** The exercise of tests that need no real CA: a fixed stand-in for the SHA-256 of a CA certificate. */
    public static final ExerciseId EXERCISE = exercise(0x11);
    /** Another exercise, for "foreign exercise" tests. */
    public static final ExerciseId OTHER_EXERCISE = exercise(0x22);

    private Messages() {
    }

    public static ExerciseId exercise(int fill) {
        byte[] b = new byte[ExerciseId.LENGTH];
        java.util.Arrays.fill(b, (byte) fill);
        return ExerciseId.of(b);
    }

    public static MessageHeader header(String sender, String recipient, long counter, SecureRandom random) {
        return header(EXERCISE, sender, recipient, counter, random);
    }

    public static MessageHeader header(ExerciseId exercise, String sender, String recipient, long counter,
                                       SecureRandom random) {
        return new MessageHeader(exercise, MessageId.random(random), sender, List.of(recipient), "leaders", counter,
                Instant.parse("2026-05-10T14:00:00Z").plusSeconds(counter), Hash32.ZERO, Hash32.ZERO, "2026.11-1",
                Optional.empty(), Optional.empty());
    }

    public static Content.Signal readinessSignal() {
        return Content.Signal.of("posture.normal-readiness", Map.of("asOf", "2026-05-10T14:00:00Z"));
    }
}
