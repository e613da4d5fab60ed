package org.hotline.protocol.crypto;

import java.time.Instant;
import java.util.Optional;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.ProtocolVersion;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedMessage;

/**
 * Signs and verifies delivery receipts (context {@code hotline/v2 receipt}, PROTOCOL.md §6).
 *
 * <p>Security guarantees: a receipt that passes {@link #verify(Receipt, IdentityPublicKey, ReceiptSubject)}
 * was made by the holder of the asserter's identity key, in this exercise, about exactly the
 * message described: same id, sender and channel, and the same bytes (the message hash for
 * {@code delivered} and {@code acknowledged}; the {@code SEND} payload hash for {@code accepted};
 * for {@code rejected}, the hash of the very box sealed to the asserter, with the prekey id and the
 * {@code acceptedAt} of one relay that accepted it, {@link ReceiptSubject#copyOf}).
 * A receipt for an equivocated copy of a message, for a message of another exercise or on another
 * channel, or re-targeted from another message, is refused.
 */
public final class ReceiptSigner {

    private ReceiptSigner() {
    }

    /** The relay's {@code accepted} receipt for a {@code SEND} it has stored durably. */
    public static Receipt signAccepted(IdentityKeyPair relayKey, ExerciseId exercise, Frame.Send send, Instant at) {
        return signAccepted(relayKey, Receipt.RELAY, exercise, send, at);
    }

    /**
     * As {@link #signAccepted(IdentityKeyPair, ExerciseId, Frame.Send, Instant)}, by the relay named
     * {@code relayName} (its certificate's CN; one of several in a multi-relay exercise, PROTOCOL.md §13).
     */
    public static Receipt signAccepted(IdentityKeyPair relayKey, String relayName, ExerciseId exercise, Frame.Send send,
                                       Instant at) {
        if (!Receipt.isRelayName(relayName)) {
            throw new IllegalArgumentException("not a relay name: " + relayName);
        }
        return sign(relayKey, new Receipt.Fields(Receipt.Type.ACCEPTED, exercise, send.messageId(), relayName,
                send.sender(), send.channel(), at, Hashes.sendHash(send)));
    }

    /**
     * A recipient's {@code delivered} or {@code acknowledged} receipt for a message it holds: the
     * exercise, id, sender and channel come from the signed header, the subject from its message hash.
     */
    public static Receipt sign(IdentityKeyPair recipientKey, Receipt.Type type, SignedMessage message,
                               String asserter, Instant at) {
        if (type == Receipt.Type.ACCEPTED || type == Receipt.Type.REJECTED) {
            throw new IllegalArgumentException("accepted receipts are the relay's (signAccepted); rejected ones "
                    + "are about a box (signRejected)");
        }
        var h = message.header();
        return sign(recipientKey, new Receipt.Fields(type, h.exerciseId(), h.messageId(), asserter, h.sender(),
                h.channel(), at, Hashes.messageHash(message)));
    }

    /**
     * A recipient's {@code rejected} receipt for a box it will never open or accept: the exercise is
     * the recipient's own, id, sender and channel are those the relay delivered it under (the
     * sender checks them against what it sent), and the subject is the hash of this copy of the box:
     * prekey id, the relay's {@code acceptedAt} as delivered, encapsulation and ciphertext
     * ({@link Hashes#copyHash}), so the rejection is about exactly the copy in hand.
     */
    public static Receipt signRejected(IdentityKeyPair recipientKey, ExerciseId exercise, Frame.Deliver delivered,
                                       String asserter, Receipt.RejectReason reason, Instant at) {
        return sign(recipientKey, new Receipt.Fields(Receipt.Type.REJECTED, exercise, delivered.messageId(), asserter,
                delivered.sender(), delivered.channel(), at, Hashes.copyHash(delivered.box(), delivered.acceptedAt()), Optional.of(reason)));
    }

