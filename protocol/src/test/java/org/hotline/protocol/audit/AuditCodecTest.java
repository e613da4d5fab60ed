package org.hotline.protocol.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.hotline.protocol.crypto.CumulativeReceiptSigner;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.sequence.ChannelSequence;
import org.hotline.protocol.testing.Messages;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one audit-line codec: the same bytes the writers produced before the typed events (so every
 * existing log still reads), and a strict reader that names the field it rejects.
 */
@Timeout(30)
class AuditCodecTest {

    static final ObjectMapper LEGACY = new ObjectMapper();
    static final HexFormat HEX = HexFormat.of();
    static final Instant T = Instant.parse("2026-05-10T14:00:00.123Z");
    static final byte[] PREV = bytes(9, 32);
    static final IdentityKeyPair IN = IdentityKeyPair.fromPrivateKey(bytes(1, 32));
    static final IdentityKeyPair PK = IdentityKeyPair.fromPrivateKey(bytes(3, 32));

    static byte[] bytes(int seed, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return b;
    }

    static SignedMessage message(Content content, Optional<MessageId> inReplyTo) {
        MessageHeader h = new MessageHeader(Messages.EXERCISE, MessageId.of(bytes(2, 16)), "in.pm", List.of("pk.pm"), "leaders", 3,
                Instant.parse("2026-05-10T14:00:00Z"), Hash32.ZERO, Hash32.ZERO, "2026.11-1", inReplyTo, Optional.empty());
        return MessageSigner.sign(IN, h, content);
    }

    static final SignedMessage SIGNAL = message(Content.Signal.of("posture.normal-readiness",
            Map.of("asOf", "2026-05-10T14:00:00Z")), Optional.empty());
    static final SignedMessage TEXT = message(new Content.Text("We propose talks at 16:00 UTC.\u2028\u001b[2J "
            + "\"q\" \\ / \u007f \u00e9 \ud83d\ude00 \t\r\n"),
            Optional.of(MessageId.of(bytes(4, 16))));
    static final Receipt DELIVERED = ReceiptSigner.sign(PK, Receipt.Type.DELIVERED, SIGNAL, "pk.pm",
            Instant.parse("2026-05-10T14:00:01Z"));
    static final Receipt ACKNOWLEDGED = ReceiptSigner.sign(PK, Receipt.Type.ACKNOWLEDGED, SIGNAL, "pk.pm",
            Instant.parse("2026-05-10T14:00:02Z"));
    static final Receipt ACCEPTED = ReceiptSigner.sign(IN, new Receipt.Fields(Receipt.Type.ACCEPTED, Messages.EXERCISE,
            MessageId.of(bytes(2, 16)), Receipt.RELAY, "in.pm", "leaders", Instant.parse("2026-05-10T14:00:00.500Z"),
            Hash32.ZERO));

    // ------------------------------------------------------------- the writers' code before typed events

    static ObjectNode legacyMessage(SignedMessage m, String text) {
        MessageHeader h = m.header();
        ObjectNode p = LEGACY.createObjectNode();
        p.put("id", h.messageId().hex());
        p.put("from", h.sender());
        p.putPOJO("to", h.recipients());
        p.put("channel", h.channel());
        p.put("counter", h.counter());
        p.put("sentAt", h.sentAt().toString());
        if (m.content() instanceof Content.Signal s) {
            p.put("signal", s.signalId());
            ObjectNode params = p.putObject("params");
            s.params().forEach(params::put);
        }
        p.put("kind", switch (m.content().type()) {
            case Content.TYPE_SIGNAL -> "signal";
            case Content.TYPE_TEXT -> "text";
            case Content.TYPE_LINK_TEST -> "link-test";
            default -> "link-test-reply";
        });
        p.put("text", text);
        h.inReplyTo().ifPresent(id -> p.put("inReplyTo", id.hex()));
        p.put("message", Base64.getEncoder().encodeToString(m.encode()));
        return p;
    }

