package ckp.drivers.thermometer;

import ckp.drivers.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when someone sleeps on it, and remembers every sleep. */
final class VirtualTicker implements Ticker {
    private long nanos = 1_000_000_000L;
    final List<Duration> sleeps = new ArrayList<>();
    boolean frozen;

    @Override
    public long nanos() {
        return nanos;
    }

    @Override
    public void sleep(Duration duration) {
        sleeps.add(duration);
        if (!frozen) {
            nanos += duration.toNanos();
        }
    }

    void advance(Duration d) {
        nanos += d.toNanos();
    }
}
