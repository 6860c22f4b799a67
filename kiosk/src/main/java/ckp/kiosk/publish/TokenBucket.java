package ckp.kiosk.publish;

/**
 * The backlog's pace: a token bucket that fills at the drain rate and holds at most one in-flight window's worth (at
 * least one token), so a backlog after an outage goes out at {@code mqtt.drain.rate} and never in a burst larger than
 * the window. Pure: the caller says what time it is, in nanoseconds of a monotonic ticker.
 */
final class TokenBucket {
    private double tokens = 1;
    private long lastRefillNanos;

    TokenBucket(long nowNanos) {
        this.lastRefillNanos = nowNanos;
    }

    /** Adds what {@code ratePerSecond} earned since the last refill, up to {@code max(1, min(rate, burst))}. */
    void refill(long nowNanos, double ratePerSecond, int burst) {
        if (!(ratePerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("a token bucket needs a rate above 0 and a burst of 1 or more, got "
                    + ratePerSecond + "/s and " + burst);
        }
        double capacity = Math.max(1, Math.min(ratePerSecond, burst));
        long elapsed = Math.max(0, nowNanos - lastRefillNanos);
        tokens = Math.min(capacity, tokens + elapsed * ratePerSecond / 1e9);
        lastRefillNanos = nowNanos;
    }

    /** True when one message may go now. */
    boolean hasToken() {
        return tokens >= 1;
    }

    /** Spends one token; call only after {@link #hasToken()} said yes. */
    void take() {
        if (tokens < 1) {
            throw new IllegalStateException("no token to take: " + tokens);
        }
        tokens -= 1;
    }

    /** How long until the next token at {@code ratePerSecond}: 0 when one is there, else at least 1 ns. */
    long nanosUntilToken(double ratePerSecond) {
        if (tokens >= 1) {
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) * 1e9 / ratePerSecond));
    }
}
