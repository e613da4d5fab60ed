package org.hotline.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.hotline.protocol.crypto.Hashes;
import org.hotline.protocol.crypto.MessageSealer;
import org.hotline.protocol.crypto.MessageSigner;
import org.hotline.protocol.crypto.PrekeyPair;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.pki.CertificateAuthority;
import org.hotline.protocol.pki.CertificatePurpose;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.ExerciseId;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.FrameCodec;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
import org.hotline.protocol.wire.SignedMessage;
import org.hotline.server.config.RelayConfig;
import org.hotline.server.testing.RelayFixture;
import org.hotline.server.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay end to end: real mutual TLS on a loopback port, a freshly generated exercise PKI per
 * test, real end-to-end crypto, the real SQLite mailbox. Every refusal is checked for its error
 * code and for the relay still serving another client afterwards.
 */
class RelayIntegrationTest {

    @TempDir
    Path tmp;
    RelayFixture relay;

    RelayFixture relay(UnaryOperator<RelayConfig> tune) throws Exception {
        relay = new RelayFixture(tmp, tune);
        return relay;
    }

    RelayFixture relay() throws Exception {
        return relay(c -> c);
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    private RoleCredential role(String r) throws Exception {
        return relay.exercise().role(r);
    }

    private SignedMessage open(Frame.Deliver d, String recipient) throws Exception {
        PrekeyPair prekey = role(recipient).initialPrekey().orElseThrow();
        SignedMessage m = MessageSealer.open(d, prekey);
        var dir = relay.exercise().directory();
        MessageSigner.verify(m, dir.validator().identityKey(dir.identityCertificateOf(m.header().sender()), Instant.now()),
                exerciseId());
        return m;
    }

    private ExerciseId exerciseId() throws Exception {
        return relay.exercise().directory().validator().exerciseId();
    }

    private Receipt delivered(String recipient, Frame.Deliver d) throws Exception {
        return ReceiptSigner.sign(role(recipient).identity(), Receipt.Type.DELIVERED, open(d, recipient), recipient,
                Instant.now());
    }

    /** A receipt signed by {@code signer} with the given fields; the relay does not see the message hash. */
    private Receipt receipt(String signer, Receipt.Type type, MessageId id, String asserter, String sender,
                            String channel, ExerciseId exercise) throws Exception {
        return ReceiptSigner.sign(role(signer).identity(), new Receipt.Fields(type, exercise, id, asserter, sender,
                channel, Instant.now(), Hash32.ZERO));
    }

    @Test
    void happyPath_sendAcceptedDeliveredReceiptBack() throws Exception {
        relay();
        try (TestClient a = relay.hello("in.pm"); TestClient b = relay.hello("pk.pm")) {
            Frame.Send send = relay.message("in.pm", "pk.pm", "leaders", 1, new Content.Text("We propose a call at 16:00."));
            a.send(send);
            Frame.Accepted acceptedFrame = a.expect(Frame.Accepted.class);
            Receipt accepted = acceptedFrame.receipt();
            assertThat(accepted.type()).isEqualTo(Receipt.Type.ACCEPTED);
            assertThat(accepted.messageId()).isEqualTo(send.messageId());
            // Unsigned in ACCEPTED_IN_LOG: the proof to the relay-signed checkpoint authenticates it (PROTOCOL.md §12.3).
            assertThat(accepted.isSigned()).isFalse();
            org.hotline.protocol.tlog.RelayLogProofs.verifyInclusion(accepted, acceptedFrame.inclusion().orElseThrow(),
                    exerciseId(), CertificateValidator.identityKeyOf(relay.exercise().directory().identityCertificateOf("relay")));
            assertThat(accepted.subjectHash()).contains(Hashes.sendHash(FrameCodec.encode(send)));

            Frame.Deliver d = b.expect(Frame.Deliver.class);
            assertThat(d.messageId()).isEqualTo(send.messageId());
            assertThat(((Content.Text) open(d, "pk.pm").content()).text()).isEqualTo("We propose a call at 16:00.");

            b.send(new Frame.DeliveryAck(delivered("pk.pm", d)));
            Receipt back = a.expect(Frame.ReceiptNotice.class).receipt();
            assertThat(back.type()).isEqualTo(Receipt.Type.DELIVERED);
            ReceiptSigner.verify(back, role("pk.pm").identity().publicKey(), exerciseId());
            a.send(Frame.ReceiptAck.of(back));

            Receipt ack = ReceiptSigner.sign(role("pk.pm").identity(), Receipt.Type.ACKNOWLEDGED, open(d, "pk.pm"),
                    "pk.pm", Instant.now());
            b.send(new Frame.ReceiptNotice(ack));
            assertThat(a.expect(Frame.ReceiptNotice.class).receipt().type()).isEqualTo(Receipt.Type.ACKNOWLEDGED);
        }
    }

    @Test
    void backlog_isDeliveredInOrder_whenTheRecipientConnects() throws Exception {
        relay();
        List<MessageId> sent = new ArrayList<>();
        try (TestClient a = relay.hello("in.pm")) {
            for (int i = 1; i <= 5; i++) {
                Frame.Send s = relay.message("in.pm", "pk.pm", i);
                a.send(s);
                a.expect(Frame.Accepted.class);
                sent.add(s.messageId());
            }
        }
        try (TestClient b = relay.hello("pk.pm")) {
            List<MessageId> got = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Frame.Deliver d = b.expect(Frame.Deliver.class);
                got.add(d.messageId());
                assertThat(open(d, "pk.pm").header().counter()).isEqualTo(i + 1);
            }
            assertThat(got).containsExactlyElementsOf(sent);
            // Live traffic after the backlog.
            try (TestClient a = relay.hello("in.pm")) {
                Frame.Send live = relay.message("in.pm", "pk.pm", 6);
                a.send(live);
                assertThat(b.expect(Frame.Deliver.class).messageId()).isEqualTo(live.messageId());
            }
        }
    }

