package ckp.kiosk.publish;

import java.time.Duration;

/**
 * Where the live stream of one connection stands: messages committed after the connection came up (positions above
 * its backlog boundary) are looked for when the lane says it committed one, and at least every {@code recheck}, and
 * go ahead of the paced backlog. Pure: the caller says what time it is, in nanoseconds of a monotonic ticker.
 */
final class LiveCursor {
    private final long boundary;
    private final long recheckNanos;
    private long after;
    private boolean dirty = true;
    private long lastCheckNanos;

    LiveCursor(long boundary, Duration recheck, long nowNanos) {
        this.boundary = boundary;
        this.after = boundary;
        this.recheckNanos = recheck.toNanos();
        this.lastCheckNanos = nowNanos;
    }

    /** True when the store should be asked for live messages now. */
    boolean due(long nowNanos) {
        return dirty || nowNanos - lastCheckNanos > recheckNanos;
    }

    /** The last live position read; the next read starts after it. */
    long after() {
        return after;
    }

    /** A live message at {@code position} was read. */
    void advance(long position) {
        after = Math.max(after, position);
    }

    /** The store was asked; {@code more} when the read was full, so more may be waiting. */
    void checked(long nowNanos, boolean more) {
        dirty = more;
        lastCheckNanos = nowNanos;
    }

    /** Something was committed: look at the next turn. */
    void wake() {
        dirty = true;
    }

    /** Reads the live stream again from the boundary (a refused topic may be tried again). */
    void restart() {
        after = boundary;
        dirty = true;
    }
}
