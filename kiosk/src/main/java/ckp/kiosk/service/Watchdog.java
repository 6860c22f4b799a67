package ckp.kiosk.service;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * Feeds systemd's watchdog only while the pipeline makes progress: a wedged camera, decoder or store stops the
 * {@code WATCHDOG=1} pings and systemd restarts the service after {@code WatchdogSec}. Pings go at half the interval
 * systemd asked for ({@code WATCHDOG_USEC}), as sd_watchdog_enabled(3) advises.
 */
public final class Watchdog implements AutoCloseable {
    private static final TaggedLogger LOG = Logger.tag("service");

    private final SystemdNotify notify;
    private final Duration period;
    private final BooleanSupplier progressing;
    private volatile boolean running = true;
    private Thread thread;

    /**
     * @param progressing true when the pipeline moved since the last call (it may block: a store that does not
     *                    answer holds the watchdog back, which is what should happen)
     */
    public Watchdog(SystemdNotify notify, Duration period, BooleanSupplier progressing) {
        this.notify = notify;
        this.period = period;
        this.progressing = progressing;
    }

    /** The watchdog period systemd set for this process, halved; empty when the unit has no WatchdogSec. */
    public static Optional<Duration> periodFromEnvironment() {
        String usec = System.getenv("WATCHDOG_USEC");
        String pid = System.getenv("WATCHDOG_PID");
        if (usec == null || (pid != null && !pid.equals(Long.toString(ProcessHandle.current().pid())))) {
            return Optional.empty();
        }
        try {
            long micros = Long.parseLong(usec.strip());
            return micros <= 0 ? Optional.empty() : Optional.of(Duration.ofNanos(micros * 1000 / 2));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public void start() {
        thread = Thread.ofPlatform().daemon().name("watchdog").start(this::loop);
    }

    private void loop() {
        boolean stalled = false;
        while (running) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            boolean ok;
            try {
                ok = progressing.getAsBoolean();
            } catch (RuntimeException e) {
                LOG.error("watchdog check failed: {}", e.getMessage());
                ok = false;
            }
            if (ok && running) {
                notify.watchdog();
                if (stalled) {
                    LOG.info("pipeline progressing again");
                }
            } else if (!ok && !stalled) {
                LOG.error("pipeline made no progress for {} ms: watchdog not fed; systemd will restart the service",
                        period.toMillis());
            }
            stalled = !ok;
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