    @Test
    void undeliveredBacklog_isSentAgainOnReconnect_untilAcknowledged() throws Exception {
        relay();
        try (TestClient a = relay.hello("in.pm")) {
            Frame.Send s = relay.message("in.pm", "pk.pm", 1);
            a.send(s);
            a.expect(Frame.Accepted.class);
        }
        Frame.Deliver first;
        try (TestClient b = relay.hello("pk.pm")) {
            first = b.expect(Frame.Deliver.class);
        }
        try (TestClient b = relay.hello("pk.pm")) {
            Frame.Deliver again = b.expect(Frame.Deliver.class);
            assertThat(again.messageId()).isEqualTo(first.messageId());
            b.send(new Frame.DeliveryAck(delivered("pk.pm", again)));
            b.expectNothing(Duration.ofMillis(300));
        }
        try (TestClient b = relay.hello("pk.pm")) {
            b.expectNothing(Duration.ofMillis(500));
        }
    }

    @Test
    void resend_withSameIdAndBytes_isIdempotent_differentBytes_isAConflict() throws Exception {
        relay();
        try (TestClient a = relay.hello("in.pm"); TestClient b = relay.hello("pk.pm")) {
            Frame.Send s = relay.message("in.pm", "pk.pm", 1);
            a.send(s);
            Receipt first = a.expect(Frame.Accepted.class).receipt();
            a.send(s);
            Receipt second = a.expect(Frame.Accepted.class).receipt();
            assertThat(second).isEqualTo(first);
            b.expect(Frame.Deliver.class);
            b.expectNothing(Duration.ofMillis(500));

            SealedBox box = s.boxes().get(0);
            byte[] ct = box.ciphertext();
            ct[0] ^= 1;
            a.send(new Frame.Send(s.messageId(), "in.pm", "leaders",
                    List.of(new SealedBox(box.recipient(), box.prekeyId(), box.encapsulation(), ct))));
            assertThat(a.expectError(ErrorCode.DUPLICATE_CONFLICT).messageId()).contains(s.messageId());
            assertThat(a.isOpen()).isTrue();
        }
        relay.assertStillServes();
    }

