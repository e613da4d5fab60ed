package org.hotline.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Optional;
import org.hotline.protocol.wire.ErrorCode;
import org.hotline.protocol.wire.Frame;
import org.hotline.protocol.wire.Receipt;
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
 *
 * <p>A DELIVERED_THROUGH lists up to 256 ids, and the mailbox writer looks each one up (PROTOCOL.md
 * §6.1), so it is charged one answer token per {@value #IDS_PER_TOKEN} listed ids (at least one):
 * per listed id it then costs no more writer time than a DELIVERY_ACK, and one participant cannot
 * stall every role's SEND commits with full-length receipts.
 *
 * <p>A DELIVERY_ACK carrying a {@code rejected} receipt costs {@value #REJECTED_COST} answer tokens:
 * a recipient rejects rarely, while one that repeats a rejection naming another copy than the box
 * held here changes nothing and would otherwise cost a writer lookup and a log line each time at the
 * full answer rate (review F2).
 *
 * <p>A LOG_CONSISTENCY_FETCH asking for a signed answer also draws on a third bucket,
 * {@value #SIGNED_PER_SECOND} per second up to {@value #SIGNED_BURST}: each costs the relay an
 * Ed25519 signature on the event loop, and an honest client asks only after an unsigned proof
 * failed (PROTOCOL.md §12.4), so the ordinary frame rate would let one role buy hundreds of
 * signatures a second for nothing. Beyond it the fetch is dropped and answered with
 * {@code RATE_LIMITED}, as any frame over the limit.
 */
final class RateLimitHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(RateLimitHandler.class);
    private static final long ONE_SECOND = 1_000_000_000L;

    private static final int ANSWER_FACTOR = 10;

    /** Listed ids of a DELIVERED_THROUGH per answer token. */
    static final int IDS_PER_TOKEN = 16;

    /** Answer tokens of a DELIVERY_ACK carrying a {@code rejected} receipt. */
    static final int REJECTED_COST = 16;

    /** Signed consistency answers per second and burst per connection. */
    static final int SIGNED_PER_SECOND = 1;
    static final int SIGNED_BURST = 4;

    private final TokenBucket bucket;
    private final TokenBucket answers;
    private final TokenBucket signedAnswers;
    private final double perSecond;
    private final int answerBurst;
    private long lastWarning = Long.MIN_VALUE / 2;

    RateLimitHandler(double perSecond, int burst) {
        this.bucket = new TokenBucket(perSecond, burst, System.nanoTime());
        this.answers = new TokenBucket(perSecond * ANSWER_FACTOR, burst * ANSWER_FACTOR, System.nanoTime());
        this.signedAnswers = new TokenBucket(SIGNED_PER_SECOND, SIGNED_BURST, System.nanoTime());
        this.perSecond = perSecond;
        this.answerBurst = burst * ANSWER_FACTOR;
    }

    /**
     * Answer tokens a frame costs: a DELIVERED_THROUGH one per {@value #IDS_PER_TOKEN} listed ids, a
     * rejection {@value #REJECTED_COST},
     * capped at the answer burst so that a full receipt can still pass a small configured burst.
     */
    static int answerCost(Object msg, int answerBurst) {
        if (msg instanceof Frame.DeliveredThrough through) {
            int ids = through.receipt().coveredIds().size();
            return Math.max(1, Math.min(answerBurst, (ids + IDS_PER_TOKEN - 1) / IDS_PER_TOKEN));
        }
        if (msg instanceof Frame.DeliveryAck ack && ack.receipt().type() == Receipt.Type.REJECTED) {
            return Math.min(answerBurst, REJECTED_COST);
        }
        return 1;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        long now = System.nanoTime();
        boolean answer = msg instanceof Frame.DeliveryAck || msg instanceof Frame.DeliveredThrough || msg instanceof Frame.ReceiptAck || msg instanceof Frame.Pong;
        boolean signedFetch = msg instanceof Frame.LogConsistencyFetch f && f.signed();
        if (answer ? answers.tryTake(now, answerCost(msg, answerBurst))
                : bucket.tryTake(now) && (!signedFetch || signedAnswers.tryTake(now))) {
            super.channelRead(ctx, msg);
            return;
        }
        Optional<org.hotline.protocol.wire.MessageId> id = msg instanceof Frame.Send s
                ? Optional.of(s.messageId()) : Optional.empty();
        if (now - lastWarning >= ONE_SECOND) {
            lastWarning = now;
            log.info("rate limit: dropping frames from {}", ctx.channel().remoteAddress());
            ctx.writeAndFlush(new Frame.Error(ErrorCode.RATE_LIMITED, id, signedFetch
                    ? "more than " + SIGNED_PER_SECOND + " signed consistency answer per second; fetch dropped, "
                            + "send it again later"
                    : "more than " + perSecond + " frames per second; frame dropped, send it again later"));
        }
    }
}
