package org.hotline.bench;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.protocol.crypto.IdentityKeyPair;
import org.hotline.protocol.crypto.MessageSealer;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.crypto.PrekeyPair;
import org.hotline.protocol.crypto.SignatureContext;
import org.hotline.protocol.crypto.VerifiedPrekey;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.SignedMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * End-to-end message crypto for a 1 KiB free-text message: sign + seal (sender) and open + verify
 * (recipient), beside baselines measured in the same run: the bare Ed25519 signature over the same
 * bytes, and a SHA-256 of them (what a relay-only design would still spend).
 * Run: {@code java -jar hotline-bench/target/hotline-bench.jar MessageCrypto -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MessageCryptoBenchmark {

    private final SecureRandom random = new SecureRandom();
    private IdentityKeyPair sender;
    private PrekeyPair recipientPrekey;
    private VerifiedPrekey verifiedPrekey;
    /** Any 32 bytes: the benchmark has no CA; the cost does not depend on the value. */
    private static final ExerciseId EXERCISE = ExerciseId.of(new byte[ExerciseId.LENGTH]);
    private MessageHeader header;
    private Content content;
    private Frame.Deliver deliver;
    private byte[] kib;
    private byte[] kibSignature;

    @Setup
    public void setUp() throws Exception {
        sender = IdentityKeyPair.generate(random);
        IdentityKeyPair recipient = IdentityKeyPair.generate(random);
        Instant now = Instant.now();
        recipientPrekey = PrekeyPair.generate(recipient, EXERCISE, "pk.pm", 1, now, Duration.ofDays(1), random);
        verifiedPrekey = VerifiedPrekey.verify(recipientPrekey.signed(), "pk.pm", recipient.publicKey(), EXERCISE, now);
        header = new MessageHeader(EXERCISE, MessageId.random(random), "in.pm", List.of("pk.pm"), "leaders", 1, now,
                Hash32.ZERO, Hash32.ZERO, "2026.11-1", Optional.empty(), Optional.empty());
        content = new Content.Text("x".repeat(1024));
        kib = new byte[1024];
        random.nextBytes(kib);
        kibSignature = sender.sign(SignatureContext.MESSAGE, kib);
        Frame.Send send = signAndSeal();
        deliver = new Frame.Deliver(send.messageId(), send.sender(), send.channel(), now, send.boxes().get(0));
    }

    @Benchmark
    public Frame.Send signAndSeal() {
        SignedMessage m = MessageSigner.sign(sender, header, content);
        return MessageSealer.seal(m, List.of(verifiedPrekey), random);
    }

    @Benchmark
    public SignedMessage openAndVerify() throws Exception {
        SignedMessage m = MessageSealer.open(deliver, recipientPrekey);
        MessageSigner.verify(m, sender.publicKey(), EXERCISE);
        return m;
    }

    @Benchmark
    public byte[] baselineEd25519Sign1KiB() {
        return sender.sign(SignatureContext.MESSAGE, kib);
    }

    /** What the relay spends on each DELIVERED receipt, and the sender on each receipt and message. */
    @Benchmark
    public boolean baselineEd25519Verify1KiB() {
        return sender.publicKey().verify(SignatureContext.MESSAGE, kibSignature, kib);
    }

    @Benchmark
    public byte[] baselineSha256Of1KiB() {
        return org.hotline.protocol.crypto.Hashes.sha256(kib);
    }
}
