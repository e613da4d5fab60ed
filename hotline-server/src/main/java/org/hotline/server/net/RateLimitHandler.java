package org.hotline.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Optional;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.server.relay.TokenBucket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames per second per connection (token bucket). A frame over the limit is dropped and answered
 * with {@code RATE_LIMITED}; at most one such answer per second, so the limiter cannot be used to
 * make the relay send more than it receives.
 *
 * <p>Answers to what the relay itself sent (DELIVERY_ACK, DELIVERED_THROUGH, RECEIPT_ACK, PONG) draw on a second
 * bucket, ten times larger. A recipient draining a backlog answers every DELIVER at the pace the
 * relay sends them; throttled with everything else, its acknowledgements would be dropped and the
 * relay, which delivers each envelope once per connection, would leave the senders at "accepted"
 * until the next reconnect. Their rate is still bounded, because each costs a signature check.
 */
final class RateLimitHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(RateLimitHandler.class);
    private static final long ONE_SECOND = 1_000_000_000L;

    private static final int ANSWER_FACTOR = 10;

    private final TokenBucket bucket;
    private final TokenBucket answers;
    private final double perSecond;
    private long lastWarning = Long.MIN_VALUE / 2;

    RateLimitHandler(double perSecond, int burst) {
        this.bucket = new TokenBucket(perSecond, burst, System.nanoTime());
        this.answers = new TokenBucket(perSecond * ANSWER_FACTOR, burst * ANSWER_FACTOR, System.nanoTime());
        this.perSecond = perSecond;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        long now = System.nanoTime();
        boolean answer = msg instanceof Frame.DeliveryAck || msg instanceof Frame.DeliveredThrough || msg instanceof Frame.ReceiptAck || msg instanceof Frame.Pong;
        if ((answer ? answers : bucket).tryTake(now)) {
            super.channelRead(ctx, msg);
            return;
        }
        Optional<org.hotline.protocol.wire.MessageId> id = msg instanceof Frame.Send s
                ? Optional.of(s.messageId()) : Optional.empty();
        if (now - lastWarning >= ONE_SECOND) {
            lastWarning = now;
            log.info("rate limit: dropping frames from {}", ctx.channel().remoteAddress());
            ctx.writeAndFlush(new Frame.Error(ErrorCode.RATE_LIMITED, id,
                    "more than " + perSecond + " frames per second; frame dropped, send it again later"));
        }
    }
}
