package org.hotline.protocol.audit;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hotline.protocol.tlog.SignedCheckpoint;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.LogConsistencySignature;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedMessage;

/**
 * One audit-log entry's own content (PROTOCOL.md §11.3): a closed set, one record per entry type.
 * {@link AuditCodec} is the only place that turns these into lines and back.
 *
 * <p>Entries that embed a signed message or receipt hold the decoded signed object, and every
 * displayed field (sender, recipients, channel, counter, times, signal, parameters, receipt state
 * and asserter) is derived from it: the line's copies of those fields are checked against the
 * signed bytes when the line is read, and readers have no other copy to use. The only displayed
 * field that is not a plain copy is a message's rendered wording; see {@link MessageEntry#loggedText()}.
 */
public sealed interface AuditEvent {

    /** The value of the line's {@code type} field. */
    String type();

    /** Line 1: the owner, its identity certificate and the CA certificate (all PEM). */
    record LogOpened(String owner, String certificate, String caCertificate, String caFingerprint)
            implements AuditEvent {
        public LogOpened {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(caCertificate, "caCertificate");
            Objects.requireNonNull(caFingerprint, "caFingerprint");
        }

        @Override
        public String type() {
            return AuditEntryType.LOG_OPENED;
        }
    }

    /** A peer's identity certificate (PEM), logged before the first entry that needs it. */
    record PeerCertificate(String role, String certificate) implements AuditEvent {
        public PeerCertificate {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(certificate, "certificate");
        }

        @Override
        public String type() {
            return AuditEntryType.PEER_CERTIFICATE;
        }
    }

    /** An entry that embeds a whole signed message; its displayed fields come from that message. */
    sealed interface MessageEntry extends AuditEvent {
        SignedMessage message();

        /**
         * The wording as the owner rendered it when writing the line. For free text and link tests it
         * equals the signed content (checked on reading). For a signal it is the catalog's rendering
         * with the exercise's parties, which only a verifier given the exercise can re-render and
         * compare; readers display {@link DisplayText#render} of {@link #message()} instead.
         */
        String loggedText();

        default MessageHeader header() {
            return message().header();
        }

        default Content content() {
            return message().content();
        }

        /** {@code signal}, {@code text}, {@code link-test} or {@code link-test-reply}. */
        default String kind() {
            return DisplayText.kind(message().content());
        }

        default Optional<String> signalId() {
            return message().content() instanceof Content.Signal s ? Optional.of(s.signalId()) : Optional.empty();
        }
    }

    record MessageSent(SignedMessage message, String loggedText) implements MessageEntry {
        public MessageSent {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(loggedText, "loggedText");
        }

        @Override
        public String type() {
            return AuditEntryType.MESSAGE_SENT;
        }
    }

    /**
     * A verified message stored by the owner at {@code receivedAt}. {@code via} names the relay whose
     * copy was stored first, in an exercise with several relays (PROTOCOL.md §13); with one relay it
     * is empty and the line has no {@code via} field, so single-relay logs keep their bytes.
     */
    record MessageReceived(SignedMessage message, String loggedText, Instant receivedAt, Optional<String> via)
            implements MessageEntry {
        public MessageReceived {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(loggedText, "loggedText");
            Objects.requireNonNull(receivedAt, "receivedAt");
            Objects.requireNonNull(via, "via");
        }

        /** As written with a single relay: no {@code via}. */
        public MessageReceived(SignedMessage message, String loggedText, Instant receivedAt) {
            this(message, loggedText, receivedAt, Optional.empty());
        }

        @Override
        public String type() {
            return AuditEntryType.MESSAGE_RECEIVED;
        }
    }

    /** A verified message that contradicts an earlier one from the same sender (not shown as a message). */
    record Equivocation(SignedMessage message, String loggedText, String explanation) implements MessageEntry {
        public Equivocation {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(loggedText, "loggedText");
            Objects.requireNonNull(explanation, "explanation");
        }

        @Override
        public String type() {
            return AuditEntryType.EQUIVOCATION;
        }
    }

