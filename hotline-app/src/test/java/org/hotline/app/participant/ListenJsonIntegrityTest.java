package org.hotline.app.participant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.protocol.wire.MessageId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14 items 3 and 9: {@code "verified": true} says only that the signature holds; a gap, a
 * broken hash link, a catalog version the receiver does not have, an equivocating copy and a sender
 * certificate revoked since the message must be flags of their own in {@code listen --json}, and be
 * named in the plain output.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ListenJsonIntegrityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ReceivedMessage message(List<Long> missing, List<String> warnings) {
        return new ReceivedMessage(MessageId.of(new byte[16]), "in.pm", List.of("pk.pm"), "leaders", 3,
                Instant.parse("2026-05-10T14:00:00Z"), Instant.parse("2026-05-10T14:00:01Z"),
                Optional.of("posture.normal-readiness"), Optional.of("posture"), Map.of(), "words", true, false,
                missing, warnings, Optional.empty(), Optional.empty(), "ab:cd", false);
    }

    @Test
    void aCleanMessage_hasEveryIntegrityFlagFalse() throws Exception {
        JsonNode integrity = JSON.readTree(ListenCommand.json(message(List.of(), List.of()))).path("integrity");
        assertThat(integrity.path("gap").asBoolean(true)).isFalse();
        assertThat(integrity.path("linkBroken").asBoolean(true)).isFalse();
        assertThat(integrity.path("catalogMismatch").asBoolean(true)).isFalse();
        assertThat(integrity.path("equivocation").asBoolean(true)).isFalse();
        assertThat(integrity.has("revokedSince")).as("present, as null").isTrue();
        assertThat(integrity.path("revokedSince").isNull()).isTrue();
    }

    @Test
    void anEquivocatingCopy_isFlagged_besideVerified_andNamedInThePlainOutput() throws Exception {
        ReceivedMessage copy = message(List.of(), List.of()).asEquivocation();
        JsonNode o = JSON.readTree(ListenCommand.json(copy));
        assertThat(o.path("verified").asBoolean()).isTrue();
        assertThat(o.path("integrity").path("equivocation").asBoolean()).isTrue();
        assertThat(o.path("integrity").path("linkBroken").asBoolean(true)).isFalse();
        assertThat(ListenCommand.human(copy)).contains("EQUIVOCATION");
        assertThat(ListenCommand.human(message(List.of(), List.of()))).doesNotContain("EQUIVOCATION");
    }

    @Test
    void aSenderCertificateRevokedAfterTheMessage_isFlaggedWithItsDate_andIsNotABrokenLink() throws Exception {
        Instant revoked = Instant.parse("2026-05-10T15:30:00Z");
        ReceivedMessage m = message(List.of(), List.of()).signedUnderRevokedCertificate(revoked, "ef:01");
        JsonNode o = JSON.readTree(ListenCommand.json(m));
        assertThat(o.path("verified").asBoolean()).isTrue();
        assertThat(o.path("integrity").path("revokedSince").asText()).isEqualTo("2026-05-10T15:30:00Z");
        assertThat(o.path("integrity").path("linkBroken").asBoolean(true)).isFalse();
        assertThat(m.signerFingerprint()).isEqualTo("ef:01");
        assertThat(ListenCommand.human(m)).contains("SENDER'S CERTIFICATE REVOKED SINCE 2026-05-10T15:30:00Z");
    }

    @Test
    void aGapABrokenLinkAndACatalogMismatch_areEachFlagged_besideVerified() throws Exception {
        ReceivedMessage m = message(List.of(1L, 2L), List.of(
                "message 3 from in.pm does not follow the message 2 received",
                ReceivedMessage.CATALOG_MISMATCH + "in.pm sent signal posture.normal-readiness from catalog 2099.01-9"));
        JsonNode o = JSON.readTree(ListenCommand.json(m));
        assertThat(o.path("verified").asBoolean()).isTrue();
        assertThat(o.path("integrity").path("gap").asBoolean()).isTrue();
        assertThat(o.path("integrity").path("linkBroken").asBoolean()).isTrue();
        assertThat(o.path("integrity").path("catalogMismatch").asBoolean()).isTrue();
        assertThat(ListenCommand.human(m)).contains("HASH LINK BROKEN").contains("CATALOG MISMATCH");
    }

    @Test
    void onlyACatalogMismatch_isNotABrokenLink() throws Exception {
        JsonNode integrity = JSON.readTree(ListenCommand.json(message(List.of(),
                List.of(ReceivedMessage.CATALOG_MISMATCH + "x")))).path("integrity");
        assertThat(integrity.path("catalogMismatch").asBoolean()).isTrue();
        assertThat(integrity.path("linkBroken").asBoolean(true)).isFalse();
    }
}
