package ckp.kiosk.publish;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A monotonic clock that moves only when a test moves it; starts far from zero, as System.nanoTime may. */
final class FakeTicker implements LongSupplier {
    private long nanos = 7_000_000_000L;

    @Override
    public synchronized long getAsLong() {
        return nanos;
    }

    synchronized void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a monotonic clock never goes back: " + d);
        }
        nanos += d.toNanos();
    }
}
