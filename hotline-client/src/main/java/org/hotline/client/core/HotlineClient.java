package org.hotline.client.core;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.hotline.client.core.engine.ClientEngine;
import org.hotline.protocol.audit.AuditReport;
import org.hotline.protocol.exercise.Channel;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.ExerciseException;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.pki.PkiException;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.signals.SignalException;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.MessageId;

/**
 * One role's hotline client, headless, as the CLI and the desktop app use it: it keeps the durable
 * outbox and inbox, seals and signs, verifies and decrypts, detects duplicates, gaps and
 * reordering, runs end-to-end link tests, rotates prekeys, reconnects by itself, and writes the
 * audit log. Every state change happens on one engine thread; {@link ClientListener} callbacks and
 * the returned futures complete there, so callers must not block in them.
 */
public interface HotlineClient extends AutoCloseable {

    /**
     * Opens the role's credential (PBKDF2: slow on purpose, so never on a UI thread) and local
     * state. Nothing touches the network until {@link #start()}.
     *
     * @throws PkiException      wrong passphrase, revoked or expired credential, unknown role
     * @throws ExerciseException unreadable exercise directory
     * @throws IOException       the data directory cannot be written
     */
    static HotlineClient open(ClientConfig config, char[] passphrase, Clock clock)
            throws PkiException, ExerciseException, IOException {
        // For callers without a random source of their own: the platform's default generator.
        return open(config, passphrase, clock, new SecureRandom());
    }

    /**
     * As {@link #open(ClientConfig, char[], Clock)}, with the source of every random value the
     * client makes: message ids, sealing, link-test nonces, prekeys and the prekey file's salt.
     */
    static HotlineClient open(ClientConfig config, char[] passphrase, Clock clock, SecureRandom random)
            throws PkiException, ExerciseException, IOException {
        return ClientEngine.open(config, passphrase, clock, random);
    }

    /** Connects (and keeps reconnecting), starts link tests and outbox retries. */
    void start();

    // ---------------------------------------------------------------- who and where

    String role();

    Exercise exercise();

    SignalCatalog catalog();

    /** The exercise directory this client belongs to (for verifying its own log). */
    ExerciseDirectory exerciseDirectory();

    /** The channel and fellow members a message to {@code recipient} goes to, or empty if none is allowed. */
    default Optional<Channel> channelTo(String recipient) {
        return exercise().channelFor(role(), recipient);
    }

    // ---------------------------------------------------------------- sending and acknowledging

    /**
     * Composes a message to {@code recipient}: signed, sealed and written to the durable outbox
     * before anything goes on the network. Completes with its id once it is stored. It goes out
     * sealed to the recipients' newest verified prekeys: while the relay's answer to a prekey fetch
     * is outstanding the message waits in the outbox, in order (PROTOCOL.md §5.2).
     *
     * @throws IllegalArgumentException {@code recipient} shares no channel with this role, or the
     *                                  content is an inject or clock message and this role is not
     *                                  exercise control
     */
    CompletableFuture<MessageId> send(String recipient, Content content, Optional<MessageId> inReplyTo,
                                      Optional<Instant> answerBy);

    /**
     * Composes a prefabricated signal: validated and rendered now, then as {@link #send}. A
     * notification is first checked against its agreement's rules at this moment (PROTOCOL.md §4.2
     * "Notification rules"), so nothing that breaks one is ever signed.
     *
     * @throws SignalException for an unknown signal, bad parameters or a broken agreement rule, whose
     *                         message names the rule (nothing is queued)
     */
    default CompletableFuture<MessageId> sendSignal(String recipient, String signalId, Map<String, String> params,
                                                    Optional<MessageId> inReplyTo, Optional<Instant> answerBy)
            throws SignalException {
        var broken = catalog().ruleProblem(signalId, params, Instant.now());
        if (broken.isPresent()) {
            throw new SignalException(broken.get().message());
        }
        var canonical = catalog().canonicalParams(signalId, params);
        return send(recipient, Content.Signal.of(signalId, canonical), inReplyTo, answerBy);
    }

    default CompletableFuture<MessageId> sendText(String recipient, String text) {
        return send(recipient, new Content.Text(text), Optional.empty(), Optional.empty());
    }

    /**
     * Completes once the sent message {@code id} has reached {@code state} or a later one, with the
     * state it is in then; at once if it already has. Fails if the client closes first or the id
     * is not a message this client sent. Never times out by itself: callers bound the wait.
     */
    CompletableFuture<DeliveryState> whenState(MessageId id, DeliveryState state);

    /** The person acknowledges a received message: a signed receipt goes back to its sender. */
    CompletableFuture<Void> acknowledge(MessageId id);

