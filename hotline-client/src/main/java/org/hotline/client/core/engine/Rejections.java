package org.hotline.client.core.engine;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.hotline.client.core.net.Connection;
import org.hotline.client.core.store.InboxStore;
import org.hotline.client.core.store.StoreException;
import org.hotline.protocol.crypto.CryptoException;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.Receipt.RejectReason;
import org.hotline.protocol.wire.SealedBox;
import org.hotline.protocol.wire.WireWriter;

/**
 * The recipient's answer to a delivered message it will never open or accept (PROTOCOL.md §6): a
 * signed {@code rejected} receipt with the reason, kept in the inbox store, logged and shown once,
 * and sent in a {@code DELIVERY_ACK} so that the relay stops delivering it and tells the sender.
 * A rejection is about one <em>copy</em> (PROTOCOL.md §6, §13): a redelivery of the same copy is
 * answered with the same receipt and nothing else, while another relay's different copy of the same
 * id is opened and judged on its own, so one relay's altered copy cannot get the genuine one refused.
 * Failures that may pass (the sender's certificate file missing or unreadable, a certificate not
 * yet valid by our clock) are not rejections: the message stays at the relay and is tried again.
 * Engine thread only.
 */
final class Rejections {

    /** A message that can never be accepted, and why; thrown by the inbox's checks. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient RejectReason reason;

        Refused(RejectReason reason, String why) {
            super(why, null, false, false);
            this.reason = reason;
        }

        RejectReason reason() {
            return reason;
        }
    }

    /**
     * A message that cannot be judged yet (PROTOCOL.md §4.4: signed with a replaced key the loaded
     * CRL does not list yet): not accepted, not rejected; the relay delivers it again later.
     */
    static final class NotYetJudgeable extends Exception {
        private static final long serialVersionUID = 1L;

        NotYetJudgeable(String why) {
            super(why, null, false, false);
        }
    }

    private final String role;
    private final RoleCredential credential;
    private final InboxStore store;
    private final Connection connection;
    private final ClientAudit audit;
    private final Clock clock;

