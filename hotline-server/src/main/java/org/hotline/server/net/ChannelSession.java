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

    @Override
    public void send(Frame frame) {
        channel.writeAndFlush(frame, channel.voidPromise());
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
