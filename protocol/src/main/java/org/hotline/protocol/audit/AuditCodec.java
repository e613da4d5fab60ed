package org.hotline.protocol.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.tlog.CheckpointException;
import org.hotline.protocol.tlog.SignedCheckpoint;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.LogConsistencySignature;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedMessage;
import org.hotline.protocol.wire.WireLimits;

/**
 * The one encoding of audit entries (PROTOCOL.md §11): {@link AuditEvent} ↔ line bytes. Writers,
 * the verifier and every reader go through it.
 *
 * <p>Reading is strict: exactly one JSON object, no duplicate key, a known {@code type}, every field
 * present with its type, and every displayed field equal to what the embedded signed message or
 * receipt says. Finally the entry is re-encoded and must reproduce the line byte for byte, so a line
 * has one encoding and no field the codec does not know can hide in it. Reading does NOT verify
 * signatures or certificates; {@link AuditVerifier} does.
 */
public final class AuditCodec {

    /**
     * The canonical form of PROTOCOL.md §11.1. Every write feature that shapes the bytes is set
     * explicitly, so a change of library default cannot change the format (and break old logs).
     */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
            .disable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .disable(JsonWriteFeature.WRITE_NUMBERS_AS_STRINGS)
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
    private static final HexFormat HEX = HexFormat.of();

    private AuditCodec() {
    }

