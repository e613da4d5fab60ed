package org.hotline.client.core.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.audit.AuditEvent;
import org.hotline.protocol.audit.AuditLog;
import org.hotline.protocol.audit.AuditReport;
import org.hotline.protocol.audit.AuditVerifier;
import org.hotline.protocol.crypto.PrekeyPair;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.pki.CertificateValidator;
import org.hotline.protocol.pki.RoleCredential;
import org.hotline.protocol.tlog.SignedCheckpoint;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Hash32;
import org.hotline.protocol.wire.LogConsistencySignature;
import org.hotline.protocol.wire.LogInclusion;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.CumulativeReceipt;
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
        log.append(new AuditEvent.MessageSent(m, text));
    }

    void messageReceived(SignedMessage m, String text, Instant receivedAt, X509Certificate signer) throws IOException {
        messageReceived(m, text, receivedAt, signer, Optional.empty());
    }

    /** As above, naming the relay whose copy was stored, with several relays (PROTOCOL.md §13). */
    void messageReceived(SignedMessage m, String text, Instant receivedAt, X509Certificate signer, Optional<String> via)
            throws IOException {
        log.ensureCertificate(m.header().sender(), signer);
        log.append(new AuditEvent.MessageReceived(m, text, receivedAt, via));
    }

    /**
     * A later copy of stored message {@code id} through relay {@code via} (PROTOCOL.md §11.3
     * {@code duplicate}); written quietly: the copy is confirmed and not shown whether or not this
     * record could be written.
     */
    void duplicate(MessageId id, String via) {
        quietly(new AuditEvent.DuplicateCopy(id, via));
    }

    void gap(String sender, String channel, List<Long> missing) throws IOException {
        log.append(new AuditEvent.GapDetected(sender, channel, missing.toString()));
    }

    void equivocation(SignedMessage m, String text, String explanation, X509Certificate signer) throws IOException {
        log.ensureCertificate(m.header().sender(), signer);
        log.append(new AuditEvent.Equivocation(m, text, explanation));
    }

    /** A receipt that moved a sent message forward, with the certificate that verified it. */
    void receipt(Receipt r, X509Certificate asserter) throws IOException {
        log.ensureCertificate(r.asserter(), asserter);
        log.append(AuditEvent.ReceiptRecorded.byClient(r));
    }

    /** A cumulative receipt that moved our messages to delivered (PROTOCOL.md §6.1), with the certificate that verified it. */
    void deliveredThrough(CumulativeReceipt r, X509Certificate asserter) throws IOException {
        log.ensureCertificate(r.asserter(), asserter);
        log.append(new AuditEvent.DeliveredThrough(r));
    }

    /** Our own {@code rejected} receipt for a message we will never open or accept, logged once. */
    void ownRejection(Receipt r) throws IOException {
        log.append(AuditEvent.ReceiptRecorded.byClient(r));
    }

    void acknowledged(Receipt r) throws IOException {
        log.append(new AuditEvent.Acknowledged(r));
    }

    /** A peer's verified checkpoint of its own log, carried by message {@code carriedBy}. */
    void peerCheckpoint(Content.LogCheckpoint checkpoint, MessageId carriedBy, X509Certificate owner) throws IOException {
        log.ensureCertificate(checkpoint.owner(), owner);
        log.append(new AuditEvent.PeerCheckpoint(checkpoint, Optional.of(carriedBy)));
    }

    /** The name a relay's certificate is logged under: its CN ({@code relay}, or e.g. {@code relay-in}, PROTOCOL.md §13). */
    private static String relayName(X509Certificate relay) {
        return org.hotline.protocol.pki.CertificateValidator.commonName(relay).orElse(Receipt.RELAY);
    }

    /** The relay's inclusion proof for one of our messages, verified (PROTOCOL.md §12.5). */
    void relayInclusion(Receipt r, LogInclusion inclusion, SignedCheckpoint cp, X509Certificate relay) throws IOException {
        log.ensureCertificate(relayName(relay), relay);
        log.append(new AuditEvent.RelayInclusion(r, inclusion.leafIndex(), inclusion.path(), cp));
    }

    /** A relay checkpoint verified consistent with the one of size {@code previousSize} (0: the first). */
    void relayCheckpoint(SignedCheckpoint cp, long previousSize, List<Hash32> proof, X509Certificate relay)
            throws IOException {
        log.ensureCertificate(relayName(relay), relay);
        log.append(new AuditEvent.RelayCheckpoint(cp, previousSize, proof));
    }

    /** Evidence of a relay log fork: the checkpoint and the proof that failed against ours of {@code previousSize}. */
    void relayFork(SignedCheckpoint cp, long previousSize, List<Hash32> proof, X509Certificate relay) throws IOException {
        relayFork(cp, previousSize, proof, Optional.empty(), relay);
    }

    /** As above, with the relay's signature on its answer when it gave one: then the entry proves the fork. */
    void relayFork(SignedCheckpoint cp, long previousSize, List<Hash32> proof, Optional<LogConsistencySignature> signed,
                   X509Certificate relay) throws IOException {
        log.ensureCertificate(relayName(relay), relay);
        log.append(new AuditEvent.RelayFork(cp, previousSize, proof, signed));
    }

    /** The answer-by time of {@code m} passed with no reply (PROTOCOL.md §11.3 {@code deadline-missed}). */
    void deadlineMissed(SignedMessage m, String clock, Instant deadline) throws IOException {
        log.append(new AuditEvent.DeadlineMissed(m, clock, deadline));
    }

    /** A signed reading: the owner's own, or, at exercise control, one a reader sent it (PROTOCOL.md §11.3). */
    void reading(Content.Reading reading) throws IOException {
        log.append(new AuditEvent.ReadingRecorded(reading));
    }

    void prekeyRotated(PrekeyPair fresh, int erased) throws IOException {
        log.append(new AuditEvent.PrekeyRotated(fresh.id(), fresh.signed().expiresAt(), erased));
    }

    // ------------------------------------------------------------ status, written quietly

    void linkVerified(Duration roundTrip) {
        quietly(new AuditEvent.LinkVerified(roundTrip.toMillis()));
    }

    void linkUp(String text) {
        quietly(new AuditEvent.LinkUp(text));
    }

    /** An evaluator's note, signed now with the owner's key (evidence: a failure is thrown to the caller). */
    AuditEvent.EvaluatorNote evaluatorNote(Instant scenarioTime, String text) throws IOException {
        return log.evaluatorNote(scenarioTime, text);
    }

    void linkDown(String reason) {
        quietly(new AuditEvent.LinkDown(reason));
    }

    void linkAlarm(String text) {
        quietly(new AuditEvent.LinkAlarm(text));
    }

    void warningShown(String warning) {
        quietly(new AuditEvent.WarningShown(warning));
    }

    /** Something the person is shown: logged as shown, then reported to every listener. */
    void problem(String message) {
        quietly(new AuditEvent.ErrorShown(message));
        listeners.fire(l -> l.problem(message));
    }

    // ------------------------------------------------------------ the log itself

    Path file() {
        return log.file();
    }

    void checkpoint() throws IOException {
        log.checkpoint();
    }

    /** Entries written so far. */
    long size() {
        return log.size();
    }

    /** The newest signed checkpoint of this log, as peers are sent it. */
    Optional<Content.LogCheckpoint> lastCheckpoint() {
        return log.lastCheckpoint();
    }

    /** {@code listener} runs whenever the log writes a checkpoint, inside the write: it must only hand on. */
    void onCheckpoint(Runnable listener) {
        log.onCheckpoint(c -> listener.run());
    }

    /** Checkpoints, then verifies the whole log, in one step on the engine thread. */
    AuditReport verify(CertificateValidator trust, Exercise exercise) throws IOException {
        log.checkpoint();
        return AuditVerifier.verify(log.file(), Optional.of(trust), Optional.of(exercise));
    }

    /** Writes the final signed checkpoint. */
    void close() {
        try {
            log.close();
        } catch (IOException e) {
            listeners.fire(l -> l.problem("audit log close failed: " + e.getMessage()));
        }
    }

    private void quietly(AuditEvent event) {
        try {
            log.append(event);
        } catch (IOException e) {
            listeners.fire(l -> l.problem("audit log could not be written: " + e.getMessage()));
        }
    }
}