    /**
     * A later copy of a message the owner had already stored, delivered by another relay than every
     * copy recorded before ({@code duplicate} entry, PROTOCOL.md §11.3, §13 rule 5): verified to be
     * the stored message and never shown again. The line's {@code time} is when the owner verified it.
     * At most one per message and relay, and never for the relay that delivered the first copy (the
     * {@code via} of its {@code message-received} entry), so a relay that redelivers forever adds
     * nothing after its first copy.
     */
    record DuplicateCopy(MessageId id, String via) implements AuditEvent {
        public DuplicateCopy {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(via, "via");
        }

        @Override
        public String type() {
            return AuditEntryType.DUPLICATE;
        }
    }

    /** An entry that embeds a signed receipt; its id, state and asserter come from that receipt. */
    sealed interface ReceiptEntry extends AuditEvent {
        Receipt receipt();
    }

    /**
     * A signed receipt received ({@code receipt} entry). A client's line names only the state; the
     * relay's line also names the asserter ({@code by}).
     */
    record ReceiptRecorded(Receipt receipt, boolean namesAsserter) implements ReceiptEntry {
        public ReceiptRecorded {
            Objects.requireNonNull(receipt, "receipt");
        }

        /** As a client logs it: {@code id}, {@code state}, {@code receipt}. */
        public static ReceiptRecorded byClient(Receipt receipt) {
            return new ReceiptRecorded(receipt, false);
        }

        /** As the relay logs it: {@code id}, {@code by}, {@code state}, {@code receipt}. */
        public static ReceiptRecorded byRelay(Receipt receipt) {
            return new ReceiptRecorded(receipt, true);
        }

        @Override
        public String type() {
            return AuditEntryType.RECEIPT;
        }
    }

    /** The owner acknowledged a received message; its own signed {@code acknowledged} receipt. */
    record Acknowledged(Receipt receipt) implements ReceiptEntry {
        public Acknowledged {
            Objects.requireNonNull(receipt, "receipt");
            if (receipt.type() != Receipt.Type.ACKNOWLEDGED) {
                throw new IllegalArgumentException("an acknowledged entry holds an acknowledged receipt");
            }
        }

        @Override
        public String type() {
            return AuditEntryType.ACKNOWLEDGED;
        }
    }

    /**
     * The relay stored a message: route and sizes, never content. The id and sender are the ones its
     * signed {@code accepted} receipt names; the channel and boxes are the relay's own metadata.
     */
    record RelayAccepted(Receipt receipt, String channel, List<BoxMetadata> boxes) implements ReceiptEntry {
        public RelayAccepted {
            Objects.requireNonNull(receipt, "receipt");
            Objects.requireNonNull(channel, "channel");
            boxes = List.copyOf(boxes);
            if (receipt.type() != Receipt.Type.ACCEPTED) {
                throw new IllegalArgumentException("a relay-accepted entry holds an accepted receipt");
            }
        }

        @Override
        public String type() {
            return AuditEntryType.RELAY_ACCEPTED;
        }
    }

    /** A recipient's signed {@code delivered} receipt, stored by the relay. */
    record RelayDelivered(Receipt receipt) implements ReceiptEntry {
        public RelayDelivered {
            Objects.requireNonNull(receipt, "receipt");
        }

        @Override
        public String type() {
            return AuditEntryType.RELAY_DELIVERED;
        }
    }

    /**
     * A recipient's signed cumulative receipt ({@code delivered-through} entry, PROTOCOL.md §6.1,
     * §11.3): in the sender's log when it settled the listed messages, in the relay's when it
     * marked their boxes delivered and stored it for the sender.
     */
    record DeliveredThrough(CumulativeReceipt receipt) implements AuditEvent {
        public DeliveredThrough {
            Objects.requireNonNull(receipt, "receipt");
        }

        @Override
        public String type() {
            return AuditEntryType.DELIVERED_THROUGH;
        }
    }

    /** A free-text note the owner saw or caused: link up/down/alarm, an error or a warning shown. */
    sealed interface Note extends AuditEvent {
        String text();
    }