    /** The line (without its terminating newline) for {@code event} written as entry {@code seq}. */
    public static byte[] encode(long seq, Instant time, byte[] prev, AuditEvent event) {
        ObjectNode e = JSON.createObjectNode();
        e.put("seq", seq);
        e.put("time", time.toString());
        e.put("type", event.type());
        e.put("prev", HEX.formatHex(prev));
        fields(e, event);
        try {
            return JSON.writeValueAsBytes(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", ex);
        }
    }

    public static byte[] encode(AuditEntry entry) {
        return encode(entry.seq(), entry.time(), entry.prev(), entry.event());
    }

    /**
     * Reads one line strictly.
     *
     * @throws AuditFormatException if the line is not exactly the encoding of a known entry, or a
     *                              displayed field disagrees with the signed bytes it embeds
     */
    public static AuditEntry decode(byte[] line) throws AuditFormatException {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (IOException ex) {
            String why = ex.getMessage() == null ? "" : ex.getMessage().lines().findFirst().orElse("");
            throw new AuditFormatException("", why.startsWith("Duplicate field")
                    ? "duplicate key " + why.substring("Duplicate field ".length()) : "not one JSON object (" + why + ")");
        }
        if (n == null || !n.isObject()) {
            throw new AuditFormatException("", "not one JSON object");
        }
        AuditFields f = new AuditFields(n);
        long seq = f.natural("seq");
        Instant time = f.instant("time");
        String type = f.text("type");
        byte[] prev = f.hex32("prev");
        AuditEvent event = event(type, f);
        AuditEntry entry = new AuditEntry(seq, time, prev, event);
        if (!Arrays.equals(encode(entry), line)) {
            throw new AuditFormatException("", "not in its canonical encoding (a field was added, removed, reordered "
                    + "or re-encoded)");
        }
        return entry;
    }

    // ------------------------------------------------------------------ writing

    private static void fields(ObjectNode p, AuditEvent event) {
        if (event instanceof AuditEvent.LogOpened o) {
            p.put("owner", o.owner());
            p.put("certificate", o.certificate());
            p.put("caCertificate", o.caCertificate());
            p.put("caFingerprint", o.caFingerprint());
        } else if (event instanceof AuditEvent.PeerCertificate c) {
            p.put("role", c.role());
            p.put("certificate", c.certificate());
        } else if (event instanceof AuditEvent.MessageEntry m) {
            message(p, m);
        } else if (event instanceof AuditEvent.ReceiptRecorded r) {
            p.put("id", r.receipt().messageId().hex());
            if (r.namesAsserter()) {
                p.put("by", r.receipt().asserter());
            }
            p.put("state", state(r.receipt()));
            r.receipt().reason().ifPresent(why -> p.put("reason", why.label()));
            p.put("receipt", base64(r.receipt().encode()));
        } else if (event instanceof AuditEvent.Acknowledged a) {
            p.put("id", a.receipt().messageId().hex());
            p.put("receipt", base64(a.receipt().encode()));
        } else if (event instanceof AuditEvent.RelayAccepted a) {
            p.put("id", a.receipt().messageId().hex());
            p.put("from", a.receipt().sender());
            p.put("channel", a.channel());
            ArrayNode to = p.putArray("to");
            ArrayNode sizes = p.putArray("sizes");
            ArrayNode hashes = p.putArray("ciphertextSha256");
            for (BoxMetadata b : a.boxes()) {
                to.add(b.recipient());
                sizes.add(b.size());
                hashes.add(HEX.formatHex(b.ciphertextSha256()));
            }
            p.put("receipt", base64(a.receipt().encode()));
        } else if (event instanceof AuditEvent.RelayDelivered d) {
            p.put("id", d.receipt().messageId().hex());
            p.put("by", d.receipt().asserter());
            p.put("state", state(d.receipt()));
            p.put("receipt", base64(d.receipt().encode()));
        } else if (event instanceof AuditEvent.DeliveredThrough d) {
            p.put("from", d.receipt().sender());
            p.put("channel", d.receipt().channel());
            p.put("by", d.receipt().asserter());
            p.put("throughCounter", d.receipt().throughCounter());
            p.put("receipt", base64(d.receipt().encode()));
        } else if (event instanceof AuditEvent.DuplicateCopy d) {
            p.put("id", d.id().hex());
            p.put("via", d.via());
        } else if (event instanceof AuditEvent.Note t) {
            p.put("text", t.text());
        } else if (event instanceof AuditEvent.LinkVerified v) {
            p.put("roundTripMillis", v.roundTripMillis());
        } else if (event instanceof AuditEvent.PrekeyRotated r) {
            p.put("newPrekeyId", r.newPrekeyId());
            p.put("expiresAt", r.expiresAt().toString());
            p.put("erased", r.erased());
        } else if (event instanceof AuditEvent.GapDetected g) {
            p.put("from", g.from());
            p.put("channel", g.channel());
            p.put("missingCounters", g.missingCounters());
        } else if (event instanceof AuditEvent.Recovered r) {
            p.put("tornLine", r.tornLine());
            p.put("tornBytesSha256", HEX.formatHex(r.tornBytesSha256()));
        } else if (event instanceof AuditEvent.Checkpoint c) {
            p.put("signer", c.signer());
            p.put("treeSize", c.treeSize());
            p.put("root", HEX.formatHex(c.root()));
            p.put("signature", base64(c.signature()));
        } else if (event instanceof AuditEvent.PeerCheckpoint c) {
            p.put("owner", c.checkpoint().owner());
            p.put("treeSize", c.checkpoint().treeSize());
            p.put("root", c.checkpoint().root().hex());
            c.carriedBy().ifPresent(id -> p.put("id", id.hex()));
            p.put("checkpoint", base64(Content.encode(c.checkpoint())));
        } else if (event instanceof AuditEvent.EvaluatorNote n) {
            p.put("author", n.author());
            p.put("observedAt", n.observedAt().toString());
            p.put("scenarioTime", n.scenarioTime().toString());
            p.put("text", n.text());
            p.put("signature", base64(n.signature()));
        } else if (event instanceof AuditEvent.RelayInclusion in) {
            p.put("id", in.receipt().messageId().hex());
            p.put("leafIndex", in.leafIndex());
            p.put("treeSize", in.checkpoint().treeSize());
            ArrayNode proof = p.putArray("proof");
            in.proof().forEach(h -> proof.add(h.hex()));
            p.put("checkpoint", base64(in.checkpoint().encode()));
            p.put("receipt", base64(in.receipt().encode()));
        } else if (event instanceof AuditEvent.RelayCheckpoint c) {
            relayCheckpoint(p, c.checkpoint(), c.previousSize(), c.consistency());
        } else if (event instanceof AuditEvent.RelayFork c) {
            relayCheckpoint(p, c.checkpoint(), c.previousSize(), c.consistency());
            // The relay's signed answer, when it gave one (PROTOCOL.md §11.3, §12.5).
            c.signed().ifPresent(sig -> {
                p.put("oldRoot", sig.oldRoot().hex());
                p.put("newRoot", sig.newRoot().hex());
                p.put("consistencySignature", base64(sig.signature()));
            });
        } else if (event instanceof AuditEvent.DeadlineMissed d) {
            MessageHeader h = d.message().header();
            p.put("id", h.messageId().hex());
            p.put("from", h.sender());
            p.put("channel", h.channel());
            p.put("answerBy", d.answerBy().toString());
            p.put("clock", d.clock());
            p.put("deadline", d.deadline().toString());
            p.put("message", base64(d.message().encode()));
        } else if (event instanceof AuditEvent.ReadingRecorded r) {
            var rf = r.reading().fields();
            p.put("id", rf.messageId().hex());
            p.put("from", rf.sender());
            p.put("by", rf.reader());
            p.put("readAs", rf.readAs().label());
            p.put("note", rf.note());
            p.put("readAt", rf.readAt().toString());
            p.put("reading", base64(Content.encode(r.reading())));
        } else {
            throw new IllegalStateException("unhandled audit event " + event.type());
        }
    }

    private static void relayCheckpoint(ObjectNode p, SignedCheckpoint cp, long previousSize, List<Hash32> consistency) {
        p.put("treeSize", cp.treeSize());
        p.put("root", cp.checkpoint().root().hex());
        p.put("previousSize", previousSize);
        ArrayNode proof = p.putArray("consistency");
        consistency.forEach(h -> proof.add(h.hex()));
        p.put("checkpoint", base64(cp.encode()));
    }

    private static void message(ObjectNode p, AuditEvent.MessageEntry m) {
        MessageHeader h = m.header();
        p.put("id", h.messageId().hex());
        p.put("from", h.sender());
        ArrayNode to = p.putArray("to");
        h.recipients().forEach(to::add);
        p.put("channel", h.channel());
        p.put("counter", h.counter());
        p.put("sentAt", h.sentAt().toString());
        if (m.content() instanceof Content.Signal s) {
            p.put("signal", s.signalId());
            ObjectNode params = p.putObject("params");
            s.params().forEach(params::put);
        }
        p.put("kind", m.kind());
        p.put("text", m.loggedText());
        h.inReplyTo().ifPresent(id -> p.put("inReplyTo", id.hex()));
        p.put("message", base64(m.message().encode()));
        if (m instanceof AuditEvent.MessageReceived r) {
            p.put("receivedAt", r.receivedAt().toString());
            r.via().ifPresent(via -> p.put("via", via));
        } else if (m instanceof AuditEvent.Equivocation q) {
            p.put("explanation", q.explanation());
        }
    }

    private static String state(Receipt r) {
        return r.type().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    // ------------------------------------------------------------------ reading

    private static AuditEvent event(String type, AuditFields f) throws AuditFormatException {
        return switch (type) {
            case AuditEntryType.LOG_OPENED -> new AuditEvent.LogOpened(f.text("owner"), f.text("certificate"),
                    f.text("caCertificate"), f.text("caFingerprint"));
            case AuditEntryType.PEER_CERTIFICATE -> new AuditEvent.PeerCertificate(f.text("role"), f.text("certificate"));
            case AuditEntryType.MESSAGE_SENT -> new AuditEvent.MessageSent(message(f), f.text("text"));
            case AuditEntryType.MESSAGE_RECEIVED -> new AuditEvent.MessageReceived(message(f), f.text("text"),
                    f.instant("receivedAt"), f.has("via") ? Optional.of(relayName(f, "via")) : Optional.empty());
            case AuditEntryType.DUPLICATE -> new AuditEvent.DuplicateCopy(messageId(f, "id"), relayName(f, "via"));
            case AuditEntryType.EQUIVOCATION -> new AuditEvent.Equivocation(message(f), f.text("text"),
                    f.text("explanation"));
            case AuditEntryType.RECEIPT -> {
                Receipt r = receipt(f);
                boolean by = f.has("by");
                if (by) {
                    f.same("by", r.asserter(), f.text("by"));
                }
                f.same("state", state(r), f.text("state"));
                if (r.reason().isPresent()) {
                    f.same("reason", r.reason().get().label(), f.text("reason"));
                }
                yield new AuditEvent.ReceiptRecorded(r, by);
            }
            case AuditEntryType.ACKNOWLEDGED -> {
                Receipt r = receipt(f);
                if (r.type() != Receipt.Type.ACKNOWLEDGED) {
                    throw new AuditFormatException("receipt", "an acknowledged entry embeds a " + state(r) + " receipt");
                }
                yield new AuditEvent.Acknowledged(r);
            }
            case AuditEntryType.RELAY_ACCEPTED -> relayAccepted(f);
            case AuditEntryType.RELAY_DELIVERED -> {
                Receipt r = receipt(f);
                f.same("by", r.asserter(), f.text("by"));
                f.same("state", state(r), f.text("state"));
                yield new AuditEvent.RelayDelivered(r);
            }
            case AuditEntryType.DELIVERED_THROUGH -> {
                CumulativeReceipt r;
                try {
                    r = CumulativeReceipt.decode(f.base64("receipt"));
                } catch (FrameDecodeException | IllegalArgumentException ex) {
                    throw new AuditFormatException("receipt", "embedded cumulative receipt is unreadable: "
                            + ex.getMessage());
                }
                f.same("from", r.sender(), f.text("from"));
                f.same("channel", r.channel(), f.text("channel"));
                f.same("by", r.asserter(), f.text("by"));
                f.same("throughCounter", r.throughCounter(), f.natural("throughCounter"));
                yield new AuditEvent.DeliveredThrough(r);
            }
            case AuditEntryType.LINK_UP -> new AuditEvent.LinkUp(f.text("text"));
            case AuditEntryType.LINK_DOWN -> new AuditEvent.LinkDown(f.text("text"));
            case AuditEntryType.LINK_ALARM -> new AuditEvent.LinkAlarm(f.text("text"));
            case AuditEntryType.ERROR_SHOWN -> new AuditEvent.ErrorShown(f.text("text"));
            case AuditEntryType.WARNING_SHOWN -> new AuditEvent.WarningShown(f.text("text"));
            case AuditEntryType.LINK_VERIFIED -> new AuditEvent.LinkVerified(f.natural("roundTripMillis"));
            case AuditEntryType.PREKEY_ROTATED -> new AuditEvent.PrekeyRotated(f.natural("newPrekeyId"),
                    f.instant("expiresAt"), count(f, "erased"));
            case AuditEntryType.GAP -> new AuditEvent.GapDetected(f.text("from"), f.text("channel"),
                    f.text("missingCounters"));
            case AuditEntryType.RECOVERED -> new AuditEvent.Recovered(f.natural("tornLine"), f.hex32("tornBytesSha256"));
            case AuditEntryType.CHECKPOINT -> {
                String signer = f.text("signer");
                long treeSize = f.natural("treeSize");
                byte[] root = f.hex32("root");
                yield new AuditEvent.Checkpoint(signer, treeSize, root, f.base64("signature"));
            }
            case AuditEntryType.PEER_CHECKPOINT -> peerCheckpoint(f);
            case AuditEntryType.EVALUATOR_NOTE -> evaluatorNote(f);
            case AuditEntryType.RELAY_INCLUSION -> {
                Receipt r = receipt(f);
                f.same("id", r.messageId().hex(), f.text("id"));
                long leafIndex = f.natural("leafIndex");
                SignedCheckpoint cp = relayCheckpoint(f);
                f.same("treeSize", cp.treeSize(), f.natural("treeSize"));
                yield new AuditEvent.RelayInclusion(r, leafIndex, hashes(f, "proof"), cp);
            }
            case AuditEntryType.RELAY_CHECKPOINT, AuditEntryType.RELAY_FORK -> {
                SignedCheckpoint cp = relayCheckpoint(f);
                f.same("treeSize", cp.treeSize(), f.natural("treeSize"));
                f.same("root", cp.checkpoint().root().hex(), f.text("root"));
                long previousSize = f.natural("previousSize");
                List<Hash32> consistency = hashes(f, "consistency");
                yield type.equals(AuditEntryType.RELAY_FORK)
                        ? new AuditEvent.RelayFork(cp, previousSize, consistency, relayForkSignature(f))
                        : new AuditEvent.RelayCheckpoint(cp, previousSize, consistency);
            }
            case AuditEntryType.DEADLINE_MISSED -> deadlineMissed(f);
            case AuditEntryType.READING -> reading(f);
            default -> throw new AuditFormatException("type", "unknown entry type \"" + type + "\" (PROTOCOL.md §11.3 "
                    + "lists every type of log format 1)");
        };
    }

    /**
     * Decodes the embedded signed message and requires every displayed copy to equal it. A log may
     * hold messages of version 1, written by a version-1 build (PROTOCOL.md §8.1).
     */
    private static SignedMessage message(AuditFields f) throws AuditFormatException {
        SignedMessage m;
        try {
            m = SignedMessage.decodeRecorded(f.base64("message"));
        } catch (FrameDecodeException | IllegalArgumentException ex) {
            throw new AuditFormatException("message", "embedded signed message is unreadable: " + ex.getMessage());
        }
        MessageHeader h = m.header();
        f.same("id", h.messageId().hex(), f.text("id"));
        f.same("from", h.sender(), f.text("from"));
        f.same("to", h.recipients(), f.texts("to"));
        f.same("channel", h.channel(), f.text("channel"));
        f.same("counter", h.counter(), f.natural("counter"));
        f.same("sentAt", h.sentAt(), f.instant("sentAt"));
        if (m.content() instanceof Content.Signal s) {
            f.same("signal", s.signalId(), f.text("signal"));
            f.same("params", s.params(), f.params("params"));
        } else {
            f.absent("signal");
            f.absent("params");
        }
        f.same("kind", DisplayText.kind(m.content()), f.text("kind"));
        if (!(m.content() instanceof Content.Signal)) {
            // Free text and link tests render without the catalog: the wording is the signed content.
            f.same("text", DisplayText.render(m.content(), null, List.of()), f.text("text"));
        }
        if (h.inReplyTo().isPresent()) {
            f.same("inReplyTo", h.inReplyTo().get().hex(), f.text("inReplyTo"));
        } else {
            f.absent("inReplyTo");
        }
        return m;
    }

    /** A relay's name (PROTOCOL.md §13: {@code relay} or {@code relay-…}). */
    private static String relayName(AuditFields f, String name) throws AuditFormatException {
        String v = f.text(name);
        if (!Receipt.isRelayName(v)) {
            throw new AuditFormatException(name, "field \"" + name + "\" is not a relay's name");
        }
        return v;
    }

    /** A message id: 32 lowercase hex digits. */
    private static MessageId messageId(AuditFields f, String name) throws AuditFormatException {
        String v = f.text(name);
        try {
            return MessageId.parse(v);
        } catch (IllegalArgumentException ex) {
            throw new AuditFormatException(name, "field \"" + name + "\" is not a message id");
        }
    }

    /** The relay's signed consistency answer of a relay-fork entry: all three fields or none. */
    private static Optional<LogConsistencySignature> relayForkSignature(AuditFields f) throws AuditFormatException {
        if (!f.has("consistencySignature") && !f.has("oldRoot") && !f.has("newRoot")) {
            return Optional.empty();
        }
        byte[] sig = f.base64("consistencySignature");
        if (sig.length != LogConsistencySignature.SIGNATURE_BYTES) {
            throw new AuditFormatException("consistencySignature", "not a 64-byte signature");
        }
        return Optional.of(new LogConsistencySignature(Hash32.of(f.hex32("oldRoot")), Hash32.of(f.hex32("newRoot")),
                sig));
    }

    /** The embedded relay log checkpoint (PROTOCOL.md §12.2), parsed strictly; its signature is the verifier's job. */
    private static SignedCheckpoint relayCheckpoint(AuditFields f) throws AuditFormatException {
        try {
            return SignedCheckpoint.parse(f.base64("checkpoint"));
        } catch (CheckpointException ex) {
            throw new AuditFormatException("checkpoint", "embedded relay checkpoint is unreadable: " + ex.getMessage());
        }
    }

    /** An array of 32-byte lowercase hex hashes, at most {@link WireLimits#MAX_PROOF_HASHES}. */
    private static List<Hash32> hashes(AuditFields f, String name) throws AuditFormatException {
        List<String> texts = f.texts(name);
        if (texts.size() > WireLimits.MAX_PROOF_HASHES) {
            throw new AuditFormatException(name, "more than " + WireLimits.MAX_PROOF_HASHES + " hashes");
        }
        List<Hash32> out = new java.util.ArrayList<>();
        for (String t : texts) {
            out.add(Hash32.of(AuditFields.hex32(name, t)));
        }
        return out;
    }

    /** Decodes the embedded checkpoint and requires the displayed owner, size and root to equal it. */
    private static AuditEvent peerCheckpoint(AuditFields f) throws AuditFormatException {
        Content c;
        try {
            c = Content.decode(f.base64("checkpoint"));
        } catch (FrameDecodeException | IllegalArgumentException ex) {
            throw new AuditFormatException("checkpoint", "embedded checkpoint is unreadable: " + ex.getMessage());
        }
        if (!(c instanceof Content.LogCheckpoint cp)) {
            throw new AuditFormatException("checkpoint", "embedded content is not a log checkpoint");
        }
        f.same("owner", cp.owner(), f.text("owner"));
        f.same("treeSize", cp.treeSize(), f.natural("treeSize"));
        f.same("root", cp.root().hex(), f.text("root"));
        Optional<MessageId> id = Optional.empty();
        if (f.has("id")) {
            try {
                id = Optional.of(MessageId.parse(f.text("id")));
            } catch (IllegalArgumentException ex) {
                throw new AuditFormatException("id", "field \"id\" is not a message id");
            }
        }
        return new AuditEvent.PeerCheckpoint(cp, id);
    }

    /** An evaluator's note: every field present; the signature is checked by the verifier, not here. */
    private static AuditEvent evaluatorNote(AuditFields f) throws AuditFormatException {
        String author = f.text("author");
        Instant observedAt = f.instant("observedAt");
        Instant scenarioTime = f.instant("scenarioTime");
        String text = f.text("text");
        byte[] signature = f.base64("signature");
        if (signature.length != 64) {
            throw new AuditFormatException("signature", "an evaluator note's signature is 64 bytes");
        }
        try {
            return new AuditEvent.EvaluatorNote(author, observedAt, scenarioTime, text, signature);
        } catch (IllegalArgumentException ex) {
            throw new AuditFormatException("text", ex.getMessage());
        }
    }

    /** Decodes the embedded message that asked for an answer and binds id, sender, channel and answer-by to it. */
    private static AuditEvent deadlineMissed(AuditFields f) throws AuditFormatException {
        SignedMessage m;
        try {
            m = SignedMessage.decodeRecorded(f.base64("message"));
        } catch (FrameDecodeException | IllegalArgumentException ex) {
            throw new AuditFormatException("message", "embedded signed message is unreadable: " + ex.getMessage());
        }
        MessageHeader h = m.header();
        f.same("id", h.messageId().hex(), f.text("id"));
        f.same("from", h.sender(), f.text("from"));
        f.same("channel", h.channel(), f.text("channel"));
        if (h.answerBy().isEmpty()) {
            throw new AuditFormatException("answerBy", "the embedded message asks for no answer by any time");
        }
        f.same("answerBy", h.answerBy().get(), f.instant("answerBy"));
        String clock = f.text("clock");
        if (!clock.equals(AuditEvent.DeadlineMissed.WALL) && !clock.equals(AuditEvent.DeadlineMissed.EXERCISE)) {
            throw new AuditFormatException("clock", "field \"clock\" is neither wall nor exercise");
        }
        return new AuditEvent.DeadlineMissed(m, clock, f.instant("deadline"));
    }

    /** Decodes the embedded reading and requires every displayed copy to equal it. */
    private static AuditEvent reading(AuditFields f) throws AuditFormatException {
        Content c;
        try {
            c = Content.decode(f.base64("reading"));
        } catch (FrameDecodeException | IllegalArgumentException ex) {
            throw new AuditFormatException("reading", "embedded reading is unreadable: " + ex.getMessage());
        }
        if (!(c instanceof Content.Reading r)) {
            throw new AuditFormatException("reading", "embedded content is not a reading");
        }
        var rf = r.fields();
        f.same("id", rf.messageId().hex(), f.text("id"));
        f.same("from", rf.sender(), f.text("from"));
        f.same("by", rf.reader(), f.text("by"));
        f.same("readAs", rf.readAs().label(), f.text("readAs"));
        f.same("note", rf.note(), f.text("note"));
        f.same("readAt", rf.readAt(), f.instant("readAt"));
        return new AuditEvent.ReadingRecorded(r);
    }

    private static Receipt receipt(AuditFields f) throws AuditFormatException {
        Receipt r;
        try {
            // A log may hold receipts of version 1, written by a version-1 build (PROTOCOL.md §8.1).
            r = Receipt.decodeRecorded(f.base64("receipt"));
        } catch (FrameDecodeException | IllegalArgumentException ex) {
            throw new AuditFormatException("receipt", "embedded signed receipt is unreadable: " + ex.getMessage());
        }
        f.same("id", r.messageId().hex(), f.text("id"));
        return r;
    }

    private static AuditEvent relayAccepted(AuditFields f) throws AuditFormatException {
        Receipt r = receipt(f);
        if (r.type() != Receipt.Type.ACCEPTED) {
            throw new AuditFormatException("receipt", "a relay-accepted entry embeds a " + state(r) + " receipt");
        }
        f.same("from", r.sender(), f.text("from"));
        String channel = f.text("channel");
        if (r.channel().isPresent()) {
            // Version 2 receipts sign the channel; a version-1 one leaves only the relay's word.
            f.same("channel", r.channel().get(), channel);
        }
        List<String> to = f.texts("to");
        JsonNode sizes = f.array("sizes");
        JsonNode hashes = f.array("ciphertextSha256");
        if (sizes.size() != to.size() || hashes.size() != to.size()) {
            throw new AuditFormatException("sizes", "to[], sizes[] and ciphertextSha256[] differ in length");
        }
        List<BoxMetadata> boxes = new ArrayList<>();
        for (int i = 0; i < to.size(); i++) {
            JsonNode size = sizes.get(i);
            JsonNode hash = hashes.get(i);
            if (!size.isIntegralNumber() || !size.canConvertToInt() || size.intValue() < 0) {
                throw new AuditFormatException("sizes", "sizes[" + i + "] is not a byte count");
            }
            if (!hash.isTextual()) {
                throw new AuditFormatException("ciphertextSha256", "ciphertextSha256[" + i + "] is not hex");
            }
            boxes.add(new BoxMetadata(to.get(i), size.intValue(), AuditFields.hex32("ciphertextSha256", hash.textValue())));
        }
        return new AuditEvent.RelayAccepted(r, channel, boxes);
    }

    /** A non-negative count that fits an int (a larger one is a malformed line, not an overflow). */
    private static int count(AuditFields f, String name) throws AuditFormatException {
        long n = f.natural(name);
        if (n > Integer.MAX_VALUE) {
            throw new AuditFormatException(name, name + " is out of range");
        }
        return (int) n;
    }
}