    /**
     * The person records how they read received message {@code id} (PROTOCOL.md §4.2, Reading):
     * signed, written to this client's audit log and, when the exercise has control, sent to
     * control alone; never to the message's sender or anyone else.
     *
     * @param note optional words of the reader, empty for none (at most 1 024 UTF-8 bytes)
     * @throws IllegalArgumentException (through the future) {@code id} is not a received message
     */
    CompletableFuture<MessageReading> recordReading(MessageId id, org.hotline.protocol.wire.ReadAs readAs, String note);

    /** Readings participants sent exercise control, in arrival order (empty for everyone else). */
    CompletableFuture<List<MessageReading>> receivedReadings();

    // ---------------------------------------------------------------- snapshots and events

    /** Messages received so far (link tests excluded), in arrival order. */
    CompletableFuture<List<ReceivedMessage>> receivedMessages();

    /** Messages sent so far (link tests excluded), in send order, with their delivery states. */
    CompletableFuture<List<SentMessage>> sentMessages();

    /** Injects received from exercise control so far, in arrival order (PROTOCOL.md §4.2). */
    CompletableFuture<List<ReceivedInject>> receivedInjects();

    /** The exercise clock as exercise control last set it, or empty before its first clock message. */
    CompletableFuture<Optional<ScenarioClock>> scenarioClock();

    /** Every message sent or received that asks for an answer by a time, with where it stands. */
    CompletableFuture<List<AnswerDeadline>> deadlines();

    /** Missing counters per "sender/channel" right now: gaps not yet filled. */
    CompletableFuture<Map<String, List<Long>>> gaps();

    /**
     * Each relay's path in a multi-relay exercise (PROTOCOL.md §13): up or down and why, and when it
     * last delivered; empty with one relay. {@link RelayPathStatus#describe} words the line's state.
     */
    default CompletableFuture<List<RelayPathStatus>> relayPaths() {
        return CompletableFuture.completedFuture(List.of());
    }

    /**
     * How many relays have accepted message {@code id} since this client started, and how many it
     * sends through ("accepted by 2 of 2 relays"); {@code [0, 1]} with one relay, whose acceptance
     * is the message's {@link DeliveryState#ACCEPTED}.
     */
    default CompletableFuture<int[]> relayAcceptances(MessageId id) {
        return CompletableFuture.completedFuture(new int[] {0, 1});
    }

    /**
     * Resumes {@code consumer}, a listener that presents each arrival when it is handed it (as
     * {@code hotline listen} prints it), across restarts: completes with what the inbox holds after
     * the consumer's durable mark, in arrival order, the items a kill kept it from presenting
     * (machine traffic excluded). From this call on, after each batch of new arrivals is handed to the
     * listeners, the mark moves past the batch, durably: so the consumer's callbacks must have
     * presented an item when they return. Call it before {@link #start()}, present what it returns,
     * then {@link #markPresented} the last of it. A kill between presenting and the mark's write
     * presents those again at the next resume: at least once, at most one batch (64) again.
     */
    CompletableFuture<List<InboxItem>> resumePresentation(String consumer);

    /**
     * Moves {@code consumer}'s mark to the stored arrival {@code through} (never back); durable when
     * the future completes.
     */
    CompletableFuture<Void> markPresented(String consumer, MessageId through);

    void addListener(ClientListener listener);

    void removeListener(ClientListener listener);

    LinkStatus linkStatus();

    /** Why the line is down, for error messages ("relay 127.0.0.1:7443 unreachable (Connection refused)"). */
    String lastDisconnectReason();

    /** Drops the relay connection as if the network failed; the client reconnects by itself (fault tests). */
    void dropConnection();

    // ---------------------------------------------------------------- audit log

    Path auditLogFile();

    /** Writes a signed checkpoint now, so the whole log so far verifies (the audit view does this first). */
    CompletableFuture<Void> checkpointAuditLog();

    /**
     * Checkpoints the live audit log and verifies it against the exercise CA and CRL, in one step on
     * the engine thread, so no entry slips in between the checkpoint and the check.
     */
    CompletableFuture<AuditReport> verifyAuditLog();

    /** Records that a warning was shown to the person (e.g. the calm-wording check). */
    CompletableFuture<Void> recordWarningShown(String warning);

    /**
     * Signs an evaluator's note with this role's identity key and writes it to the audit log
     * (PROTOCOL.md §11.3 {@code evaluator-note}); exercise control's facilitator window calls it.
     * Completes with the entry as written; fails for a blank note or one longer than the limit.
     */
    CompletableFuture<org.hotline.protocol.audit.AuditEvent.EvaluatorNote> recordEvaluatorNote(Instant scenarioTime,
                                                                                               String text);

    /** Closes the connection, writes a final signed checkpoint and closes the stores. */
    @Override
    void close();
}
