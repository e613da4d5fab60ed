package org.hotline.client.core.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.audit.AuditEntryType;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.crypto.PrekeyPair;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.Receipt;
import org.hotline.protocol.wire.SignedMessage;

/**
 * Every entry this client writes to its audit log, in one place (PROTOCOL.md §11): the
 * entry types and their fields are decided here and nowhere else in the client. Methods that
 * record evidence (messages, receipts, acknowledgements, prekeys) throw, so the caller does not
 * confirm what it could not record; status entries (link up/down, warnings, problems shown) are
 * written quietly and a failure is reported to the person instead. Engine thread only.
 */
final class ClientAudit {

    private static final String AUDIT_FILE = "audit.jsonl";

    private final AuditLog log;
    private final Listeners listeners;

    private ClientAudit(AuditLog log, Listeners listeners) {
        this.log = log;
        this.listeners = listeners;
    }

    /** Opens (or continues) {@code <dataDir>/audit.jsonl}, signed with the role's identity key. */
    static ClientAudit open(Path dataDir, String role, RoleCredential credential, Clock clock, int checkpointEvery,
                            Listeners listeners) throws IOException {
        return new ClientAudit(AuditLog.open(dataDir.resolve(AUDIT_FILE), role, credential.identity(),
                credential.identityCertificate(), credential.caCertificate(), clock, checkpointEvery), listeners);
    }

    // ------------------------------------------------------------ evidence

    void messageSent(SignedMessage m, String text) throws IOException {
        log.append(AuditEntryType.MESSAGE_SENT, messageEntry(m, text));
    }

    void messageReceived(SignedMessage m, String text, Instant receivedAt, X509Certificate signer) throws IOException {
        log.ensureCertificate(m.header().sender(), signer);
        ObjectNode p = messageEntry(m, text);
        p.put("receivedAt", receivedAt.toString());
        log.append(AuditEntryType.MESSAGE_RECEIVED, p);
    }

    void gap(String sender, String channel, List<Long> missing) throws IOException {
        ObjectNode g = AuditLog.payload();
        g.put("from", sender);
        g.put("channel", channel);
        g.put("missingCounters", missing.toString());
        log.append(AuditEntryType.GAP, g);
    }

    void equivocation(SignedMessage m, String text, String explanation, X509Certificate signer) throws IOException {
        ObjectNode p = messageEntry(m, text);
        p.put("explanation", explanation);
        log.ensureCertificate(m.header().sender(), signer);
        log.append(AuditEntryType.EQUIVOCATION, p);
    }

    /** A receipt that moved a sent message forward, with the certificate that verified it. */
    void receipt(Receipt r, X509Certificate asserter) throws IOException {
        log.ensureCertificate(r.asserter(), asserter);
        ObjectNode p = AuditLog.payload();
        p.put("id", r.messageId().hex());
        p.put("state", r.type().name().toLowerCase());
        p.put("receipt", Base64.getEncoder().encodeToString(r.encode()));
        log.append(AuditEntryType.RECEIPT, p);
    }

    void acknowledged(MessageId id, Receipt r) throws IOException {
        ObjectNode p = AuditLog.payload();
        p.put("id", id.hex());
        p.put("receipt", Base64.getEncoder().encodeToString(r.encode()));
        log.append(AuditEntryType.ACKNOWLEDGED, p);
    }

    void prekeyRotated(PrekeyPair fresh, int erased) throws IOException {
        ObjectNode p = AuditLog.payload();
        p.put("newPrekeyId", fresh.id());
        p.put("expiresAt", fresh.signed().expiresAt().toString());
        p.put("erased", erased);
        log.append(AuditEntryType.PREKEY_ROTATED, p);
    }

    // ------------------------------------------------------------ status, written quietly

    void linkVerified(Duration roundTrip) {
        ObjectNode p = AuditLog.payload();
        p.put("roundTripMillis", roundTrip.toMillis());
        try {
            log.append(AuditEntryType.LINK_VERIFIED, p);
        } catch (IOException e) {
            problem("audit log: " + e.getMessage());
        }
    }

    void linkUp(String text) {
        quietly(AuditEntryType.LINK_UP, text);
    }

    void linkDown(String reason) {
        quietly(AuditEntryType.LINK_DOWN, reason);
    }

    void linkAlarm(String text) {
        quietly(AuditEntryType.LINK_ALARM, text);
    }

    void warningShown(String warning) {
        quietly(AuditEntryType.WARNING_SHOWN, warning);
    }

    /** Something the person is shown: logged as shown, then reported to every listener. */
    void problem(String message) {
        quietly(AuditEntryType.ERROR_SHOWN, message);
        listeners.fire(l -> l.problem(message));
    }

    // ------------------------------------------------------------ the log itself

    Path file() {
        return log.file();
    }

    void checkpoint() throws IOException {
        log.checkpoint();
    }

    /** Checkpoints, then verifies the whole log, in one step on the engine thread. */
    AuditVerifier.Report verify(CertificateValidator trust) throws IOException {
        log.checkpoint();
        return AuditVerifier.verify(log.file(), Optional.of(trust));
    }

    /** Writes the final signed checkpoint. */
    void close() {
        try {
            log.close();
        } catch (IOException e) {
            listeners.fire(l -> l.problem("audit log close failed: " + e.getMessage()));
        }
    }

    private void quietly(String type, String text) {
        try {
            ObjectNode p = AuditLog.payload();
            p.put("text", text);
            log.append(type, p);
        } catch (IOException e) {
            listeners.fire(l -> l.problem("audit log could not be written: " + e.getMessage()));
        }
    }

    private static ObjectNode messageEntry(SignedMessage m, String text) {
        MessageHeader h = m.header();
        ObjectNode p = AuditLog.payload();
        p.put("id", h.messageId().hex());
        p.put("from", h.sender());
        p.putPOJO("to", h.recipients());
        p.put("channel", h.channel());
        p.put("counter", h.counter());
        p.put("sentAt", h.sentAt().toString());
        if (m.content() instanceof Content.Signal s) {
            p.put("signal", s.signalId());
            ObjectNode params = p.putObject("params");
            s.params().forEach(params::put);
        }
        p.put("kind", switch (m.content().type()) {
            case Content.TYPE_SIGNAL -> "signal";
            case Content.TYPE_TEXT -> "text";
            case Content.TYPE_LINK_TEST -> "link-test";
            default -> "link-test-reply";
        });
        p.put("text", text);
        h.inReplyTo().ifPresent(id -> p.put("inReplyTo", id.hex()));
        p.put("message", Base64.getEncoder().encodeToString(m.encode()));
        return p;
    }
}
