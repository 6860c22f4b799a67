package ckp.drivers.camera;

import java.time.Duration;
import java.util.Objects;

/**
 * When a camera process is restarted: after {@code firstBackoff}, doubling per consecutive failure up to
 * {@code maxBackoff}, so a camera unplugged for an hour is retried every {@code maxBackoff} rather than in a hot loop,
 * and a single crash costs well under a second. A process that delivers no whole frame for {@code stallTimeout} is
 * killed and counted as a failure: a wedged camera pipeline otherwise blocks the lane forever without dying.
 */
public record RestartPolicy(Duration firstBackoff, Duration maxBackoff, Duration stallTimeout) {
    public RestartPolicy {
        Objects.requireNonNull(firstBackoff, "firstBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        if (firstBackoff.isNegative() || firstBackoff.isZero()) {
            throw new IllegalArgumentException("firstBackoff must be positive, got " + firstBackoff);
        }
        if (maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is shorter than firstBackoff "
                    + firstBackoff);
        }
        if (stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("stallTimeout must be positive, got " + stallTimeout);
        }
    }

    /** The wait before restarting after {@code consecutiveFailures} failures in a row (1 = the first failure). */
    public Duration backoffAfter(int consecutiveFailures) {
        if (consecutiveFailures <= 1) {
            return firstBackoff;
        }
        Duration d = firstBackoff;
        for (int i = 1; i < consecutiveFailures && d.compareTo(maxBackoff) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
