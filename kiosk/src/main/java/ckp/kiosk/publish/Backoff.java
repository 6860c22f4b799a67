package ckp.kiosk.publish;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter for reconnects and refused topics: the ceiling is 1 s after the first failure,
 * doubling up to a cap, and the wait a random point between zero and the ceiling, so a fleet that lost its broker
 * together does not come back in one wave. The jitter is a function, so tests choose it instead of a random source.
 */
final class Backoff {
    static final Duration BASE = Duration.ofSeconds(1);

    private final Duration cap;
    private final LongUnaryOperator jitterMillis;

    /** {@code jitterMillis} maps a ceiling in milliseconds to a wait from 0 to that ceiling. */
    Backoff(Duration cap, LongUnaryOperator jitterMillis) {
        if (cap.isNegative() || cap.isZero()) {
            throw new IllegalArgumentException("the backoff cap must be positive, got " + cap);
        }
        this.cap = cap;
        this.jitterMillis = jitterMillis;
    }

    /** Full jitter from the thread's random source: what the kiosk runs with. */
    static Backoff fullJitter(Duration cap) {
        return new Backoff(cap, ceiling -> ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    /** min(cap, 1 s * 2^(failures-1)): 1 s after the first failure, doubling up to the cap. */
    static Duration ceiling(int failures, Duration cap) {
        long ms = BASE.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
        return Duration.ofMillis(Math.min(cap.toMillis(), ms));
    }

    /** The wait after {@code failures} failures in a row: from zero to {@link #ceiling}. */
    Duration wait(int failures) {
        long ceiling = ceiling(failures, cap).toMillis();
        return Duration.ofMillis(Math.max(0, Math.min(ceiling, jitterMillis.applyAsLong(ceiling))));
    }
}
