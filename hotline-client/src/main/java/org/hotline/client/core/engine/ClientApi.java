package org.hotline.client.core.engine;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.hotline.client.core.AnswerDeadline;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.DeliveryState;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.LinkStatus;
import org.hotline.client.core.MessageReading;
import org.hotline.client.core.ReceivedInject;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.client.core.ScenarioClock;
import org.hotline.client.core.SentMessage;
import org.hotline.protocol.audit.AuditReport;
import org.hotline.protocol.exercise.Channel;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.pki.ExerciseDirectory;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.MessageId;
import org.hotline.protocol.wire.ReadAs;

/**
 * {@link HotlineClient} over a {@link ClientEngine}: every call that reads or changes engine state
 * becomes a task on the engine thread, and its future completes there.
 */
final class ClientApi implements HotlineClient {

    private final ClientEngine engine;

    ClientApi(ClientEngine engine) {
        this.engine = engine;
        if (engine.exercise.escalation().automatic()) {
            engine.listeners.add(new AutoEscalation(this));
        }
    }

    @Override
    public void start() {
        engine.start();
    }

    @Override
    public CompletableFuture<MessageId> send(String recipient, Content content, Optional<MessageId> inReplyTo,
                                             Optional<Instant> answerBy) {
        Channel channel = channelTo(recipient).orElseThrow(() -> new IllegalArgumentException(
                engine.config.role() + " shares no channel with " + recipient));
        if (ControlFeed.isControlContent(content) && !engine.exercise.isControl(engine.config.role())) {
            // Receivers would refuse it anyway (PROTOCOL.md §4.2); refusing here says so to the sender.
            throw new IllegalArgumentException(engine.config.role() + " is not exercise control: only control sends "
                    + "injects and clock messages");
        }
        if (content instanceof Content.Reading) {
            // A reading goes to control alone, signed over a received message: recordReading does both.
            throw new IllegalArgumentException("a reading is recorded with recordReading, never sent as a message");
        }
        return engine.thread.call(() -> engine.outbox.compose(channel, content, inReplyTo, answerBy));
    }

    @Override
    public CompletableFuture<MessageReading> recordReading(MessageId id, ReadAs readAs, String note) {
        return engine.thread.call(() -> engine.readings.record(id, readAs, note));
    }

    @Override
    public CompletableFuture<List<MessageReading>> receivedReadings() {
        return engine.thread.call(() -> engine.inbox.controlReadings().received());
    }

    @Override
    public CompletableFuture<DeliveryState> whenState(MessageId id, DeliveryState state) {
        return engine.thread.call(() -> engine.tracker.whenState(id, state)).thenCompose(f -> f);
    }

    @Override
    public CompletableFuture<Void> acknowledge(MessageId id) {
        return engine.thread.call(() -> {
            engine.tracker.acknowledge(id);
            return null;
        });
    }

    @Override
    public CompletableFuture<List<org.hotline.client.core.InboxItem>> resumePresentation(String consumer) {
        return engine.thread.call(() -> engine.presentation.resume(consumer));
    }

    @Override
    public CompletableFuture<Void> markPresented(String consumer, MessageId through) {
        return engine.thread.call(() -> {
            engine.presentation.mark(consumer, through);
            return null;
        });
    }

    @Override
    public CompletableFuture<List<ReceivedMessage>> receivedMessages() {
        return engine.thread.call(engine.inbox::receivedMessages);
    }

    @Override
    public CompletableFuture<List<SentMessage>> sentMessages() {
        return engine.thread.call(engine.outbox::sentMessages);
    }

    @Override
    public CompletableFuture<List<ReceivedInject>> receivedInjects() {
        return engine.thread.call(() -> engine.inbox.controlFeed().injects());
    }

    @Override
    public CompletableFuture<Optional<ScenarioClock>> scenarioClock() {
        return engine.thread.call(() -> engine.inbox.controlFeed().clock());
    }

    @Override
    public CompletableFuture<List<AnswerDeadline>> deadlines() {
        return engine.thread.call(engine.deadlines::deadlines);
    }

    @Override
    public CompletableFuture<Map<String, List<Long>>> gaps() {
        return engine.thread.call(engine.inbox::gaps);
    }

    @Override
    public CompletableFuture<List<org.hotline.client.core.RelayPathStatus>> relayPaths() {
        return engine.thread.call(() -> engine.connection instanceof org.hotline.client.core.net.RelayPaths p
                ? p.paths() : List.<org.hotline.client.core.RelayPathStatus>of());
    }

    @Override
    public CompletableFuture<int[]> relayAcceptances(MessageId id) {
        return engine.thread.call(() -> engine.connection instanceof org.hotline.client.core.net.RelayPaths p
                ? new int[] {p.acceptedBy(id), p.size()} : new int[] {0, 1});
    }

    @Override
    public CompletableFuture<Void> checkpointAuditLog() {
        return engine.thread.call(() -> {
            engine.audit.checkpoint();
            return null;
        });
    }

    @Override
    public CompletableFuture<AuditReport> verifyAuditLog() {
        return engine.thread.call(() -> engine.audit.verify(engine.trust.directory().validator(), engine.exercise));
    }

    @Override
    public CompletableFuture<Void> recordWarningShown(String warning) {
        return engine.thread.call(() -> {
            engine.audit.warningShown(warning);
            return null;
        });
    }

    @Override
    public CompletableFuture<org.hotline.protocol.audit.AuditEvent.EvaluatorNote> recordEvaluatorNote(
            java.time.Instant scenarioTime, String text) {
        // Notes are exercise control's (PROTOCOL.md §11.3): a participant's note would be refused by log verify.
        if (!engine.exercise.isControl(engine.config.role())) {
            return CompletableFuture.failedFuture(new IllegalStateException("evaluator notes are written by exercise "
                    + "control, not by " + engine.config.role()));
        }
        return engine.thread.call(() -> engine.audit.evaluatorNote(scenarioTime, text));
    }

    @Override
    public void addListener(ClientListener l) {
        engine.listeners.add(l);
    }

    @Override
    public void removeListener(ClientListener l) {
        engine.listeners.remove(l);
    }

    @Override
    public String role() {
        return engine.config.role();
    }

    @Override
    public Exercise exercise() {
        return engine.exercise;
    }

    @Override
    public SignalCatalog catalog() {
        return engine.catalog;
    }

    @Override
    public ExerciseDirectory exerciseDirectory() {
        return engine.trust.directory();
    }

    @Override
    public LinkStatus linkStatus() {
        return engine.link.status();
    }

    @Override
    public String lastDisconnectReason() {
        return engine.link.lastDisconnectReason();
    }

    @Override
    public Path auditLogFile() {
        return engine.audit.file();
    }

    @Override
    public void dropConnection() {
        engine.connection.drop();
    }

    private Inbox inbox() {
        return engine.inbox;
    }

    @Override
    public void close() {
        engine.close();
    }
}
