package ckp.kiosk.store;

import ckp.kiosk.clock.ClockStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The store's housekeeping: purges delivered rows past their retention, keeps the store under its cap and clears
 * the capacity alarms once the store is back within its limits. Runs on its own daemon thread every {@code period}.
 */
public final class StoreMaintenance implements AutoCloseable {
    private static final TaggedLogger LOG = Logger.tag("store");

    private final EventStore store;
    private final ClockStatus clock;
    private final Duration period;
    private volatile boolean running = true;
    private Thread thread;

    public StoreMaintenance(EventStore store, ClockStatus clock, Duration period) {
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
        this.period = Objects.requireNonNull(period);
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("store maintenance period must be positive, got " + period);
        }
    }

    /** One round: purge, then limits. Returns how many delivered rows were purged. */
    public int runOnce(Instant now) {
        store.followPath(now, clock.synced());
        int purged = store.purgeDelivered(now);
        if (purged > 0) {
            LOG.info("purged {} delivered row(s) past store.retention.hours", purged);
        }
        store.enforceLimits(now, clock.synced());
        return purged;
    }

    public void start() {
        thread = Thread.ofPlatform().daemon().name("store-maintenance").start(() -> {
            while (running) {
                try {
                    runOnce(clock.now());
                } catch (StoreException e) {
                    LOG.error("store maintenance failed: {}", e.getMessage());
                }
                try {
                    Thread.sleep(period);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
