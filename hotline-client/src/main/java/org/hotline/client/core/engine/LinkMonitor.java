package org.hotline.client.core.engine;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.hotline.client.core.LinkStatus;
import org.hotline.protocol.exercise.Channel;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.MessageHeader;
import org.hotline.protocol.wire.MessageId;

/**
 * Whether the line works end to end: connection up and down, a link test to every channel peer
 * each interval (answered by theirs), and the alarm when none came back for two intervals. The
 * status is read from any thread; everything else runs on the engine thread.
 */
final class LinkMonitor implements Inbox.LinkTests {

    private final String role;
    private final Exercise exercise;
    private final Duration interval;
    private final Outbox outbox;
    private final ClientAudit audit;
    private final Listeners listeners;
    private final Clock clock;
    private final SecureRandom random;

    private final Map<MessageId, Instant> pendingTests = new HashMap<>();
    private final Map<String, MessageId> pendingTestByChannel = new HashMap<>();
    private volatile LinkStatus link = LinkStatus.down();
    private volatile String lastDisconnectReason = "not connected yet";
    private boolean alarmLogged;

    LinkMonitor(String role, Exercise exercise, Duration interval, Outbox outbox, ClientAudit audit,
                Listeners listeners, Clock clock, SecureRandom random) {
        this.role = role;
        this.exercise = exercise;
        this.interval = interval;
        this.outbox = outbox;
        this.audit = audit;
        this.listeners = listeners;
        this.clock = clock;
        this.random = random;
    }

    LinkStatus status() {
        return link;
    }

    String lastDisconnectReason() {
        return lastDisconnectReason;
    }

    /** The relay said WELCOME to us at {@code where}. */
    void up(String where) {
        setLink(new LinkStatus(true, link.lastVerified(), link.roundTrip(), link.alarm()));
        audit.linkUp("connected to " + where);
    }

    /** The connection went down, or could not be made, for {@code reason}. */
    void down(String reason) {
        if (link.connected()) {
            setLink(new LinkStatus(false, link.lastVerified(), link.roundTrip(), link.alarm()));
            audit.linkDown(reason);
        } else {
            LinkStatus unchanged = link;
            listeners.fire(l -> l.linkStatusChanged(unchanged));
        }
        lastDisconnectReason = reason;
    }

    /** Every interval: a link test per channel (one unanswered at a time), and the alarm check. */
    void tick() {
        Instant now = clock.instant();
        if (link.connected()) {
            for (Channel c : exercise.channelsOf(role)) {
                String peer = c.members().stream().filter(m -> !m.equals(role)).findFirst().orElseThrow();
                if (pendingTestByChannel.containsKey(c.id())) {
                    // One unanswered test per channel is enough; more would only fill an absent peer's queue.
                    continue;
                }
                try {
                    MessageId id = outbox.compose(c, new Content.LinkTest(random.nextLong()), Optional.empty(),
                            Optional.empty());
                    pendingTests.put(id, now);
                    pendingTestByChannel.put(c.id(), id);
                } catch (Exception e) {
                    audit.problem("link test to " + peer + " could not be sent: " + e.getMessage());
                }
            }
        }
        Duration twoIntervals = interval.multipliedBy(2);
        boolean overdue = pendingTests.values().stream().anyMatch(t -> Duration.between(t, now).compareTo(twoIntervals) >= 0);
        boolean stale = link.lastVerified().map(t -> Duration.between(t, now).compareTo(twoIntervals) >= 0).orElse(true);
        if (overdue && stale && !link.alarm()) {
            setLink(new LinkStatus(link.connected(), link.lastVerified(), link.roundTrip(), true));
            if (!alarmLogged) {
                alarmLogged = true;
                audit.linkAlarm("no end-to-end link test answered for " + twoIntervals.toSeconds() + " s");
            }
        } else {
            LinkStatus unchanged = link;
            listeners.fire(l -> l.linkStatusChanged(unchanged));
        }
    }

    /** A peer's link test arrived: the reply goes back on the same channel. */
    @Override
    public void testArrived(MessageHeader header, Content.LinkTest test) {
        Optional<Channel> channel = exercise.channelFor(role, header.sender());
        try {
            outbox.compose(channel.orElseThrow(), new Content.LinkTestReply(test.nonce()),
                    Optional.of(header.messageId()), Optional.empty());
        } catch (Exception e) {
            audit.problem("link test reply to " + header.sender() + " could not be sent: " + e.getMessage());
        }
    }

    @Override
    public void replyArrived(MessageId testId) {
        Instant sent = pendingTests.remove(testId);
        if (sent == null) {
            return;
        }
        pendingTestByChannel.values().remove(testId);
        Instant now = clock.instant();
        Duration rtt = Duration.between(sent, now);
        pendingTests.entrySet().removeIf(e -> e.getValue().isBefore(sent));
        alarmLogged = false;
        setLink(new LinkStatus(link.connected(), Optional.of(now), Optional.of(rtt), false));
        audit.linkVerified(rtt);
    }

    private void setLink(LinkStatus s) {
        link = s;
        listeners.fire(l -> l.linkStatusChanged(s));
    }
}
