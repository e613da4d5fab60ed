package org.hotline.server.relay;

/**
 * Rate limit per connection: {@code rate} tokens per second up to {@code burst}. Not thread-safe;
 * each connection's bucket is used from its own event loop only.
 */
public final class TokenBucket {

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long last;

    public TokenBucket(double perSecond, int burst, long nowNanos) {
        this.ratePerNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    public boolean tryTake(long nowNanos) {
        return tryTake(nowNanos, 1);
    }

    /**
     * Takes {@code cost} tokens at once, or none: a frame whose handling costs as much as several
     * cheap ones is charged as that many (a cost above the burst can never pass).
     */
    public boolean tryTake(long nowNanos, int cost) {
        tokens = Math.min(burst, tokens + (nowNanos - last) * ratePerNano);
        last = nowNanos;
        if (tokens >= cost) {
            tokens -= cost;
            return true;
        }
        return false;
    }
}