    record LinkUp(String text) implements Note {
        public LinkUp {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String type() {
            return AuditEntryType.LINK_UP;
        }
    }

    record LinkDown(String text) implements Note {
        public LinkDown {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String type() {
            return AuditEntryType.LINK_DOWN;
        }
    }

    record LinkAlarm(String text) implements Note {
        public LinkAlarm {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String type() {
            return AuditEntryType.LINK_ALARM;
        }
    }

    record ErrorShown(String text) implements Note {
        public ErrorShown {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String type() {
            return AuditEntryType.ERROR_SHOWN;
        }
    }

    record WarningShown(String text) implements Note {
        public WarningShown {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String type() {
            return AuditEntryType.WARNING_SHOWN;
        }
    }

    /** An end-to-end link test was answered after {@code roundTripMillis}. */
    record LinkVerified(long roundTripMillis) implements AuditEvent {
        @Override
        public String type() {
            return AuditEntryType.LINK_VERIFIED;
        }
    }

    record PrekeyRotated(long newPrekeyId, Instant expiresAt, int erased) implements AuditEvent {
        public PrekeyRotated {
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        @Override
        public String type() {
            return AuditEntryType.PREKEY_ROTATED;
        }
    }

    /**
     * Counters of {@code from} on {@code channel} that never arrived. {@code missingCounters} is the
     * list as written, e.g. {@code "[3, 4]"}.
     */
    record GapDetected(String from, String channel, String missingCounters) implements AuditEvent {
        public GapDetected {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(missingCounters, "missingCounters");
        }

        @Override
        public String type() {
            return AuditEntryType.GAP;
        }
    }

    /** Line {@code tornLine} (1-based) was torn by a crash; SHA-256 of its bytes as found. */
    record Recovered(long tornLine, byte[] tornBytesSha256) implements AuditEvent {
        public Recovered {
            if (tornBytesSha256.length != 32) {
                throw new IllegalArgumentException("tornBytesSha256 is 32 bytes");
            }
            tornBytesSha256 = tornBytesSha256.clone();
        }

        @Override
        public byte[] tornBytesSha256() {
            return tornBytesSha256.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Recovered r && r.tornLine == tornLine && Arrays.equals(r.tornBytesSha256, tornBytesSha256);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(tornLine) * 31 + Arrays.hashCode(tornBytesSha256);
        }

        @Override
        public String type() {
            return AuditEntryType.RECOVERED;
        }
    }

    /** A signed checkpoint (PROTOCOL.md §11.2); written only by {@link AuditLog} itself. */
    record Checkpoint(String signer, long treeSize, byte[] root, byte[] signature) implements AuditEvent {
        public Checkpoint {
            Objects.requireNonNull(signer, "signer");
            if (root.length != 32) {
                throw new IllegalArgumentException("root is 32 bytes");
            }
            root = root.clone();
            signature = signature.clone();
        }

        @Override
        public byte[] root() {
            return root.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Checkpoint c && c.signer.equals(signer) && c.treeSize == treeSize
                    && Arrays.equals(c.root, root) && Arrays.equals(c.signature, signature);
        }

        @Override
        public int hashCode() {
            return Objects.hash(signer, treeSize, Arrays.hashCode(root), Arrays.hashCode(signature));
        }

        @Override
        public String type() {
            return AuditEntryType.CHECKPOINT;
        }
    }

    /**
     * Another party's signed checkpoint of its own audit log, verified and kept by this log's owner
     * (PROTOCOL.md §11.3): proof of how far that party's log went, against which its log can later be
     * cross-checked (§11.4). {@code carriedBy} is the message that brought it, when a message did.
     */
    record PeerCheckpoint(Content.LogCheckpoint checkpoint, Optional<MessageId> carriedBy) implements AuditEvent {
        public PeerCheckpoint {
            Objects.requireNonNull(checkpoint, "checkpoint");
            Objects.requireNonNull(carriedBy, "carriedBy");
        }