    /** Signs the given fields as they are. The two methods above derive them; tests build odd ones. */
    public static Receipt sign(IdentityKeyPair asserterKey, Receipt.Fields fields) {
        return Receipt.of(fields, asserterKey.sign(SignatureContext.RECEIPT, fields.toBeSigned()));
    }

    /**
     * The sender's check of a receipt for a message it sent, in this order: the signature
     * ({@code BAD_SIGNATURE}), the exercise ({@code WRONG_EXERCISE}), then message id, sender,
     * channel, asserter and subject hash against {@code sent} ({@code RECEIPT_MISMATCH}).
     */
    public static void verify(Receipt receipt, IdentityPublicKey asserterKey, ReceiptSubject sent)
            throws CryptoException {
        verify(receipt, asserterKey, sent.exerciseId());
        matches(receipt, sent);
    }

    /**
     * The sender's check of the unsigned {@code accepted} receipt of an {@code ACCEPTED_IN_LOG}
     * (PROTOCOL.md §12.3), to be called only <em>after</em> {@code RelayLogProofs.verifyInclusion}
     * proved that exactly these fields are a leaf under a relay-signed checkpoint: that proof stands
     * in for the signature. Then, as {@link #verify(Receipt, IdentityPublicKey, ReceiptSubject)}:
     * the exercise ({@code WRONG_EXERCISE}), then id, sender, channel, asserter and subject hash
     * ({@code RECEIPT_MISMATCH}).
     *
     * @throws CryptoException {@code MALFORMED} for a receipt that is not an unsigned
     *                         {@code accepted} one of the current version
     */
    public static void verifyProvenByLog(Receipt receipt, ReceiptSubject sent) throws CryptoException {
        if (receipt.version() != ProtocolVersion.CURRENT || receipt.type() != Receipt.Type.ACCEPTED
                || receipt.isSigned()) {
            throw new CryptoException(CryptoException.Reason.MALFORMED, describe(receipt)
                    + " is not an unsigned accepted receipt of a log proof");
        }
        exercise(receipt, sent.exerciseId());
        matches(receipt, sent);
    }

    private static void matches(Receipt receipt, ReceiptSubject sent) throws CryptoException {
        String what = describe(receipt);
        mismatchIf(!receipt.messageId().equals(sent.messageId()), what + " is about message "
                + receipt.messageId().shortForm() + ", not " + sent.messageId().shortForm());
        mismatchIf(!receipt.sender().equals(sent.sender()), what + " names sender " + receipt.sender()
                + ", but " + sent.sender() + " sent it");
        mismatchIf(!receipt.channel().equals(Optional.of(sent.channel())), what + " names channel "
                + receipt.channel().orElse("none") + ", but it was sent on " + sent.channel());
        if (receipt.type() == Receipt.Type.ACCEPTED) {
            mismatchIf(!Receipt.isRelayName(receipt.asserter()), what + " is asserted by " + receipt.asserter()
                    + ", but only the relay (or one named relay-…, PROTOCOL.md §13) accepts messages");
            mismatchIf(!receipt.subjectHash().equals(Optional.of(sent.sendHash())), what
                    + " commits to other SEND bytes than the ones sent (" + hashOf(receipt) + ")");
        } else if (receipt.type() == Receipt.Type.REJECTED) {
            mismatchIf(!sent.recipients().contains(receipt.asserter()), what + " is asserted by "
                    + receipt.asserter() + ", who is not a recipient of it");
            // One relay's copy: the box as sealed to the asserter, with the acceptedAt of a relay
            // whose accepted receipt we verified. An altered box or prekey id, or a time the relay
            // did not sign, matches no copy we know of.
            mismatchIf(receipt.subjectHash().flatMap(h -> sent.copyOf(receipt.asserter(), h)).isEmpty(), what
                    + " is about another box than the one sealed to " + receipt.asserter() + ", or a copy no relay"
                    + " that accepted it delivered (copy hash " + hashOf(receipt) + ")");
        } else {
            mismatchIf(!sent.recipients().contains(receipt.asserter()), what + " is asserted by "
                    + receipt.asserter() + ", who is not a recipient of it");
            mismatchIf(!receipt.subjectHash().equals(Optional.of(sent.messageHash())), what
                    + " is about another message than the one sent (message hash " + hashOf(receipt) + ", expected "
                    + sent.messageHash().hex().substring(0, 8) + ")");
        }
    }