    Rejections(String role, RoleCredential credential, InboxStore store, Connection connection, ClientAudit audit,
               Clock clock) {
        this.role = role;
        this.credential = credential;
        this.store = store;
        this.connection = connection;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * If this copy of {@code d} was rejected before, answers again with the same receipt (nothing
     * shown or logged) and returns true. Another copy of the same id returns false and is judged
     * again: only the relay that delivered the rejected copy gets its rejection.
     */
    boolean answeredBefore(Frame.Deliver d) throws StoreException {
        Optional<Receipt> earlier = store.rejection(d.messageId(), copyOf(d));
        earlier.ifPresent(r -> connection.send(new Frame.DeliveryAck(r)));
        return earlier.isPresent();
    }

    /**
     * What identifies one relay's copy of a message: a digest of every DELIVER field the inbox's
     * verdict depends on (id, sender, channel, acceptedAt, and the whole box with its prekey id).
     * The box enters through its length-delimited copy hash (PROTOCOL.md §6 field 9), never through
     * the bare concatenation, so a box with bytes shifted between encapsulation and ciphertext is
     * another copy and is not answered with the genuine copy's stored rejection (review R2).
     */
    static Hash32 copyOf(Frame.Deliver d) {
        SealedBox b = d.box();
        byte[] fields = new WireWriter(64).fixed(d.messageId().bytes()).string(d.sender()).string(d.channel())
                .u64(d.acceptedAt().toEpochMilli()).string(b.recipient()).u64(Integer.toUnsignedLong(b.prekeyId())).toByteArray();
        return Hash32.of(Hashes.sha256(fields, Hashes.copyHash(b, d.acceptedAt()).bytes()));
    }

    /**
     * Copies of one message id whose rejection is kept, at most (review F3): every relay's copy and
     * a redelivery or two; beyond it a copy is still answered with a signed rejection, not stored,
     * so a relay varying {@code acceptedAt} cannot grow the store without bound. The first copy of a
     * reason not yet kept is stored all the same (review N3), so one more per reason at most.
     */
    static final int MAX_REJECTED_COPIES = 8;

    /**
     * Whether this signed message's equivocation evidence is yet to be logged (review R4: once per
     * sender, channel, counter and message hash, not once per id: the entry is only reached after a
     * successful open and signature check, so a relay's junk copy of the id cannot pre-empt it).
     */
    boolean equivocationEvidencePending(MessageHeader h, Hash32 messageHash) throws StoreException {
        return !store.equivocationLogged(h.sender(), h.channel(), h.counter(), messageHash);
    }

    /**
     * Records the evidence as logged, once its audit entry is written (review N5): a write that
     * fails leaves it pending, so the next copy writes it; a crash between the two writes it twice,
     * which is harmless.
     */
    void equivocationEvidenceLogged(MessageHeader h, Hash32 messageHash) throws StoreException {
        store.markEquivocationLogged(h.sender(), h.channel(), h.counter(), messageHash);
    }

    /** The permanent reason for a failed open or check, or empty if it may pass on a later delivery. */
    static Optional<RejectReason> reasonFor(Exception e) {
        if (e instanceof Refused r) {
            return Optional.of(r.reason());
        }
        if (e instanceof NotYetJudgeable) {
            return Optional.empty();
        }
        if (e instanceof CryptoException c) {
            return Optional.of(switch (c.reason()) {
                case UNKNOWN_PREKEY -> RejectReason.UNKNOWN_PREKEY;
                case DECRYPTION_FAILED -> RejectReason.DECRYPTION_FAILED;
                case ENVELOPE_MISMATCH -> RejectReason.ENVELOPE_MISMATCH;
                case BAD_SIGNATURE -> RejectReason.BAD_SIGNATURE;
                case WRONG_EXERCISE -> RejectReason.WRONG_EXERCISE;
                default -> RejectReason.MALFORMED;
            });
        }
        if (e instanceof PkiException p) {
            return switch (p.reason()) {
                case MISSING_FILE, IO, NOT_YET_VALID -> Optional.empty();
                default -> Optional.of(RejectReason.UNTRUSTED_SENDER);
            };
        }
        return Optional.of(RejectReason.MALFORMED);
    }

    /**
     * Rejects {@code d} for {@code reason}: signs, stores, logs and shows once, then tells the relay.
     * The store comes first: a receipt the relay holds but we forgot would be made again, with
     * another time, on the next delivery.
     */
    void reject(Frame.Deliver d, RejectReason reason, String why) throws StoreException {
        Instant now = clock.instant();
        Receipt r = ReceiptSigner.signRejected(credential.identity(), credential.exerciseId(), d, role, reason, now);
        java.util.List<RejectReason> earlier = store.rejectionReasons(d.messageId());
        // The first copy of each reason is kept even beyond the cap (review N3): the reasons kept
        // are what stops a reason being logged and shown again, so at most 8 + one per reason rows.
        if (!earlier.contains(reason) || store.rejectedCopyCount(d.messageId()) < MAX_REJECTED_COPIES) {
            store.addRejection(r, copyOf(d), now);
        }
        if (earlier.contains(reason)) {
            // Another copy of a message already rejected and shown for this reason (another relay's,
            // or one with another acceptedAt): answered, not shown or logged again (review F3). A new
            // reason is logged: an earlier junk copy must not hide the real one (review R4).
            connection.send(new Frame.DeliveryAck(r));
            return;
        }
        audit.problem("message " + d.messageId().shortForm() + " from " + d.sender() + " rejected ("
                + reason.label() + "): " + why + "; the sender is told, it is not delivered again");
        try {
            audit.ownRejection(r);
        } catch (IOException e) {
            audit.problem("audit log: could not record the rejection of " + d.messageId().shortForm() + ": "
                    + e.getMessage());
        }
        connection.send(new Frame.DeliveryAck(r));
    }
}