        @Override
        public String type() {
            return AuditEntryType.PEER_CHECKPOINT;
        }
    }

    /**
     * The relay's place for one of the owner's accepted messages (PROTOCOL.md §12.3, §12.5): the
     * relay's {@code accepted} receipt (unsigned, as {@code ACCEPTED_IN_LOG} carries it; signed in
     * entries written before that change), its leaf index, the inclusion proof and the signed
     * checkpoint it leads to, as the relay sent them. For an unsigned receipt this entry is the
     * sender's one record of the acceptance.
     */
    record RelayInclusion(Receipt receipt, long leafIndex, List<Hash32> proof, SignedCheckpoint checkpoint)
            implements AuditEvent {
        public RelayInclusion {
            Objects.requireNonNull(receipt, "receipt");
            Objects.requireNonNull(checkpoint, "checkpoint");
            proof = List.copyOf(proof);
        }

        @Override
        public String type() {
            return AuditEntryType.RELAY_INCLUSION;
        }
    }

    /**
     * A relay log checkpoint the owner verified and found consistent with the previous one it
     * recorded (PROTOCOL.md §12.4, §12.5): {@code previousSize} is that one's tree size (0 for the
     * first), {@code consistency} the RFC 9162 proof between them.
     */
    record RelayCheckpoint(SignedCheckpoint checkpoint, long previousSize, List<Hash32> consistency)
            implements AuditEvent {
        public RelayCheckpoint {
            Objects.requireNonNull(checkpoint, "checkpoint");
            consistency = List.copyOf(consistency);
        }

        @Override
        public String type() {
            return AuditEntryType.RELAY_CHECKPOINT;
        }
    }

    /**
     * A relay checkpoint that the owner found inconsistent with its recorded checkpoint of
     * {@code previousSize} (PROTOCOL.md §12.4, §12.5), with the proof the relay gave (possibly
     * empty): the evidence behind "relay log forked: checkpoint N is not consistent with M". With
     * {@code signed}, the relay signed that answer (its roots at both sizes and the proof): then the
     * entry is the relay's own contradiction, offline proof of the fork (§12.5).
     */
    record RelayFork(SignedCheckpoint checkpoint, long previousSize, List<Hash32> consistency,
                     Optional<LogConsistencySignature> signed) implements AuditEvent {
        public RelayFork {
            Objects.requireNonNull(checkpoint, "checkpoint");
            consistency = List.copyOf(consistency);
            Objects.requireNonNull(signed, "signed");
        }

        /** The client's account of a failed proof the relay did not sign. */
        public RelayFork(SignedCheckpoint checkpoint, long previousSize, List<Hash32> consistency) {
            this(checkpoint, previousSize, consistency, Optional.empty());
        }

        @Override
        public String type() {
            return AuditEntryType.RELAY_FORK;
        }
    }

    /**
     * An evaluator's observation, typed by exercise control's facilitator and signed by the log's
     * owner (PROTOCOL.md §11.3): when it was written ({@code observedAt}, the owner's clock), the
     * scenario time then, and the words. The signature makes the note attributable on its own, beside
     * the checkpoints that cover it; {@link AuditLog#evaluatorNote} is the only writer.
     */
    record EvaluatorNote(String author, Instant observedAt, Instant scenarioTime, String text, byte[] signature)
            implements AuditEvent {
        /** The longest note, in bytes of UTF-8 (as an inject's text). */
        public static final int MAX_TEXT_BYTES = 16_384;

        public EvaluatorNote {
            Objects.requireNonNull(author, "author");
            Objects.requireNonNull(observedAt, "observedAt");
            Objects.requireNonNull(scenarioTime, "scenarioTime");
            Objects.requireNonNull(text, "text");
            if (text.isBlank()) {
                throw new IllegalArgumentException("an evaluator note needs words");
            }
            if (!wellFormed(text)) {
                // A lone surrogate is signed as '?' by getBytes(UTF_8): the words shown would not be the words signed.
                throw new IllegalArgumentException("an evaluator note's text is not well-formed Unicode (a lone surrogate)");
            }
            if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
                throw new IllegalArgumentException("an evaluator note is at most " + MAX_TEXT_BYTES + " bytes of UTF-8");
            }
            if (signature.length != 64) {
                throw new IllegalArgumentException("signature is 64 bytes");
            }
            signature = signature.clone();
        }

