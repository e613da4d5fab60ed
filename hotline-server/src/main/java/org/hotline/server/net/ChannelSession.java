package org.hotline.server.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.Optional;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.server.relay.RelaySession;

/** A {@link RelaySession} backed by a Netty channel. */
final class ChannelSession implements RelaySession {

    private final Channel channel;
    private final String role;
    private final String serial;

    ChannelSession(Channel channel, String role, String serial) {
        this.channel = channel;
        this.role = role;
        this.serial = serial;
    }

    @Override
    public String role() {
        return role;
    }

    @Override
    public String certificateSerial() {
        return serial;
    }

    /**
     * Set and cleared on the channel's event loop only: whether a flush is already queued behind
     * the writes made so far.
     */
    private boolean flushQueued;

    /**
     * Writes without flushing, and queues one flush on the event loop behind it unless one is
     * already queued: the frames of one batch (the ACCEPTED answers of a group commit, a delivery
     * pass) leave in one flush, so in as few TLS records and system calls as they fit, instead of
     * one flush per frame. Every frame is flushed: a write made after the queued flush has run
     * finds the flag cleared and queues another (both happen on the event loop, in task order).
     */
    @Override
    public void send(Frame frame) {
        if (channel.eventLoop().inEventLoop()) {
            writeThenFlushLater(frame);
        } else {
            channel.eventLoop().execute(() -> writeThenFlushLater(frame));
        }
    }

    private void writeThenFlushLater(Frame frame) {
        channel.write(frame, channel.voidPromise());
        if (!flushQueued) {
            flushQueued = true;
            channel.eventLoop().execute(() -> {
                flushQueued = false;
                channel.flush();
            });
        }
    }

    @Override
    public void closeWith(ErrorCode code, String text) {
        channel.writeAndFlush(new Frame.Error(code, Optional.empty(), text)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public String describe() {
        return role + "@" + channel.remoteAddress();
    }
}
