package org.hotline.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.sequence.ChannelSequence;
import org.hotline.protocol.testing.Messages;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.CumulativeReceipt;
import org.hotline.protocol.wire.FrameDecodeException;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Cumulative {@code delivered-through} receipts (PROTOCOL.md §6.1): what a recipient signs, what the relay and the sender accept. */
@Timeout(60)
class CumulativeReceiptTest {

    private static final Instant T = Instant.parse("2026-05-10T14:00:00Z");
    private final SecureRandom random = new SecureRandom();
    private final IdentityKeyPair sender = IdentityKeyPair.generate(random);
    private final IdentityKeyPair recipient = IdentityKeyPair.generate(random);

    private List<SignedMessage> chain(int n) {
        List<SignedMessage> out = new ArrayList<>();
        Hash32 previous = Hash32.ZERO;
        for (int i = 1; i <= n; i++) {
            MessageHeader h = new MessageHeader(Messages.EXERCISE, MessageId.random(random), "in.pm",
                    List.of("pk.pm"), "leaders", i, T, previous, Hash32.ZERO, "v", Optional.empty(), Optional.empty());
            SignedMessage m = MessageSigner.sign(sender, h, new Content.Text("message " + i));
            out.add(m);
            previous = Hashes.messageHash(m);
        }
        return out;
    }

    private static Map<MessageId, SignedMessage> byId(List<SignedMessage> ms) {
        Map<MessageId, SignedMessage> out = new HashMap<>();
        ms.forEach(m -> out.put(m.header().messageId(), m));
        return out;
    }

    /** What the recipient signs after holding {@code ms}: the run from {@code after}. */
    private CumulativeReceipt signedBy(IdentityKeyPair key, List<SignedMessage> ms, long after) {
        ChannelSequence s = new ChannelSequence("in.pm", "leaders");
        ms.forEach(m -> s.observe(m.header(), Hashes.messageHash(m)));
        return CumulativeReceiptSigner.sign(key, Messages.EXERCISE, "pk.pm", "in.pm", "leaders",
                s.linkedRun(after, 256), T);
    }

    @Test
    void aRecipientsReceipt_overItsLinkedRun_verifiesAtTheRelayAndAtTheSender() throws Exception {
        List<SignedMessage> ms = chain(5);
        CumulativeReceipt r = signedBy(recipient, ms, 2);
        assertThat(r.fromCounter()).isEqualTo(3);
        assertThat(r.throughCounter()).isEqualTo(5);
        assertThat(r.chainHead()).isEqualTo(Hashes.messageHash(ms.get(4)));
        assertThat(r.coveredIds()).containsExactly(ms.get(2).header().messageId(), ms.get(3).header().messageId(),
                ms.get(4).header().messageId());
        CumulativeReceiptSigner.verify(r, recipient.publicKey(), Messages.EXERCISE);
        CumulativeReceiptSigner.verify(r, recipient.publicKey(), Messages.EXERCISE, byId(ms));
        assertThat(CumulativeReceipt.decode(r.encode())).isEqualTo(r);
    }

