package org.hotline.server.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.server.relay.RelaySession;

/**
 * An authenticated session as the network layer presents it to the relay logic, recording what
 * the relay sends and how it closes the session; for tests of the relay without a network.
 */
public final class RecordingSession implements RelaySession {

    /** A close the relay asked for: the code and text of its final ERROR frame. */
    public record Close(ErrorCode code, String text) {
    }

    private final String role;
    private final String serial;
    private final List<Frame> sent = new CopyOnWriteArrayList<>();
    private final List<Close> closes = new CopyOnWriteArrayList<>();
    private volatile boolean open = true;

    public RecordingSession(String role) {
        this(role, "f022");
    }

    public RecordingSession(String role, String certificateSerial) {
        this.role = role;
        this.serial = certificateSerial;
    }

    @Override
    public String role() {
        return role;
    }

    @Override
    public String certificateSerial() {
        return serial;
    }

    @Override
    public void send(Frame frame) {
        sent.add(frame);
    }

    @Override
    public void closeWith(ErrorCode code, String text) {
        closes.add(new Close(code, text));
        open = false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public String describe() {
        return role + " (recording)";
    }

    public List<Frame> sent() {
        return List.copyOf(sent);
    }

    public List<Close> closes() {
        return List.copyOf(closes);
    }

    /** The frames of {@code type} sent so far, in order. */
    public <T extends Frame> List<T> sent(Class<T> type) {
        return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Waits until at least {@code count} frames of {@code type} were sent; returns them all. */
    public <T extends Frame> List<T> await(Class<T> type, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sent(type).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(role + " got " + sent(type).size() + " " + type.getSimpleName()
                        + " frames, expected " + count + "; all sent: " + sent);
            }
            Thread.sleep(5);
        }
        return sent(type);
    }

    /** Waits for the first frame of {@code type}. */
    public <T extends Frame> T await(Class<T> type) throws InterruptedException {
        return await(type, 1, Duration.ofSeconds(10)).get(0);
    }

    /** Waits for an ERROR frame with {@code code}. */
    public Frame.Error awaitError(ErrorCode code) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            for (Frame.Error e : sent(Frame.Error.class)) {
                if (e.code() == code) {
                    return e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(role + " got no " + code + " error; all sent: " + sent);
            }
            Thread.sleep(5);
        }
    }
}