    static ObjectNode legacyReceipt(Receipt r, boolean by) {
        ObjectNode p = LEGACY.createObjectNode();
        p.put("id", r.messageId().hex());
        if (by) {
            p.put("by", r.asserter());
        }
        p.put("state", r.type().name().toLowerCase());
        p.put("receipt", Base64.getEncoder().encodeToString(r.encode()));
        return p;
    }

    static byte[] legacyLine(String type, ObjectNode payload) throws Exception {
        ObjectNode e = LEGACY.createObjectNode();
        e.put("seq", 7L);
        e.put("time", T.toString());
        e.put("type", type);
        e.put("prev", HEX.formatHex(PREV));
        e.setAll(payload);
        return LEGACY.writeValueAsBytes(e);
    }

    static ObjectNode fields(Object... kv) {
        ObjectNode p = LEGACY.createObjectNode();
        for (int i = 0; i < kv.length; i += 2) {
            p.putPOJO((String) kv[i], kv[i + 1]);
        }
        return p;
    }

    static Stream<Arguments> everyEntryType() throws Exception {
        ObjectNode received = legacyMessage(TEXT, TEXT.content() instanceof Content.Text t ? t.text() : "");
        received.put("receivedAt", "2026-05-10T14:00:00.400Z");
        // No former writer: the line as PROTOCOL.md §11.3 specifies it (several relays, §13).
        ObjectNode receivedVia = received.deepCopy();
        receivedVia.put("via", "relay-pk");
        // A cumulative receipt (PROTOCOL.md §6.1) over the signal, as pk.pm's delivered-through entry.
        CumulativeReceipt through = CumulativeReceiptSigner.sign(PK, SIGNAL.header().exerciseId(), "pk.pm",
                SIGNAL.header().sender(), SIGNAL.header().channel(), List.of(new ChannelSequence.Held(
                        SIGNAL.header().counter(), SIGNAL.header().messageId(), Hashes.messageHash(SIGNAL))), T);
        ObjectNode throughLine = LEGACY.createObjectNode();
        throughLine.put("from", through.sender());
        throughLine.put("channel", through.channel());
        throughLine.put("by", "pk.pm");
        throughLine.put("throughCounter", through.throughCounter());
        throughLine.put("receipt", Base64.getEncoder().encodeToString(through.encode()));
        ObjectNode equivocation = legacyMessage(SIGNAL, "rendered wording");
        equivocation.put("explanation", "in.pm signed two messages with counter 3");
        ObjectNode ack = LEGACY.createObjectNode();
        ack.put("id", ACKNOWLEDGED.messageId().hex());
        ack.put("receipt", Base64.getEncoder().encodeToString(ACKNOWLEDGED.encode()));
        ObjectNode accepted = LEGACY.createObjectNode();
        accepted.put("id", ACCEPTED.messageId().hex());
        accepted.put("from", "in.pm");
        accepted.put("channel", "leaders");
        ArrayNode to = accepted.putArray("to");
        ArrayNode sizes = accepted.putArray("sizes");
        ArrayNode hashes = accepted.putArray("ciphertextSha256");
        to.add("pk.pm");
        sizes.add(1234);
        hashes.add(HEX.formatHex(bytes(5, 32)));
        accepted.put("receipt", Base64.getEncoder().encodeToString(ACCEPTED.encode()));
        ObjectNode rotated = LEGACY.createObjectNode();
        rotated.put("newPrekeyId", 123456);
        rotated.put("expiresAt", "2026-06-09T14:00:00Z");
        rotated.put("erased", 1);
        ObjectNode recovered = LEGACY.createObjectNode();
        recovered.put("tornLine", 12);
        recovered.put("tornBytesSha256", HEX.formatHex(bytes(6, 32)));
        ObjectNode checkpoint = LEGACY.createObjectNode();
        checkpoint.put("signer", "in.pm");
        checkpoint.put("treeSize", 7L);
        checkpoint.put("root", HEX.formatHex(bytes(7, 32)));
        checkpoint.put("signature", Base64.getEncoder().encodeToString(bytes(8, 64)));
        Content.LogCheckpoint held = new Content.LogCheckpoint("pk.pm", 9, "2026-05-10T14:00:00Z",
                Hash32.of(bytes(9, 32)), Hash32.of(bytes(10, 32)), bytes(11, 64));
        MessageId carrier = MessageId.of(bytes(12, 16));
        // No former writer: the line as PROTOCOL.md §11.3 specifies it, in field order.
        ObjectNode peerCheckpoint = LEGACY.createObjectNode();
        peerCheckpoint.put("owner", "pk.pm");
        peerCheckpoint.put("treeSize", 9L);
        peerCheckpoint.put("root", HEX.formatHex(bytes(10, 32)));
        peerCheckpoint.put("id", carrier.hex());
        peerCheckpoint.put("checkpoint", Base64.getEncoder().encodeToString(Content.encode(held)));
        // No former writer either: an evaluator's note as §11.3 specifies it.
        ObjectNode note = LEGACY.createObjectNode();
        note.put("author", "control");
        note.put("observedAt", "2026-05-10T14:07:12.345Z");
        note.put("scenarioTime", "2026-05-07T01:42:00Z");
        note.put("text", "in.pm asked for facts first");
        note.put("signature", Base64.getEncoder().encodeToString(bytes(13, 64)));
        // The relay's log (PROTOCOL.md §12.5): no former writer, the lines as the spec gives them.
        org.hotline.protocol.tlog.SignedCheckpoint relayCp = org.hotline.protocol.tlog.SignedCheckpoint.sign(
                new org.hotline.protocol.tlog.Checkpoint(org.hotline.protocol.tlog.Checkpoint.originOf(Messages.EXERCISE),
                        5, Hash32.of(bytes(13, 32))), IN);
        String relayCpB64 = Base64.getEncoder().encodeToString(relayCp.encode());
        ObjectNode inclusion = LEGACY.createObjectNode();
        inclusion.put("id", ACCEPTED.messageId().hex());
        inclusion.put("leafIndex", 3L);
        inclusion.put("treeSize", 5L);
        inclusion.putArray("proof").add(HEX.formatHex(bytes(14, 32))).add(HEX.formatHex(bytes(15, 32)));
        inclusion.put("checkpoint", relayCpB64);
        inclusion.put("receipt", Base64.getEncoder().encodeToString(ACCEPTED.encode()));
        ObjectNode relayCheckpoint = LEGACY.createObjectNode();
        relayCheckpoint.put("treeSize", 5L);
        relayCheckpoint.put("root", HEX.formatHex(bytes(13, 32)));
        relayCheckpoint.put("previousSize", 2L);
        relayCheckpoint.putArray("consistency").add(HEX.formatHex(bytes(16, 32)));
        relayCheckpoint.put("checkpoint", relayCpB64);
        List<Hash32> twoHashes = List.of(Hash32.of(bytes(14, 32)), Hash32.of(bytes(15, 32)));
        SignedMessage asking = MessageSigner.sign(IN, new MessageHeader(Messages.EXERCISE, MessageId.of(bytes(13, 16)),
                "in.pm", List.of("pk.pm"), "leaders", 4, Instant.parse("2026-05-10T14:00:00Z"), Hash32.ZERO, Hash32.ZERO,
                "2026.11-1", Optional.empty(), Optional.of(Instant.parse("2026-05-10T14:30:00Z"))), new Content.Text("Call?"));
        // No former writer: the line as PROTOCOL.md §11.3 specifies it, in field order.
        ObjectNode deadline = LEGACY.createObjectNode();
        deadline.put("id", asking.header().messageId().hex());
        deadline.put("from", "in.pm");
        deadline.put("channel", "leaders");
        deadline.put("answerBy", "2026-05-10T14:30:00Z");
        deadline.put("clock", "exercise");
        deadline.put("deadline", "2026-05-10T09:30:00Z");
        deadline.put("message", Base64.getEncoder().encodeToString(asking.encode()));
        Content.Reading reading = org.hotline.protocol.crypto.ReadingSigner.sign(PK, "pk.pm", SIGNAL,
                Instant.parse("2026-05-10T14:00:01Z"), Instant.parse("2026-05-10T14:00:40Z"),
                org.hotline.protocol.wire.ReadAs.UNCLEAR, "");
        // No former writer: the line as PROTOCOL.md §11.3 specifies it, in field order.
        ObjectNode readingLine = LEGACY.createObjectNode();
        readingLine.put("id", SIGNAL.header().messageId().hex());
        readingLine.put("from", "in.pm");
        readingLine.put("by", "pk.pm");
        readingLine.put("readAs", "unclear");
        readingLine.put("note", "");
        readingLine.put("readAt", "2026-05-10T14:00:40Z");
        readingLine.put("reading", Base64.getEncoder().encodeToString(Content.encode(reading)));
        return Stream.of(
                Arguments.of(new AuditEvent.RelayInclusion(ACCEPTED, 3, twoHashes, relayCp),
                        legacyLine("relay-inclusion", inclusion)),
                Arguments.of(new AuditEvent.RelayCheckpoint(relayCp, 2, List.of(Hash32.of(bytes(16, 32)))),
                        legacyLine("relay-checkpoint", relayCheckpoint)),
                Arguments.of(new AuditEvent.RelayFork(relayCp, 2, List.of(Hash32.of(bytes(16, 32)))),
                        legacyLine("relay-fork", relayCheckpoint)),
                Arguments.of(new AuditEvent.DeadlineMissed(asking, AuditEvent.DeadlineMissed.EXERCISE,
                        Instant.parse("2026-05-10T09:30:00Z")), legacyLine("deadline-missed", deadline)),
                Arguments.of(new AuditEvent.ReadingRecorded(reading), legacyLine("reading", readingLine)),
                Arguments.of(new AuditEvent.PeerCheckpoint(held, Optional.of(carrier)),
                        legacyLine("peer-checkpoint", peerCheckpoint)),
                Arguments.of(new AuditEvent.EvaluatorNote("control", Instant.parse("2026-05-10T14:07:12.345Z"),
                        Instant.parse("2026-05-07T01:42:00Z"), "in.pm asked for facts first", bytes(13, 64)),
                        legacyLine("evaluator-note", note)),
                Arguments.of(new AuditEvent.LogOpened("in.pm", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                        "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n", "AB:CD"),
                        legacyLine("log-opened", fields("owner", "in.pm", "certificate",
                                "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "caCertificate",
                                "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n", "caFingerprint", "AB:CD"))),
                Arguments.of(new AuditEvent.PeerCertificate("pk.pm", "PEM"),
                        legacyLine("peer-certificate", fields("role", "pk.pm", "certificate", "PEM"))),
                Arguments.of(new AuditEvent.MessageSent(SIGNAL, "rendered wording"),
                        legacyLine("message-sent", legacyMessage(SIGNAL, "rendered wording"))),
                Arguments.of(new AuditEvent.MessageReceived(TEXT, ((Content.Text) TEXT.content()).text(),
                        Instant.parse("2026-05-10T14:00:00.400Z")), legacyLine("message-received", received)),
                Arguments.of(new AuditEvent.MessageReceived(TEXT, ((Content.Text) TEXT.content()).text(),
                        Instant.parse("2026-05-10T14:00:00.400Z"), Optional.of("relay-pk")),
                        legacyLine("message-received", receivedVia)),
                Arguments.of(new AuditEvent.DuplicateCopy(TEXT.header().messageId(), "relay-in"),
                        legacyLine("duplicate", fields("id", TEXT.header().messageId().hex(), "via", "relay-in"))),
                Arguments.of(new AuditEvent.Equivocation(SIGNAL, "rendered wording",
                        "in.pm signed two messages with counter 3"), legacyLine("equivocation", equivocation)),
                Arguments.of(AuditEvent.ReceiptRecorded.byClient(DELIVERED), legacyLine("receipt", legacyReceipt(DELIVERED, false))),
                Arguments.of(AuditEvent.ReceiptRecorded.byRelay(ACKNOWLEDGED), legacyLine("receipt", legacyReceipt(ACKNOWLEDGED, true))),
                Arguments.of(new AuditEvent.Acknowledged(ACKNOWLEDGED), legacyLine("acknowledged", ack)),
                Arguments.of(new AuditEvent.RelayAccepted(ACCEPTED, "leaders",
                        List.of(new BoxMetadata("pk.pm", 1234, bytes(5, 32)))), legacyLine("relay-accepted", accepted)),
                Arguments.of(new AuditEvent.RelayDelivered(DELIVERED), legacyLine("relay-delivered", legacyReceipt(DELIVERED, true))),
                Arguments.of(new AuditEvent.DeliveredThrough(through), legacyLine("delivered-through", throughLine)),
                Arguments.of(new AuditEvent.LinkUp("connected to 127.0.0.1:7443"),
                        legacyLine("link-up", fields("text", "connected to 127.0.0.1:7443"))),
                Arguments.of(new AuditEvent.LinkDown("relay closed the connection"),
                        legacyLine("link-down", fields("text", "relay closed the connection"))),
                Arguments.of(new AuditEvent.LinkAlarm("no end-to-end link test answered for 120 s"),
                        legacyLine("link-alarm", fields("text", "no end-to-end link test answered for 120 s"))),
                Arguments.of(new AuditEvent.ErrorShown("message x rejected: \"bad\"\n"),
                        legacyLine("error-shown", fields("text", "message x rejected: \"bad\"\n"))),
                Arguments.of(new AuditEvent.WarningShown("calm wording"), legacyLine("warning-shown", fields("text", "calm wording"))),
                Arguments.of(new AuditEvent.LinkVerified(412), legacyLine("link-verified", fields("roundTripMillis", 412L))),
                Arguments.of(new AuditEvent.PrekeyRotated(123456, Instant.parse("2026-06-09T14:00:00Z"), 1),
                        legacyLine("prekey-rotated", rotated)),
                Arguments.of(new AuditEvent.GapDetected("pk.pm", "leaders", "[3, 4]"),
                        legacyLine("gap-detected", fields("from", "pk.pm", "channel", "leaders", "missingCounters", "[3, 4]"))),
                Arguments.of(new AuditEvent.Recovered(12, bytes(6, 32)), legacyLine("recovered", recovered)),
                Arguments.of(new AuditEvent.Checkpoint("in.pm", 7, bytes(7, 32), bytes(8, 64)), legacyLine("checkpoint", checkpoint)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEntryType")
    void everyEntryType_encodesToTheFormerWritersBytes_andReadsBack(AuditEvent event, byte[] legacy) throws Exception {
        byte[] line = AuditCodec.encode(7, T, PREV, event);
        assertThat(new String(line, StandardCharsets.UTF_8)).isEqualTo(new String(legacy, StandardCharsets.UTF_8));
        assertThat(line).isEqualTo(legacy);
        assertThat(AuditCodec.decode(line)).isEqualTo(new AuditEntry(7, T, PREV, event));
    }

    @Test
    void everyEntryType_isCovered() throws Exception {
        List<String> covered = everyEntryType().map(a -> ((AuditEvent) a.get()[0]).type()).distinct().toList();
        List<String> declared = new ArrayList<>();
        for (var f : AuditEntryType.class.getFields()) {
            declared.add((String) f.get(null));
        }
        assertThat(covered).containsExactlyInAnyOrderElementsOf(declared);
    }

    // ------------------------------------------------------------- strict reading

    @Test
    void viaAndDuplicate_nameARelay_andADuplicateAMessageId() {
        String via = new String(AuditCodec.encode(7, T, PREV, new AuditEvent.MessageReceived(TEXT,
                ((Content.Text) TEXT.content()).text(), Instant.parse("2026-05-10T14:00:00.400Z"),
                Optional.of("relay-pk"))), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> AuditCodec.decode(via.replace("\"via\":\"relay-pk\"", "\"via\":\"pk.pm\"")
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(AuditFormatException.class).hasMessageContaining("via");
        String dup = new String(AuditCodec.encode(7, T, PREV, new AuditEvent.DuplicateCopy(TEXT.header().messageId(),
                "relay-in")), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> AuditCodec.decode(dup.replace("\"via\":\"relay-in\"", "\"via\":\"in.pm\"")
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(AuditFormatException.class).hasMessageContaining("via");
        assertThatThrownBy(() -> AuditCodec.decode(dup.replace(TEXT.header().messageId().hex(), "abc")
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(AuditFormatException.class).hasMessageContaining("id");
        assertThatThrownBy(() -> AuditCodec.decode(dup.replace(TEXT.header().messageId().hex(),
                TEXT.header().messageId().hex().toUpperCase(java.util.Locale.ROOT)).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AuditFormatException.class).hasMessageContaining("canonical");
    }

    static String received() {
        return new String(AuditCodec.encode(7, T, PREV, new AuditEvent.MessageReceived(TEXT,
                ((Content.Text) TEXT.content()).text(), Instant.parse("2026-05-10T14:00:00.400Z"))), StandardCharsets.UTF_8);
    }

    static String signal() {
        return new String(AuditCodec.encode(7, T, PREV, new AuditEvent.MessageSent(SIGNAL, "w")), StandardCharsets.UTF_8);
    }

    static String receipt() {
        return new String(AuditCodec.encode(7, T, PREV, AuditEvent.ReceiptRecorded.byRelay(ACKNOWLEDGED)),
                StandardCharsets.UTF_8);
    }

    static String rotated() {
        return new String(AuditCodec.encode(7, T, PREV, new AuditEvent.PrekeyRotated(123456,
                Instant.parse("2026-06-09T14:00:00Z"), 1)), StandardCharsets.UTF_8);
    }

    static String relayAccepted() {
        return new String(AuditCodec.encode(7, T, PREV, new AuditEvent.RelayAccepted(ACCEPTED, "leaders",
                List.of(new BoxMetadata("pk.pm", 1234, bytes(5, 32))))), StandardCharsets.UTF_8);
    }

    static Arguments bad(String name, String field, String line) {
        return Arguments.of(name, field, line);
    }

    static String edit(String line, String from, String to) {
        assertThat(line).contains(from);
        return line.replace(from, to);
    }

    static Stream<Arguments> rejectedLines() {
        String r = received();
        String s = signal();
        String c = receipt();
        UnaryOperator<String> dup = l -> l.replace("\"kind\":", "\"from\":\"in.pm\",\"kind\":");
        return Stream.of(
                bad("not JSON", "", "{\"seq\":7,"),
                bad("two objects", "", r + "{}"),
                bad("duplicate key, same value", "", dup.apply(r)),
                bad("duplicate key, other value", "", r.replace("\"kind\":", "\"from\":\"us.potus\",\"kind\":")),
                bad("unknown type", "type", r.replace("\"message-received\"", "\"message-forwarded\"")),
                bad("extra field", "", r.replace("\"kind\":", "\"note\":\"x\",\"kind\":")),
                bad("missing field", "receivedAt", r.replaceFirst(",\"receivedAt\":\"[^\"]*\"", "")),
                bad("id", "id", edit(r, TEXT.header().messageId().hex() + "\",\"from", MessageId.of(bytes(11, 16)).hex() + "\",\"from")),
                bad("from", "from", edit(r, "\"from\":\"in.pm\"", "\"from\":\"pk.nsa\"")),
                bad("to", "to", edit(r, "\"to\":[\"pk.pm\"]", "\"to\":[\"pk.pm\",\"pk.nsa\"]")),
                bad("channel", "channel", edit(r, "\"channel\":\"leaders\"", "\"channel\":\"nsa\"")),
                bad("counter", "counter", edit(r, "\"counter\":3", "\"counter\":4")),
                bad("sentAt", "sentAt", edit(r, "\"sentAt\":\"2026-05-10T14:00:00Z\"", "\"sentAt\":\"2026-05-10T14:05:00Z\"")),
                bad("text", "text", r.replaceFirst("\"text\":\"(?:[^\"\\\\]|\\\\.)*\"",
                        "\"text\":\"We reject your proposal and will respond with force.\"")),
                bad("inReplyTo", "inReplyTo", r.replaceFirst("\"inReplyTo\":\"[0-9a-f]{32}\"",
                        "\"inReplyTo\":\"" + MessageId.of(bytes(12, 16)).hex() + "\"")),
                bad("kind", "kind", edit(r, "\"kind\":\"text\"", "\"kind\":\"signal\"")),
                bad("signal", "signal", edit(s, "\"signal\":\"posture.normal-readiness\"", "\"signal\":\"posture.alert\"")),
                bad("params", "params", edit(s, "\"asOf\":\"2026-05-10T14:00:00Z\"", "\"asOf\":\"2026-05-11T14:00:00Z\"")),
                bad("signal on a text message", "signal", r.replace("\"kind\":", "\"signal\":\"posture.alert\",\"kind\":")),
                bad("receipt state", "state", edit(c, "\"state\":\"acknowledged\"", "\"state\":\"delivered\"")),
                bad("receipt by", "by", edit(c, "\"by\":\"pk.pm\"", "\"by\":\"in.pm\"")),
                bad("embedded message unreadable", "message", r.replaceFirst("\"message\":\"[^\"]*\"", "\"message\":\"AAAA\"")),
                bad("non-canonical time", "time", r.replace(T.toString(), "2026-05-10T14:00:00.1230Z")),
                bad("time not UTC", "time", r.replace(T.toString(), "2026-05-10T16:00:00.123+02:00")),
                bad("seq negative", "seq", r.replace("\"seq\":7", "\"seq\":-1")),
                bad("prev uppercase", "prev", r.replace(HEX.formatHex(PREV), HEX.formatHex(PREV).toUpperCase())),
                bad("whitespace", "", r.replace("\"seq\":7", "\"seq\": 7")),
                // A count past int range is a malformed line, never an ArithmeticException (second-reader finding).
                bad("erased out of range", "erased", edit(rotated(), "\"erased\":1", "\"erased\":2147483648")),
                // The relay's channel must be the one its version-2 receipt signs.
                bad("relay-accepted channel", "channel", edit(relayAccepted(), "\"channel\":\"leaders\"",
                        "\"channel\":\"nsa\"")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedLines")
    void strictReader_rejects_namingTheField(String name, String field, String line) {
        assertThatThrownBy(() -> AuditCodec.decode(line.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AuditFormatException.class)
                .satisfies(e -> assertThat(((AuditFormatException) e).field()).as(e.getMessage()).isEqualTo(field))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("We reject your proposal"));
    }

    /** PROTOCOL.md §11.1's string rule, byte for byte. */
    @Test
    void strings_escapeOnlyQuoteBackslashControls_andAstralCharactersAsSurrogatePairs() {
        byte[] line = AuditCodec.encode(0, T, PREV, new AuditEvent.ErrorShown("\"\\/\u0001\u001b\b\t\n\f\r\u007f\u2028\u00e9\ud83d\ude00"));
        assertThat(new String(line, StandardCharsets.UTF_8)).endsWith(
                "\"text\":\"\\\"\\\\/\\u0001\\u001B\\b\\t\\n\\f\\r\u007f\u2028\u00e9\\uD83D\\uDE00\"}");
    }

    @Test
    void duplicateKey_isNamedInTheMessage() {
        String line = received().replace("\"kind\":", "\"from\":\"us.potus\",\"kind\":");
        assertThatThrownBy(() -> AuditCodec.decode(line.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("duplicate key").hasMessageContaining("from");
    }
}
