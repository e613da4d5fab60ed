package org.hotline.client.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The reasons clients log with link-down and link-alarm, named as a facilitator names them. */
@Timeout(10)
class OutageCauseTest {

    @Test
    void loggedReasons_mapToTheirCause() {
        assertThat(OutageCause.of("superseded: another console signed in as this role took the line"))
                .isEqualTo(OutageCause.CONSOLE_SUPERSEDED);
        assertThat(OutageCause.of("connection to the relay lost: Connection reset by peer"))
                .isEqualTo(OutageCause.RELAY_DOWN);
        assertThat(OutageCause.of("connection to the relay failed: Connection refused: /127.0.0.1:7443"))
                .isEqualTo(OutageCause.RELAY_DOWN);
        assertThat(OutageCause.of("the relay ended the session: shutting down")).isEqualTo(OutageCause.RELAY_DOWN);
        assertThat(OutageCause.of("no traffic from the relay for 90 s")).isEqualTo(OutageCause.LINK_SILENT);
        assertThat(OutageCause.of("no end-to-end link test answered for 60 s")).isEqualTo(OutageCause.LINK_SILENT);
        assertThat(OutageCause.of("something else")).isEqualTo(OutageCause.OTHER);
    }
}