    @Test
    void everyBitFlip_isRefusedByTheDecoderOrTheSignature() throws Exception {
        CumulativeReceipt r = signedBy(recipient, chain(2), 0);
        byte[] good = r.encode();
        for (int bit = 0; bit < good.length * 8; bit++) {
            byte[] bad = good.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            CumulativeReceipt decoded;
            try {
                decoded = CumulativeReceipt.decode(bad);
            } catch (FrameDecodeException e) {
                continue;
            }
            assertThatThrownBy(() -> CumulativeReceiptSigner.verify(decoded, recipient.publicKey(), Messages.EXERCISE))
                    .as("bit %d", bit).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void aReceiptSignedWithAnotherKey_orForAnotherExercise_isRefused() {
        List<SignedMessage> ms = chain(2);
        CumulativeReceipt forged = signedBy(IdentityKeyPair.generate(random), ms, 0);
        assertThatThrownBy(() -> CumulativeReceiptSigner.verify(forged, recipient.publicKey(), Messages.EXERCISE))
                .isInstanceOf(CryptoException.class).extracting(e -> ((CryptoException) e).reason())
                .isEqualTo(CryptoException.Reason.BAD_SIGNATURE);
        CumulativeReceipt other = CumulativeReceiptSigner.sign(recipient, new CumulativeReceipt.Fields(
                Messages.OTHER_EXERCISE, "pk.pm", "in.pm", "leaders", 1, 2, Hashes.messageHash(ms.get(1)), T,
                List.of(ms.get(0).header().messageId(), ms.get(1).header().messageId())));
        assertThatThrownBy(() -> CumulativeReceiptSigner.verify(other, recipient.publicKey(), Messages.EXERCISE))
                .isInstanceOf(CryptoException.class).extracting(e -> ((CryptoException) e).reason())
                .isEqualTo(CryptoException.Reason.WRONG_EXERCISE);
    }

    @Test
    void theSender_refusesAGenuinelySignedReceipt_forAnotherChain_otherCounters_orAMessageItDidNotSend() {
        List<SignedMessage> ms = chain(3);
        List<MessageId> ids = ms.stream().map(m -> m.header().messageId()).toList();
        // An equivocated message 3: the chain head is not the hash of the sender's own message 3.
        assertMismatch(new CumulativeReceipt.Fields(Messages.EXERCISE, "pk.pm", "in.pm", "leaders", 1, 3,
                Hashes.messageHash(ms.get(1)), T, ids), byId(ms), "chain head");
        // Ids listed under counters they do not have.
        assertMismatch(new CumulativeReceipt.Fields(Messages.EXERCISE, "pk.pm", "in.pm", "leaders", 1, 3,
                Hashes.messageHash(ms.get(2)), T, List.of(ids.get(1), ids.get(0), ids.get(2))), byId(ms), "number");
        // A message the sender did not send.
        Map<MessageId, SignedMessage> fewer = byId(ms.subList(1, 3));
        assertMismatch(new CumulativeReceipt.Fields(Messages.EXERCISE, "pk.pm", "in.pm", "leaders", 1, 3,
                Hashes.messageHash(ms.get(2)), T, ids), fewer, "did not send");
        // Another channel than the messages were sent on.
        assertMismatch(new CumulativeReceipt.Fields(Messages.EXERCISE, "pk.pm", "in.pm", "other", 1, 3,
                Hashes.messageHash(ms.get(2)), T, ids), byId(ms), "sent on leaders");
        // Asserted by someone the messages were not addressed to.
        CumulativeReceipt byNsa = CumulativeReceiptSigner.sign(recipient, new CumulativeReceipt.Fields(
                Messages.EXERCISE, "pk.nsa", "in.pm", "leaders", 1, 3, Hashes.messageHash(ms.get(2)), T, ids));
        assertThatThrownBy(() -> CumulativeReceiptSigner.verify(byNsa, recipient.publicKey(), Messages.EXERCISE,
                byId(ms))).isInstanceOf(CryptoException.class).hasMessageContaining("not a recipient");
    }

    private void assertMismatch(CumulativeReceipt.Fields f, Map<MessageId, SignedMessage> sent, String says) {
        CumulativeReceipt r = CumulativeReceiptSigner.sign(recipient, f);
        assertThatThrownBy(() -> CumulativeReceiptSigner.verify(r, recipient.publicKey(), Messages.EXERCISE, sent))
                .isInstanceOf(CryptoException.class).hasMessageContaining(says)
                .extracting(e -> ((CryptoException) e).reason()).isEqualTo(CryptoException.Reason.RECEIPT_MISMATCH);
    }

    @Test
    void theLayout_refusesACountOtherThanTheCounters_anIdTwice_andIsNeverReadAsAPerMessageReceipt() {
        MessageId a = MessageId.random(random);
        assertThatThrownBy(() -> new CumulativeReceipt.Fields(Messages.EXERCISE, "pk.pm", "in.pm", "leaders", 1, 2,
                Hash32.ZERO, T, List.of(a))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CumulativeReceipt.Fields(Messages.EXERCISE, "pk.pm", "in.pm", "leaders", 1, 2,
                Hash32.ZERO, T, List.of(a, a))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CumulativeReceipt.Fields(Messages.EXERCISE, "pk.pm", "in.pm", "leaders", 0, 0,
                Hash32.ZERO, T, List.of(a))).isInstanceOf(IllegalArgumentException.class);
        CumulativeReceipt r = signedBy(recipient, chain(1), 0);
        assertThatThrownBy(() -> Receipt.decode(r.encode())).isInstanceOf(FrameDecodeException.class)
                .hasMessageContaining("cumulative");
    }

    @Test
    void aVersionOneRecordOfTypeFive_isRefusedAsWhatItIs() {
        // A version-1 receipt record (PROTOCOL.md §8.1) with type byte 5: version 1 never had one.
        byte[] bytes = new byte[2 + 16];
        bytes[0] = 1;
        bytes[1] = 5;
        assertThatThrownBy(() -> Receipt.decodeRecorded(bytes)).isInstanceOf(FrameDecodeException.class)
                .hasMessageContaining("no delivered-through receipts");
    }
}
