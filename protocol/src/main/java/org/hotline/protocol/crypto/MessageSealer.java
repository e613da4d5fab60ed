package org.hotline.protocol.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.crypto.internal.XWingHpke;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SealedBox;
import org.hotline.protocol.wire.SignedMessage;
import org.hotline.protocol.wire.WireWriter;

/**
 * Seals signed messages to each recipient and opens them (PROTOCOL.md §5).
 *
 * <p>Security guarantees: each box is HPKE base mode with X-Wing (X25519 + ML-KEM-768),
 * HKDF-SHA256 and ChaCha20-Poly1305, sealed to the recipient's verified prekey: confidential
 * against the relay and the network, also against a later quantum adversary as long as either
 * X25519 or ML-KEM-768 holds. The info binds the exercise, recipient and prekey id; the AAD binds
 * the relay-visible envelope fields (message id, sender, channel, recipient, prekey id), so a box
 * cannot be moved to another envelope or exercise. {@link #open} further checks that the decrypted
 * signed header names the same exercise, id, sender, channel and recipient. Every box is
 * independent: no state is shared between messages.
 */
public final class MessageSealer {

    static final byte[] INFO_LABEL = "hotline/v2 seal".getBytes(StandardCharsets.US_ASCII);
    static final byte[] AAD_LABEL = "hotline/v2 envelope".getBytes(StandardCharsets.US_ASCII);

    private MessageSealer() {
    }

    /** Builds the SEND frame: the signed message sealed once per recipient prekey. */
    public static Frame.Send seal(SignedMessage message, List<VerifiedPrekey> recipientPrekeys, SecureRandom random) {
        var h = message.header();
        if (recipientPrekeys.size() != h.recipients().size()) {
            throw new IllegalArgumentException("need exactly one prekey per recipient");
        }
        byte[] plaintext = message.encode();
        List<SealedBox> boxes = new ArrayList<>(recipientPrekeys.size());
        List<VerifiedPrekey> sorted = recipientPrekeys.stream()
                .sorted(java.util.Comparator.comparing(VerifiedPrekey::role)).toList();
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).role().equals(sorted.get(i - 1).role())) {
                throw new IllegalArgumentException("two prekeys for " + sorted.get(i).role());
            }
        }
        for (VerifiedPrekey pk : sorted) {
            if (!h.recipients().contains(pk.role())) {
                throw new IllegalArgumentException("prekey for " + pk.role() + " who is not a recipient");
            }
            if (!pk.exerciseId().equals(h.exerciseId())) {
                throw new IllegalArgumentException("prekey of " + pk.role() + " belongs to another exercise");
            }
            boxes.add(sealOne(plaintext, h.messageId(), h.sender(), h.channel(), pk, random));
        }
        return new Frame.Send(h.messageId(), h.sender(), h.channel(), boxes);
    }

    static SealedBox sealOne(byte[] plaintext, MessageId id, String sender, String channel, VerifiedPrekey prekey,
                             SecureRandom random) {
        byte[] randomness = new byte[XWingHpke.ENCAPSULATION_RANDOMNESS_BYTES];
        random.nextBytes(randomness);
        XWingHpke.Sealed sealed = XWingHpke.seal(prekey.publicKey(),
                info(prekey.exerciseId(), prekey.role(), prekey.id()),
                aad(id, sender, channel, prekey.role(), prekey.id()), plaintext, randomness);
        java.util.Arrays.fill(randomness, (byte) 0);
        return new SealedBox(prekey.role(), prekey.id(), sealed.encapsulation(), sealed.ciphertext());
    }

    /**
     * Opens the box in a DELIVER frame with the recipient's prekey and parses the signed message.
     * The signature is NOT checked here: call {@link MessageSigner#verify} with the sender's certified key.
     *
     * @throws CryptoException if the box does not decrypt, or the inner header disagrees with the envelope
     */
    public static SignedMessage open(Frame.Deliver deliver, PrekeyPair recipientPrekey) throws CryptoException {
        SealedBox box = deliver.box();
        if (box.prekeyId() != recipientPrekey.id()) {
            throw new CryptoException(CryptoException.Reason.UNKNOWN_PREKEY,
                    "message " + deliver.messageId().shortForm() + " is sealed to prekey " + box.prekeyId()
                            + ", not " + recipientPrekey.id());
        }
        if (recipientPrekey.isErased()) {
            throw new CryptoException(CryptoException.Reason.UNKNOWN_PREKEY,
                    "message " + deliver.messageId().shortForm() + " is sealed to prekey " + box.prekeyId()
                            + ", whose private key was erased after its retention window");
        }
        Optional<byte[]> opened;
        try {
            opened = XWingHpke.open(recipientPrekey.decapsulationKey(), box.encapsulation(),
                    info(recipientPrekey.signed().exerciseId(), box.recipient(), box.prekeyId()),
                    aad(deliver.messageId(), deliver.sender(), deliver.channel(), box.recipient(), box.prekeyId()),
                    box.ciphertext());
        } catch (IllegalStateException erasedMeanwhile) {
            throw new CryptoException(CryptoException.Reason.UNKNOWN_PREKEY,
                    "message " + deliver.messageId().shortForm() + " is sealed to prekey " + box.prekeyId()
                            + ", whose private key was erased after its retention window");
        } catch (IllegalArgumentException seedNotOfPublicKey) {
            // A stored seed that does not yield the published key opens nothing: a decryption failure,
            // without detail, as when the seed was expanded per message.
            opened = Optional.empty();
        }
        byte[] plaintext = opened.orElseThrow(() -> new CryptoException(CryptoException.Reason.DECRYPTION_FAILED,
                "message " + deliver.messageId().shortForm() + " from " + deliver.sender()
                        + " does not decrypt (altered in transit or wrong key)"));
        SignedMessage message;
        try {
            message = SignedMessage.decode(plaintext);
        } catch (FrameDecodeException e) {
            throw new CryptoException(CryptoException.Reason.MALFORMED,
                    "message " + deliver.messageId().shortForm() + " decrypts to a malformed message: " + e.getMessage());
        }
        var h = message.header();
        if (!h.messageId().equals(deliver.messageId()) || !h.sender().equals(deliver.sender())
                || !h.channel().equals(deliver.channel()) || !h.recipients().contains(box.recipient())) {
            throw new CryptoException(CryptoException.Reason.ENVELOPE_MISMATCH,
                    "message " + deliver.messageId().shortForm() + ": signed header does not match its envelope");
        }
        if (!h.exerciseId().equals(recipientPrekey.signed().exerciseId())) {
            throw new CryptoException(CryptoException.Reason.WRONG_EXERCISE, "message "
                    + deliver.messageId().shortForm() + " from " + deliver.sender() + " belongs to exercise " + h.exerciseId().shortForm()
                    + ", not to this exercise " + recipientPrekey.signed().exerciseId().shortForm());
        }
        return message;
    }

    static byte[] info(ExerciseId exercise, String recipient, int prekeyId) {
        WireWriter w = new WireWriter(96).fixed(INFO_LABEL).u8(0);
        exercise.write(w);
        return w.string(recipient).u32(prekeyId).toByteArray();
    }

    static byte[] aad(MessageId id, String sender, String channel, String recipient, int prekeyId) {
        WireWriter w = new WireWriter(96).fixed(AAD_LABEL).u8(0);
        id.write(w);
        return w.string(sender).string(channel).string(recipient).u32(prekeyId).toByteArray();
    }
}