        /** Whether every surrogate in {@code s} is half of a pair (so UTF-8 encodes it exactly). */
        static boolean wellFormed(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        /**
         * The bytes the signature covers after the context prefix {@code "hotline/v1 evaluator-note" 0x00}:
         * {@code string(author) || string(observedAt) || string(scenarioTime) || longString(text)}, the
         * times exactly as the line writes them (PROTOCOL.md §11.3).
         */
        public byte[] signedBytes() {
            return signedBytes(author, observedAt, scenarioTime, text);
        }

        public static byte[] signedBytes(String author, Instant observedAt, Instant scenarioTime, String text) {
            return new org.hotline.protocol.wire.WireWriter(128 + text.length() * 3).string(author)
                    .string(observedAt.toString()).string(scenarioTime.toString()).longString(text).toByteArray();
        }

        /** Whether the signature verifies under {@code key} (the author's identity key). */
        public boolean verifies(org.hotline.protocol.crypto.IdentityPublicKey key) {
            return key.verify(org.hotline.protocol.crypto.SignatureContext.EVALUATOR_NOTE, signature, signedBytes());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EvaluatorNote n && n.author.equals(author) && n.observedAt.equals(observedAt)
                    && n.scenarioTime.equals(scenarioTime) && n.text.equals(text) && Arrays.equals(n.signature, signature);
        }

        @Override
        public int hashCode() {
            return Objects.hash(author, observedAt, scenarioTime, text, Arrays.hashCode(signature));
        }

        @Override
        public String toString() {
            return "EvaluatorNote[" + author + ", " + observedAt + ", " + scenarioTime + "]";
        }

        @Override
        public String type() {
            return AuditEntryType.EVALUATOR_NOTE;
        }
    }

    /**
     * The answer-by time of {@code message} passed and the owner had seen no reply to it
     * (PROTOCOL.md §11.3 {@code deadline-missed}): a message naming it in {@code inReplyTo} from one of
     * its recipients. The owner is its sender or one of its recipients; each side writes its own entry.
     *
     * @param clock    {@link #WALL} when the deadline was the signed {@code answerBy} itself, or
     *                 {@link #EXERCISE} when it followed the exercise clock (PROTOCOL.md §4.2)
     * @param deadline the deadline on that clock: {@code answerBy} for {@code wall}; for {@code exercise},
     *                 the scenario time at {@code sentAt} plus {@code answerBy − sentAt}
     */
    record DeadlineMissed(SignedMessage message, String clock, Instant deadline) implements AuditEvent {
        public static final String WALL = "wall";
        public static final String EXERCISE = "exercise";

        public DeadlineMissed {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(deadline, "deadline");
            if (message.header().answerBy().isEmpty()) {
                throw new IllegalArgumentException("a deadline-missed entry holds a message that asked for an answer");
            }
            if (!clock.equals(WALL) && !clock.equals(EXERCISE)) {
                throw new IllegalArgumentException("clock is wall or exercise");
            }
        }

        public MessageId id() {
            return message.header().messageId();
        }

        public Instant answerBy() {
            return message.header().answerBy().orElseThrow();
        }

        @Override
        public String type() {
            return AuditEntryType.DEADLINE_MISSED;
        }
    }

    /**
     * How a recipient read a message, signed by the reader (PROTOCOL.md §4.2 Reading, §11.3): the
     * owner's own reading, or, in exercise control's log, one a reader sent it. Every displayed field
     * of the line is a copy of the signed reading.
     */
    record ReadingRecorded(Content.Reading reading) implements AuditEvent {
        public ReadingRecorded {
            Objects.requireNonNull(reading, "reading");
        }

        @Override
        public String type() {
            return AuditEntryType.READING;
        }
    }
}