    /**
     * The signature and the exercise only, for a party that does not hold the message the receipt
     * is about (the relay checking a recipient's receipt compares sender and channel with its
     * stored envelope itself, §6).
     *
     * @throws CryptoException {@code BAD_SIGNATURE}, or {@code WRONG_EXERCISE}
     */
    public static void verify(Receipt receipt, IdentityPublicKey asserterKey, ExerciseId exercise)
            throws CryptoException {
        if (receipt.version() != ProtocolVersion.CURRENT) {
            throw new CryptoException(CryptoException.Reason.MALFORMED, describe(receipt) + " is of version "
                    + receipt.version() + ", which is only read from old records");
        }
        verifySignature(receipt, asserterKey, SignatureContext.RECEIPT);
        exercise(receipt, exercise);
    }

    /**
     * The exercise only ({@code WRONG_EXERCISE}): for the unsigned {@code accepted} receipt of a
     * relay-log leaf, whose inclusion proof, not a signature, says the relay made it.
     */
    public static void exercise(Receipt receipt, ExerciseId exercise) throws CryptoException {
        if (!receipt.exerciseId().equals(exercise)) {
            throw new CryptoException(CryptoException.Reason.WRONG_EXERCISE, describe(receipt)
                    + " belongs to exercise " + receipt.exerciseId().shortForm() + ", not to this exercise "
                    + exercise.shortForm());
        }
    }

    /**
     * Verifies a receipt read from a record (an audit log, PROTOCOL.md §8.1): one of the current
     * version as {@link #verify(Receipt, IdentityPublicKey, ExerciseId)}; one of version 1, which
     * names no exercise, channel or hash, under the version-1 context {@code hotline/v1 receipt} only.
     */
    public static void verifyRecorded(Receipt receipt, IdentityPublicKey asserterKey, ExerciseId exercise)
            throws CryptoException {
        if (receipt.version() == ProtocolVersion.LEGACY_V1) {
            verifySignature(receipt, asserterKey, SignatureContext.LEGACY_V1_RECEIPT);
        } else {
            verify(receipt, asserterKey, exercise);
        }
    }

    private static void verifySignature(Receipt receipt, IdentityPublicKey key, SignatureContext context)
            throws CryptoException {
        if (!receipt.isSigned()) {
            // An unsigned accepted receipt is authenticated by the relay's log alone (PROTOCOL.md
            // §12.3); wherever a signature is what is checked, it is not one.
            throw new CryptoException(CryptoException.Reason.BAD_SIGNATURE, describe(receipt)
                    + " carries no signature (only a relay log proof can stand in for it)");
        }
        if (!key.verify(context, receipt.signature(), receipt.toBeSigned())) {
            throw new CryptoException(CryptoException.Reason.BAD_SIGNATURE, "bad signature on " + describe(receipt));
        }
    }

    private static void mismatchIf(boolean mismatch, String message) throws CryptoException {
        if (mismatch) {
            throw new CryptoException(CryptoException.Reason.RECEIPT_MISMATCH, message);
        }
    }

    private static String hashOf(Receipt receipt) {
        return receipt.subjectHash().map(Hash32::hex).map(h -> h.substring(0, 8)).orElse("none");
    }

    private static String describe(Receipt receipt) {
        return receipt.type().name().toLowerCase() + " receipt for message " + receipt.messageId().shortForm()
                + " from " + receipt.asserter();
    }
}
