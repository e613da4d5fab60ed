package org.hotline.protocol.crypto;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hotline.protocol.sequence.ChannelSequence;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SignedMessage;

/**
 * Signs and verifies cumulative {@code delivered-through} receipts (context
 * {@code hotline/v2 cumulative receipt}, PROTOCOL.md §6.1).
 *
 * <p>Security guarantees: a receipt that passes {@link #verify(CumulativeReceipt, IdentityPublicKey,
 * ExerciseId, Map)} was made by the holder of the asserter's identity key, in this exercise, and
 * names, for each counter it covers, exactly the message the sender sent with that counter, and
 * as its chain head the message hash of the sender's own last covered message. Because each
 * message's {@code previousSent} is the hash of the one before (§4.5), and the recipient declares
 * through N only when it holds 1 to N with every link intact, that one hash commits the recipient
 * to the sender's exact messages 1 to N: a receipt for an equivocated copy of any of them does
 * not match. {@link #verify(CumulativeReceipt, IdentityPublicKey, ExerciseId)} is the relay's
 * check (signature and exercise only: it cannot see counters or hashes).
 */
public final class CumulativeReceiptSigner {

    private CumulativeReceiptSigner() {
    }

    /** Signs the given fields as they are. */
    public static CumulativeReceipt sign(IdentityKeyPair recipientKey, CumulativeReceipt.Fields fields) {
        return CumulativeReceipt.of(fields, recipientKey.sign(SignatureContext.CUMULATIVE_RECEIPT,
                fields.toBeSigned()));
    }

    /**
     * A recipient's receipt over the messages it holds from {@code sender} on {@code channel},
     * numbered {@code run.get(0).counter()} upwards without a gap, each following the one before
     * ({@link ChannelSequence#linkedRun}).
     *
     * @param run the held messages, in counter order, 1 to {@code MAX_CUMULATIVE_IDS} of them
     */
    public static CumulativeReceipt sign(IdentityKeyPair recipientKey, ExerciseId exercise, String asserter,
                                         String sender, String channel, List<ChannelSequence.Held> run, Instant at) {
        ChannelSequence.Held last = run.get(run.size() - 1);
        return sign(recipientKey, new CumulativeReceipt.Fields(exercise, asserter, sender, channel,
                run.get(0).counter(), last.counter(), last.hash(), at,
                run.stream().map(ChannelSequence.Held::id).toList()));
    }

    /**
     * The signature and the exercise only (the relay's check, §6.1: it then compares the listed
     * ids with the boxes it delivered to the asserter).
     *
     * @throws CryptoException {@code BAD_SIGNATURE}, or {@code WRONG_EXERCISE}
     */
    public static void verify(CumulativeReceipt receipt, IdentityPublicKey asserterKey, ExerciseId exercise)
            throws CryptoException {
        if (!asserterKey.verify(SignatureContext.CUMULATIVE_RECEIPT, receipt.signature(), receipt.toBeSigned())) {
            throw new CryptoException(CryptoException.Reason.BAD_SIGNATURE, "bad signature on " + describe(receipt));
        }
        if (!receipt.exerciseId().equals(exercise)) {
            throw new CryptoException(CryptoException.Reason.WRONG_EXERCISE, describe(receipt)
                    + " belongs to exercise " + receipt.exerciseId().shortForm() + ", not to this exercise "
                    + exercise.shortForm());
        }
    }

    /**
     * The sender's check, in this order: the signature ({@code BAD_SIGNATURE}), the exercise
     * ({@code WRONG_EXERCISE}), then for each covered counter that {@code sent} holds the listed id
     * as a message of the receipt's sender, on its channel, with that counter, addressed to the
     * asserter, and that the chain head is the message hash of the last ({@code RECEIPT_MISMATCH}).
     *
     * @param sent the sender's own signed messages by id; a listed id missing from it is a mismatch
     */
    public static void verify(CumulativeReceipt receipt, IdentityPublicKey asserterKey, ExerciseId exercise,
                              Map<MessageId, SignedMessage> sent) throws CryptoException {
        verify(receipt, asserterKey, exercise);
        String what = describe(receipt);
        List<MessageId> ids = receipt.coveredIds();
        for (int i = 0; i < ids.size(); i++) {
            long counter = receipt.fromCounter() + i;
            SignedMessage m = sent.get(ids.get(i));
            mismatchIf(m == null, what + " lists message " + ids.get(i).shortForm() + " as number " + counter
                    + ", which " + receipt.sender() + " did not send");
            MessageHeader h = m.header();
            mismatchIf(!h.sender().equals(receipt.sender()) || !h.channel().equals(receipt.channel()), what
                    + " lists message " + h.messageId().shortForm() + ", which " + h.sender() + " sent on "
                    + h.channel());
            mismatchIf(h.counter() != counter, what + " lists message " + h.messageId().shortForm() + " as number "
                    + counter + ", but it is number " + h.counter());
            mismatchIf(!h.recipients().contains(receipt.asserter()), what + " is asserted by " + receipt.asserter()
                    + ", who is not a recipient of message " + h.messageId().shortForm());
        }
        Hash32 head = Hashes.messageHash(sent.get(receipt.headId()));
        mismatchIf(!head.equals(receipt.chainHead()), what + " ends at another message than the one sent as number "
                + receipt.throughCounter() + " (chain head " + receipt.chainHead().hex().substring(0, 8)
                + ", expected " + head.hex().substring(0, 8) + ")");
    }

    private static void mismatchIf(boolean mismatch, String message) throws CryptoException {
        if (mismatch) {
            throw new CryptoException(CryptoException.Reason.RECEIPT_MISMATCH, message);
        }
    }

    private static String describe(CumulativeReceipt r) {
        return "delivered-through receipt for " + r.sender() + "'s messages " + r.fromCounter() + " to "
                + r.throughCounter() + " on " + r.channel() + " from " + r.asserter();
    }
}