    @Test
    void receipts_reachAnOfflineSender_whenItReconnects() throws Exception {
        relay();
        Frame.Send s = relay.message("in.pm", "pk.pm", 1);
        try (TestClient a = relay.hello("in.pm")) {
            a.send(s);
            a.expect(Frame.Accepted.class);
        }
        try (TestClient b = relay.hello("pk.pm")) {
            Frame.Deliver d = b.expect(Frame.Deliver.class);
            b.send(new Frame.DeliveryAck(delivered("pk.pm", d)));
            Thread.sleep(200);
        }
        try (TestClient a = relay.hello("in.pm")) {
            Receipt r = a.expect(Frame.ReceiptNotice.class).receipt();
            assertThat(r.type()).isEqualTo(Receipt.Type.DELIVERED);
            assertThat(r.messageId()).isEqualTo(s.messageId());
            a.send(Frame.ReceiptAck.of(r));
            Thread.sleep(200);
        }
        try (TestClient a = relay.hello("in.pm")) {
            a.expectNothing(Duration.ofMillis(500));
        }
    }

    @Test
    void clientWithoutCertificate_isRefusedAtTheHandshake() throws Exception {
        relay();
        try (TestClient c = TestClient.connect(relay.address(), null, null, relay.exercise().directory().caCertificate())) {
            c.send(new Frame.Hello("no cert"));
            assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
        relay.assertStillServes();
    }

    @Test
    void tls12Client_isRefused() throws Exception {
        relay();
        RoleCredential c = role("in.pm");
        try (TestClient old = TestClient.connect(relay.address(), c.tlsKey(),
                new java.security.cert.X509Certificate[] {c.tlsCertificate(), c.caCertificate()}, c.caCertificate(),
                "TLSv1.2")) {
            assertThat(old.handshake()).isFalse();
            assertThat(old.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
        relay.assertStillServes();
    }

    @Test
    void certificateFromAnotherCa_isRefused(@TempDir Path other) throws Exception {
        relay();
        TestExercise foreign = TestExercise.create(other);
        RoleCredential f = foreign.role("in.pm");
        try (TestClient c = TestClient.connect(relay.address(), f.tlsKey(),
                new java.security.cert.X509Certificate[] {f.tlsCertificate(), f.caCertificate()},
                relay.exercise().directory().caCertificate())) {
            c.send(new Frame.Hello("foreign"));
            assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
            assertThat(c.next(Duration.ofMillis(100))).isNull();
        }
        relay.assertStillServes();
    }

    @Test
    void expiredCertificate_isRefused() throws Exception {
        relay();
        RoleCredential real = role("in.pm");
        CertificateAuthority ca = relay.exercise().authority();
        var key = CertificateAuthority.newP256KeyPair(new SecureRandom());
        var expired = ca.issue(CertificatePurpose.ROLE_TLS, "in.pm", "India",
                SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()),
                Instant.now().minus(Duration.ofDays(10)), Instant.now().minus(Duration.ofDays(1)));
        try (TestClient c = TestClient.connect(relay.address(), key.getPrivate(),
                new java.security.cert.X509Certificate[] {expired, real.caCertificate()}, real.caCertificate())) {
            c.send(new Frame.Hello("expired"));
            assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
        relay.assertStillServes();
    }

    @Test
    void revokedWhileRunning_isDisconnected_andCannotReconnect() throws Exception {
        relay();
        RoleCredential before = role("in.nsa");
        try (TestClient victim = relay.hello("in.nsa")) {
            relay.exercise().revoke("in.nsa");
            Frame.Error e = victim.expectError(ErrorCode.NOT_AUTHENTICATED);
            assertThat(e.text()).contains("revoked");
            assertThat(victim.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
        try (TestClient again = TestClient.connect(relay.address(), before, before.caCertificate())) {
            again.send(new Frame.Hello("revoked"));
            assertThat(again.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
        relay.assertStillServes();
    }

    @Test
    void impersonation_isRefused_andTheConnectionClosed() throws Exception {
        relay();
        try (TestClient a = relay.hello("in.pm"); TestClient b = relay.hello("pk.pm")) {
            Frame.Send forged = relay.message("pk.pm", "in.pm", 1);
            a.send(forged);
            assertThat(a.expectError(ErrorCode.IMPERSONATION).text()).contains("authenticated as in.pm");
            assertThat(a.awaitClosed(Duration.ofSeconds(5))).isTrue();
            b.send(new Frame.Ping(5));
            assertThat(b.expect(Frame.Pong.class).nonce()).isEqualTo(5);
        }
        relay.assertStillServes();
    }

    @Test
    void offPolicyRecipient_isRefusedWithTheRule() throws Exception {
        relay();
        try (TestClient a = relay.hello("in.pm")) {
            Frame.Send wrong = relay.message("in.pm", "pk.nsa", "leaders", 1, new Content.Text("x"));
            a.send(wrong);
            assertThat(a.expectError(ErrorCode.POLICY_VIOLATION).text())
                    .contains("pk.nsa is not a member of channel 'leaders'");
            Frame.Send notMember = relay.message("in.pm", "pk.nsa", "nsa", 1, new Content.Text("x"));
            a.send(notMember);
            assertThat(a.expectError(ErrorCode.POLICY_VIOLATION).text()).contains("in.pm is not a member");
            Frame.Send noChannel = relay.message("in.pm", "pk.pm", "war-room", 1, new Content.Text("x"));
            a.send(noChannel);
            a.expectError(ErrorCode.UNKNOWN_CHANNEL);
            assertThat(a.isOpen()).isTrue();
        }
        relay.assertStillServes();
    }

    @Test
    void oversizedFrame_isRefusedAndClosed() throws Exception {
        relay(c -> c.withMaxFrameBytes(4096));
        try (TestClient a = relay.hello("in.pm")) {
            byte[] head = {0, 1, 0, 0, 1, 0x40};
            a.sendRaw(head);
            assertThat(a.expectError(ErrorCode.FRAME_TOO_LARGE).text()).contains("exceeds the limit of 4096");
            assertThat(a.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
        relay.assertStillServes();
    }

    @Test
    void malformedFrames_areRefusedWithTheirCode() throws Exception {
        relay();
        try (TestClient a = relay.hello("in.pm")) {
            a.sendRaw(new byte[] {0, 0, 0, 2, 2, 0x77});
            assertThat(a.expectError(ErrorCode.UNKNOWN_FRAME_KIND).text()).contains("0x77");
            assertThat(a.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
        try (TestClient a = relay.hello("in.pm")) {
            a.sendRaw(new byte[] {0, 0, 0, 4, 2, 0x40, 0, 0});
            assertThat(a.expectError(ErrorCode.MALFORMED_FRAME).text()).contains("ping.nonce");
        }
        try (TestClient a = relay.hello("in.pm")) {
            a.sendRaw(new byte[] {0, 0, 0, 10, 9, 0x40, 0, 0, 0, 0, 0, 0, 0, 1});
            assertThat(a.expectError(ErrorCode.UNSUPPORTED_VERSION).text()).contains("unknown");
        }
        // A peer of protocol version 1 learns that it is too old (PROTOCOL.md §8).
        try (TestClient a = relay.hello("in.pm")) {
            a.sendRaw(new byte[] {0, 0, 0, 10, 1, 0x40, 0, 0, 0, 0, 0, 0, 0, 1});
            assertThat(a.expectError(ErrorCode.UNSUPPORTED_VERSION).text())
                    .contains("frame version 1 is too old (minimum 2)");
        }
        relay.assertStillServes();
    }

    @Test
    void randomGarbageInsteadOfTls_isDropped_andOthersAreServed() throws Exception {
        // Junk that looks like the start of a TLS record waits for the handshake timeout, so that
        // timeout must be well inside the test socket's read timeout below.
        relay(c -> c.withTimeouts(Duration.ofSeconds(2), c.idleTimeout(), c.pingInterval()));
        SecureRandom r = new SecureRandom();
        for (int i = 0; i < 5; i++) {
            try (Socket s = new Socket(relay.address().getAddress(), relay.address().getPort())) {
                s.setSoTimeout(5000);
                byte[] junk = new byte[1 + r.nextInt(4096)];
                r.nextBytes(junk);
                OutputStream out = s.getOutputStream();
                out.write(junk);
                out.flush();
                int read;
                try {
                    do {
                        read = s.getInputStream().read();
                    } while (read != -1);
                } catch (java.net.SocketException reset) {
                    // closed by the relay: expected
                }
            }
        }
        relay.assertStillServes();
    }

    @Test
    void clientThatNeverFinishesTheHandshake_isClosedAfterTheTimeout() throws Exception {
        relay(c -> c.withTimeouts(Duration.ofMillis(500), c.idleTimeout(), c.pingInterval()));
        try (Socket s = new Socket(relay.address().getAddress(), relay.address().getPort())) {
            s.setSoTimeout(5000);
            long start = System.nanoTime();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
        relay.assertStillServes();
    }

    @Test
    void fullRecipientQueue_refusesFurtherMessages() throws Exception {
        relay(c -> c.withQueueLimits(3, 1 << 20));
        try (TestClient a = relay.hello("in.pm")) {
            for (int i = 1; i <= 3; i++) {
                a.send(relay.message("in.pm", "pk.pm", i));
                a.expect(Frame.Accepted.class);
            }
            Frame.Send fourth = relay.message("in.pm", "pk.pm", 4);
            a.send(fourth);
            Frame.Error e = a.expectError(ErrorCode.QUEUE_FULL);
            assertThat(e.text()).contains("queue for pk.pm is full");
            assertThat(e.messageId()).contains(fourth.messageId());
        }
        try (TestClient b = relay.hello("pk.pm")) {
            for (int i = 0; i < 3; i++) {
                b.expect(Frame.Deliver.class);
            }
            b.expectNothing(Duration.ofMillis(300));
        }
        relay.assertStillServes();
    }

    @Test
    void rateLimit_dropsExcessFrames_withAnError_butKeepsTheConnection() throws Exception {
        relay(c -> c.withRate(5, 5));
        try (TestClient a = relay.hello("in.pm")) {
            for (int i = 0; i < 30; i++) {
                a.send(new Frame.Ping(i));
            }
            List<Frame> got = new ArrayList<>();
            Frame f;
            while ((f = a.next(Duration.ofMillis(500))) != null) {
                got.add(f);
            }
            assertThat(got).filteredOn(x -> x instanceof Frame.Pong).hasSizeLessThan(30);
            assertThat(got).filteredOn(x -> x instanceof Frame.Error e && e.code() == ErrorCode.RATE_LIMITED).isNotEmpty();
            Thread.sleep(1200);
            a.send(new Frame.Ping(1000));
            assertThat(a.expect(Frame.Pong.class).nonce()).isEqualTo(1000);
        }
    }

    /** A recipient acknowledging a backlog faster than the frame rate must not leave its sender at "accepted". */
    @Test
    void rateLimit_neverDropsTheAcknowledgementsOfABacklog() throws Exception {
        relay(c -> c.withRate(5, 5));
        List<MessageId> sent = new ArrayList<>();
        try (TestClient a = relay.hello("in.pm")) {
            for (int i = 1; i <= 15; i++) {
                Frame.Send s = relay.message("in.pm", "pk.pm", i);
                a.send(s);
                a.expect(Frame.Accepted.class);
                sent.add(s.messageId());
                Thread.sleep(250); // under the sender's own limit of 5 frames/s
            }
        }
        try (TestClient b = relay.hello("pk.pm")) {
            for (int i = 0; i < 15; i++) {
                b.send(new Frame.DeliveryAck(delivered("pk.pm", b.expect(Frame.Deliver.class))));
            }
            b.expectNothing(Duration.ofMillis(300));
        }
        try (TestClient a = relay.hello("in.pm")) {
            List<MessageId> delivered = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                Receipt r = a.expect(Frame.ReceiptNotice.class).receipt();
                assertThat(r.type()).isEqualTo(Receipt.Type.DELIVERED);
                delivered.add(r.messageId());
            }
            assertThat(delivered).containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    @Test
    void connectionLimit_refusesTheConnectionOverTheLimit() throws Exception {
        relay(c -> c.withMaxConnections(1));
        try (TestClient a = relay.hello("in.pm"); TestClient b = relay.connect("pk.pm")) {
            assertThat(b.expectError(ErrorCode.TOO_MANY_CONNECTIONS).text()).contains("limit of 1");
            assertThat(b.awaitClosed(Duration.ofSeconds(5))).isTrue();
            a.send(new Frame.Ping(1));
            assertThat(a.expect(Frame.Pong.class).nonce()).isEqualTo(1);
        }
    }

    @Test
    void silentConnection_isPinged_thenClosedAtTheIdleTimeout() throws Exception {
        relay(c -> c.withTimeouts(c.handshakeTimeout(), Duration.ofMillis(900), Duration.ofMillis(300)));
        try (TestClient a = relay.hello("in.pm")) {
            assertThat(a.next(Duration.ofSeconds(2))).isInstanceOf(Frame.Ping.class);
            assertThat(a.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
        relay.assertStillServes();
    }

    @Test
    void prekeyDirectory_servesUploadedPrekeys_initialOnes_andRefusesBadOnes() throws Exception {
        relay();
        try (TestClient a = relay.hello("in.pm"); TestClient b = relay.hello("pk.pm")) {
            a.send(new Frame.PrekeyFetch("pk.pm"));
            Frame.PrekeyBundle initial = a.expect(Frame.PrekeyBundle.class);
            assertThat(initial.prekeys()).containsExactly(relay.exercise().directory().initialPrekeyOf("pk.pm"));

            PrekeyPair fresh = PrekeyPair.generate(role("pk.pm").identity(), exerciseId(), "pk.pm", 77, Instant.now(),
                    Duration.ofDays(2), new SecureRandom());
            b.send(new Frame.PrekeyUpload(List.of(fresh.signed())));
            assertThat(b.expect(Frame.PrekeyBundle.class).prekeys()).containsExactly(fresh.signed());
            a.send(new Frame.PrekeyFetch("pk.pm"));
            assertThat(a.expect(Frame.PrekeyBundle.class).prekeys()).containsExactly(fresh.signed());

            PrekeyPair forged = PrekeyPair.generate(role("in.pm").identity(), exerciseId(), "pk.pm", 78, Instant.now(),
                    Duration.ofDays(2), new SecureRandom());
            b.send(new Frame.PrekeyUpload(List.of(forged.signed())));
            assertThat(b.expectError(ErrorCode.BAD_PREKEY).text()).contains("bad signature");
            PrekeyPair othersRole = PrekeyPair.generate(role("in.pm").identity(), exerciseId(), "in.pm", 79,
                    Instant.now(), Duration.ofDays(2), new SecureRandom());
            b.send(new Frame.PrekeyUpload(List.of(othersRole.signed())));
            b.expectError(ErrorCode.BAD_PREKEY);
            byte[] elsewhere = exerciseId().bytes();
            elsewhere[31] ^= 1;
            PrekeyPair otherExercise = PrekeyPair.generate(role("pk.pm").identity(), ExerciseId.of(elsewhere), "pk.pm",
                    80, Instant.now(), Duration.ofDays(2), new SecureRandom());
            b.send(new Frame.PrekeyUpload(List.of(otherExercise.signed())));
            assertThat(b.expectError(ErrorCode.BAD_PREKEY).text()).contains("belongs to exercise");

            a.send(new Frame.PrekeyFetch("pk.nsa"));
            assertThat(a.expectError(ErrorCode.POLICY_VIOLATION).text()).contains("shares no channel");
            a.send(new Frame.PrekeyFetch("us.pres"));
            a.expectError(ErrorCode.UNKNOWN_ROLE);
        }
        relay.assertStillServes();
    }

    @Test
    void framesBeforeHello_areRefused() throws Exception {
        relay();
        try (TestClient a = relay.connect("in.pm")) {
            a.send(relay.message("in.pm", "pk.pm", 1));
            a.expectError(ErrorCode.UNEXPECTED_FRAME);
            assertThat(a.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void forgedDeliveryAck_isRefused() throws Exception {
        relay();
        try (TestClient a = relay.hello("in.pm"); TestClient b = relay.hello("pk.pm")) {
            a.send(relay.message("in.pm", "pk.pm", 1));
            a.expect(Frame.Accepted.class);
            Frame.Deliver d = b.expect(Frame.Deliver.class);
            Receipt forged = receipt("in.pm", Receipt.Type.DELIVERED, d.messageId(), "pk.pm", "in.pm", "leaders",
                    exerciseId());
            b.send(new Frame.DeliveryAck(forged));
            assertThat(b.expectError(ErrorCode.MALFORMED_FRAME).text()).contains("bad signature");
            a.expectNothing(Duration.ofMillis(300));
        }
    }

    /** THREAT_MODEL.md §5: a unique marker in a sent message appears nowhere in the relay's data directory. */
    @Test
    void relayDataDirectory_neverContainsThePlaintext() throws Exception {
        relay();
        String marker = "PLAINTEXT-MARKER-" + java.util.UUID.randomUUID();
        try (TestClient a = relay.hello("in.pm"); TestClient b = relay.hello("pk.pm")) {
            for (int i = 1; i <= 3; i++) {
                a.send(relay.message("in.pm", "pk.pm", "leaders", i, new Content.Text(marker + " #" + i)));
                a.expect(Frame.Accepted.class);
                Frame.Deliver d = b.expect(Frame.Deliver.class);
                assertThat(((Content.Text) open(d, "pk.pm").content()).text()).startsWith(marker);
            }
        }
        relay.stop();
        byte[] needle = "PLAINTEXT-MARKER".getBytes(StandardCharsets.UTF_8);
        int files = 0;
        try (var walk = Files.walk(relay.dataDir())) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files++;
                byte[] content = Files.readAllBytes(p);
                assertThat(indexOf(content, needle)).as(p.toString()).isEqualTo(-1);
            }
        }
        assertThat(files).isPositive();
        relay.start();
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void acceptedMessages_surviveACleanRestart() throws Exception {
        relay();
        Frame.Send s = relay.message("in.pm", "pk.pm", 1);
        try (TestClient a = relay.hello("in.pm")) {
            a.send(s);
            a.expect(Frame.Accepted.class);
        }
        relay.stop();
        relay.start();
        try (TestClient b = relay.hello("pk.pm")) {
            assertThat(b.expect(Frame.Deliver.class).messageId()).isEqualTo(s.messageId());
        }
    }

    @Test
    void aReceiptForAMessageNeverDelivered_isRefused() throws Exception {
        relay();
        try (TestClient b = relay.hello("pk.pm")) {
            Receipt ack = receipt("pk.pm", Receipt.Type.ACKNOWLEDGED, MessageId.random(new SecureRandom()), "pk.pm",
                    "in.pm", "leaders", exerciseId());
            b.send(new Frame.ReceiptNotice(ack));
            assertThat(b.expectError(ErrorCode.MALFORMED_FRAME).text()).contains("was delivered to pk.pm");
        }
    }
}
