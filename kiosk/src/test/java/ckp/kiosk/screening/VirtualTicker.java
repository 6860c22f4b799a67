package ckp.kiosk.screening;

import ckp.drivers.time.Ticker;
import java.time.Duration;

/** A clock that moves only when someone sleeps on it. */
public final class VirtualTicker implements Ticker {
    private long nanos = 5_000_000_000L;

    @Override
    public synchronized long nanos() {
        return nanos;
    }

    @Override
    public synchronized void sleep(Duration duration) {
        if (duration.isPositive()) {
            nanos += duration.toNanos();
        }
    }

    public synchronized void advance(Duration d) {
        nanos += d.toNanos();
    }
}
