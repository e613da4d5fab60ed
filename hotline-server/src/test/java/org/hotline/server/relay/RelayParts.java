package org.hotline.server.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.crypto.ReceiptSigner;
import org.hotline.protocol.pki.ExercisePki;
import org.hotline.protocol.pki.RelayCredential;
import org.hotline.protocol.testing.TestExercise;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SealedBox;
import org.hotline.server.config.RelayConfig;
import org.hotline.server.store.AppendResult;
import org.hotline.server.store.Envelope;
import org.hotline.server.store.SqliteMailbox;
import org.hotline.server.testing.FaultyMailbox;

/**
 * The relay's components wired as {@link Relay} wires them, without a network: a fresh exercise
 * PKI, the real SQLite mailbox behind a {@link FaultyMailbox}, a real audit log, real signatures.
 */
final class RelayParts implements AutoCloseable {

    final TestExercise exercise;
    final RelayConfig config;
    final FaultyMailbox mailbox;
    final AuditLog auditLog;
    final RelayCredential relayCredential;
    final TrustState trust;
    final IdentityDirectory identities;
    final RelayAudit audit;
    final SessionRegistry sessions;
    final Clock clock = Clock.systemUTC();
    private final SecureRandom random = new SecureRandom();

    RelayParts(Path tmp) throws Exception {
        exercise = TestExercise.create(tmp);
        config = RelayConfig.defaults("127.0.0.1", 0, tmp.resolve("relay-data"));
        mailbox = new FaultyMailbox(SqliteMailbox.open(config.dataDir(), config.groupCommitMaxBatch(), clock));
        relayCredential = exercise.relay();
        auditLog = AuditLog.open(config.dataDir().resolve("relay-audit.jsonl"), ExercisePki.RELAY_NAME,
                relayCredential.identity(), relayCredential.identityCertificate(), relayCredential.caCertificate(),
                clock, 256);
        trust = new TrustState(exercise.directory(), clock);
        identities = new IdentityDirectory(exercise.directory(), trust, clock);
        audit = new RelayAudit(auditLog, mailbox);
        sessions = new SessionRegistry(mailbox, clock, config.maxFrameBytes(), serial -> false);
    }

    RelayDependencies dependencies() {
        return RelayDependencies.builder()
                .exercise(exercise.exercise(), exercise.directory())
                .config(config)
                .mailbox(mailbox)
                .relayIdentity(relayCredential.identity())
                .exerciseId(relayCredential.exerciseId())
                .identities(identities)
                .clock(clock)
                .audit(auditLog)
                .revokedSerial(serial -> false)
                .build();
    }

    ReceiptHandler receiptHandler() {
        return new ReceiptHandler(identities, relayCredential.exerciseId(), mailbox, clock, audit, sessions);
    }

    /** Stores a message from {@code from} to each of {@code to} directly in the mailbox (opaque ciphertext). */
    MessageId stored(String from, String... to) throws Exception {
        return storedWithBoxes(from, to).acceptedReceipt().messageId();
    }

    /** As {@link #stored}, with the store's answer: the committed boxes ({@code fresh}) included. */
    AppendResult.Stored storedWithBoxes(String from, String... to) throws Exception {
        MessageId id = MessageId.random(random);
        List<SealedBox> boxes = new ArrayList<>();
        for (String recipient : java.util.Arrays.stream(to).sorted().toList()) {
            byte[] ct = new byte[64];
            random.nextBytes(ct);
            boxes.add(new SealedBox(recipient, 1, new byte[32], ct));
        }
        Receipt accepted = ReceiptSigner.sign(relayCredential.identity(), new Receipt.Fields(Receipt.Type.ACCEPTED,
                relayCredential.exerciseId(), id, Receipt.RELAY, from, "leaders", clock.instant(), Hash32.ZERO));
        AppendResult r = mailbox.append(new Envelope(id, from, "leaders", clock.instant(),
                boxes, id.bytes(), accepted), 10_000, 1L << 30).get();
        if (!(r instanceof AppendResult.Stored stored)) {
            throw new AssertionError("not stored: " + r);
        }
        return stored;
    }

    /**
     * A receipt of {@code type} by {@code recipient} about a message from {@code sender} on
     * {@code leaders}, really signed (the relay cannot check the message hash; a zero one stands in).
     */
    Receipt receipt(Receipt.Type type, MessageId id, String recipient, String sender) throws Exception {
        return receipt(type, id, recipient, sender, "leaders", relayCredential.exerciseId());
    }

    /** As above, naming {@code channel} and {@code exerciseId}. */
    Receipt receipt(Receipt.Type type, MessageId id, String recipient, String sender, String channel,
                    org.hotline.protocol.wire.ExerciseId exerciseId) throws Exception {
        return ReceiptSigner.sign(exercise.role(recipient).identity(), new Receipt.Fields(type, exerciseId, id,
                recipient, sender, channel, Instant.now(), Hash32.ZERO));
    }

    /** The audit log's entries of {@code type} about message {@code id}, as written so far. */
    List<JsonNode> auditEntries(String type, MessageId id) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(auditLog.file())) {
            JsonNode e = json.readTree(line);
            if (e.path("type").asText().equals(type) && e.path("id").asText().equals(id.hex())) {
                out.add(e);
            }
        }
        return out;
    }

    /** The receipts waiting in the mailbox for {@code addressee}. */
    List<Receipt> storedReceiptsFor(String addressee) throws Exception {
        return mailbox.pendingReceipts(addressee, 0, 1000).get().stream().map(r -> r.receipt()).toList();
    }


    @Override
    public void close() throws IOException {
        mailbox.close();
        auditLog.close();
    }
}
