package org.hotline.client.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Review R3: a refused receipt's problem line is written a few times per relay per period, then counted. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProblemThrottleTest {

    private Instant now = Instant.parse("2026-12-01T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void oneLinePerKeyPerPeriod_theNextSaysHowManyWereHeldBack_otherKeysUnaffected() {
        ProblemThrottle t = new ProblemThrottle(Duration.ofMinutes(1), clock);
        for (int i = 0; i < ProblemThrottle.BURST; i++) {
            assertThat(t.admit("relay-in")).isEqualTo(OptionalInt.of(0));
        }
        for (int i = 0; i < 200; i++) {
            assertThat(t.admit("relay-in")).isEmpty();
        }
        assertThat(t.admit("relay-pk")).as("another relay").isEqualTo(OptionalInt.of(0));
        now = now.plusSeconds(59);
        assertThat(t.admit("relay-in")).isEmpty();
        now = now.plusSeconds(1);
        assertThat(t.admit("relay-in")).isEqualTo(OptionalInt.of(201));
        for (int i = 1; i < ProblemThrottle.BURST; i++) {
            assertThat(t.admit("relay-in")).isEqualTo(OptionalInt.of(0));
        }
        assertThat(t.admit("relay-in")).isEmpty();
        assertThat(ProblemThrottle.withHeldBack("x", 201, Duration.ofMinutes(1)))
                .isEqualTo("x (201 more like it in the last 1 min not logged)");
        assertThat(ProblemThrottle.withHeldBack("x", 0, Duration.ofMinutes(1))).isEqualTo("x");
    }

    @Test
    void theKeysAreBounded() {
        ProblemThrottle t = new ProblemThrottle(Duration.ofMinutes(1), clock);
        for (int i = 0; i <= ProblemThrottle.MAX_KEYS; i++) {
            for (int j = 0; j < ProblemThrottle.BURST; j++) {
                assertThat(t.admit("k" + i)).isPresent();
            }
        }
        assertThat(t.admit("k0")).as("the oldest key was forgotten").isPresent();
        assertThat(t.admit("k" + ProblemThrottle.MAX_KEYS)).isEmpty();
    }
}
