package ckp.kiosk.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A backoff without jitter (each wait is its whole ceiling) that records every ceiling it was asked for, so a test
 * knows the session has begun a wait before it moves the clock past it.
 */
final class RecordedBackoff {
    private final List<Duration> ceilings = new ArrayList<>();
    private final Backoff backoff;

    RecordedBackoff(Duration cap) {
        this.backoff = new Backoff(cap, this::record);
    }

    Backoff backoff() {
        return backoff;
    }

    private synchronized long record(long ceilingMillis) {
        ceilings.add(Duration.ofMillis(ceilingMillis));
        notifyAll();
        return ceilingMillis;
    }

    synchronized List<Duration> ceilings() {
        return List.copyOf(ceilings);
    }

    /** Waits until {@code n} waits were asked for; false when {@code timeout} passed first. */
    synchronized boolean awaitCount(int n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (ceilings.size() < n) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
