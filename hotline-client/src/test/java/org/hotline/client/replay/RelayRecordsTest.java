package org.hotline.client.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relays' records in replay and the report (issues 18 and 19; PROTOCOL.md §12.5, §13), read from
 * the vector log {@code audit-relays.json} (in.pm's log, two relays): the received message's first
 * relay and its duplicate, the relay-log acceptance and the cumulative receipt in words; and the
 * lagging-relay texts RelayPaths logs, read back.
 */
@Timeout(30)
class RelayRecordsTest {

    private static final String VECTORS = "/org/hotline/protocol/vectors/";

    @TempDir
    Path tmp;

    Timeline timeline() throws Exception {
        JsonNode v;
        try (InputStream in = RelayRecordsTest.class.getResourceAsStream(VECTORS + "audit-relays.json")) {
            v = new ObjectMapper().readTree(in);
        }
        Path log = tmp.resolve("in.jsonl");
        try (InputStream in = RelayRecordsTest.class.getResourceAsStream(VECTORS + v.get("file").asText())) {
            Files.copy(in, log, StandardCopyOption.REPLACE_EXISTING);
        }
        var trust = Optional.of(CertificateValidator.withoutRevocation(
                Pem.parseCertificate(v.get("caCertificate").asText().getBytes(StandardCharsets.US_ASCII))));
        return new TimelineMerger().merge(List.of(LogSource.load(log, trust)));
    }

    @Test
    void firstRelayDuplicateAndRelayLog_inWords() throws Exception {
        Timeline t = timeline();
        RelayRecords r = RelayRecords.of(t);
        assertThat(r.paths()).singleElement().satisfies(p -> {
            assertThat(p.receiver()).isEqualTo("in.pm");
            assertThat(p.first()).isEqualTo("relay-pk");
            assertThat(p.duplicates()).extracting(RelayRecords.Copy::via).containsExactly("relay-in");
            assertThat(p.trusted()).isTrue();
            assertThat(RelayRecords.pathText(t, p)).startsWith("first via relay-pk (in.pm, ")
                    .contains("; duplicate via relay-in ");
        });
        assertThat(r.relayLog()).extracting(RelayRecords.Note::text).containsExactly(
                "message 3d444b52 accepted in relay-in's log at index 0 (checkpoint size 2, 14:00:01 UTC)"
                        .replace("3d444b52", t.messages().get(0).shortId()),
                "pk.pm confirmed in.pm's messages 1\u20133 on leaders with one signed cumulative receipt "
                        + "(delivered-through, 3 messages)");
        assertThat(r.forkAlarms()).isEmpty();

        StringWriter out = new StringWriter();
        r.print(t, new PrintWriter(out, true));
        assertThat(out.toString()).contains("  relay paths (which relay carried each message first): 1\n",
                "  relay logs (the relays' signed checkpoints and proofs, as the clients recorded them): 2\n");
        StringBuilder h = new StringBuilder();
        r.html(t, h);
        assertThat(h.toString()).contains("<h2>Relays</h2>", "Which relay carried each message first (1)",
                "<td>relay-pk (at in.pm)</td>", "Relay logs (2)");
    }

    /** The replay window: the sender's view of a message lists its log proofs, the recipient's its relays. */
    @Test
    void replayWindow_showsTheProofsAndThePaths() throws Exception {
        Timeline t = timeline();
        var vm = new org.hotline.client.ui.replay.ReplayViewModel(t);
        Timeline.MessageRecord first = t.messages().get(0);
        vm.scrub(vm.fractionOf(first.sentAt().plusMillis(500)));
        assertThat(vm.senderViewProperty().get()).contains("message " + first.shortId()
                + " accepted in relay-in's log at index 0 (checkpoint size 2, ");
        vm.scrub(1.0);
        assertThat(vm.recipientViewProperty().get()).contains("first via relay-pk (in.pm, ")
                .contains("; duplicate via relay-in ");
        assertThat(vm.relayLines()).first().isEqualTo("relay paths (which relay carried each message first): 1");
        assertThat(vm.relayForkAlarm()).isFalse();
    }

    /**
     * Review R5, R6: a lagging-relay text names a message by its 8-hex short id, which a sender can
     * grind to collide; it is attached only when exactly one message to the console that logged it
     * has that prefix, and notes are looked up by full id. The detail pane marks what the signed
     * part of a log does not vouch for, as the report does; the report's heading is in words.
     */
    @Test
    void notesAttachByFullId_aCollidingShortIdAttachesToNothing_andUnvouchedLinesAreMarked() {
        Instant t0 = Instant.parse("2026-05-10T14:00:00Z");
        String honest = "3f2a91c0" + "1".repeat(24);
        String ground = "3f2a91c0" + "2".repeat(24);
        String other = "0badcafe" + "3".repeat(24);
        Timeline.MessageRecord m1 = message(honest, "in.pm", t0);
        Timeline.MessageRecord m2 = message(other, "in.pm", t0.plusSeconds(1));
        Timeline one = new Timeline(t0, t0.plusSeconds(60), List.of(m1, m2), List.of(), List.of(), List.of(), List.of());
        assertThat(RelayRecords.messageNamed(one, "3f2a91c0", "pk.pm")).contains(honest);
        assertThat(RelayRecords.messageNamed(one, "3f2a91c0", "ch.pm")).as("not addressed to that console").isEmpty();
        Timeline both = new Timeline(t0, t0.plusSeconds(60), List.of(m1, message(ground, "ch.pm", t0.plusSeconds(2)), m2),
                List.of(), List.of(), List.of(), List.of());
        assertThat(RelayRecords.messageNamed(both, "3f2a91c0", "pk.pm")).as("two messages share the prefix").isEmpty();

        String lag = "relay-pk did not deliver message 3f2a91c0 within 10 s; relay-in did";
        RelayRecords r = new RelayRecords(
                List.of(new RelayRecords.MessagePath(honest, "pk.pm", "relay-in", t0, List.of(), false)),
                List.of(new RelayRecords.Note(t0, "pk.pm", lag, Optional.of(ground), false, false)),
                List.of(new RelayRecords.Note(t0, "in.pm", "message 3f2a91c0 accepted", Optional.of(honest), false, true)),
                List.of());
        assertThat(r.disagreementsOf(honest)).as("a note about another message with the same short id").isEmpty();
        assertThat(r.disagreementsOf(ground)).hasSize(1);
        assertThat(r.relayLogOf(honest, "in.pm")).hasSize(1);
        assertThat(r.relayLogOf(ground, "in.pm")).isEmpty();
        assertThat(r.pathLines(one, honest)).singleElement().satisfies(l ->
                assertThat(l).startsWith("first via relay-in (pk.pm, ").endsWith("  UNTRUSTED OR UNSIGNED"));
        assertThat(RelayRecords.marked(r.disagreementsOf(ground).get(0))).isEqualTo(lag + "  UNTRUSTED OR UNSIGNED");

        StringBuilder h = new StringBuilder();
        r.html(one, h);
        assertThat(h.toString()).contains("<h3>Path disagreements (1)</h3>").doesNotContain("MessagePath");
    }

    private static Timeline.MessageRecord message(String id, String from, Instant at) {
        return new Timeline.MessageRecord(id, from, List.of("pk.pm"), "leaders", 1, "text", "hello", at,
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), true, Optional.empty());
    }

    @Test
    void aCumulativeReceiptOfOneMessage_saysMessage() {
        var one = org.hotline.protocol.crypto.CumulativeReceiptSigner.sign(
                org.hotline.protocol.crypto.IdentityKeyPair.fromPrivateKey(new byte[32]),
                new org.hotline.protocol.wire.CumulativeReceipt.Fields(
                        org.hotline.protocol.testing.Messages.EXERCISE, "pk.pm", "in.pm", "leaders", 10, 10,
                        org.hotline.protocol.wire.Hash32.ZERO, java.time.Instant.parse("2026-05-10T14:00:00Z"),
                        List.of(org.hotline.protocol.wire.MessageId.of(new byte[16]))));
        assertThat(RelayRecords.deliveredThrough(one)).isEqualTo("pk.pm confirmed in.pm's message 10 on leaders with "
                + "one signed cumulative receipt (delivered-through, 1 message)");
    }

    @Test
    void laggingRelayTexts_areReadBack_andNothingElse() {
        assertThat(RelayRecords.disagreement("relay-pk did not deliver message 3f2a91c0 within 10 s; relay-in did"))
                .contains(Optional.of("3f2a91c0"));
        assertThat(RelayRecords.disagreement("relay-pk did not deliver message 3f2a91c0 within 10 s; relay-in did "
                + "(relay-pk is down: connection refused)")).contains(Optional.of("3f2a91c0"));
        assertThat(RelayRecords.disagreement("relay-pk delivers again (it had missed 3 messages another relay "
                + "delivered)")).contains(Optional.empty());
        assertThat(RelayRecords.disagreement("in.pm did not deliver message 3f2a91c0 within 10 s; relay-in did"))
                .isEmpty();
        assertThat(RelayRecords.disagreement("audit log could not be written")).isEmpty();
    }

    @Test
    void noRelayRecords_printNothing() throws Exception {
        RelayRecords none = new RelayRecords(List.of(), List.of(), List.of(), List.of());
        StringWriter out = new StringWriter();
        none.print(timeline(), new PrintWriter(out, true));
        StringBuilder h = new StringBuilder();
        none.html(timeline(), h);
        assertThat(out.toString()).isEmpty();
        assertThat(h.toString()).isEmpty();
    }
}
