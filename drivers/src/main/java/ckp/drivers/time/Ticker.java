package ckp.drivers.time;

import java.time.Duration;

/**
 * The kiosk's one source of monotonic time and waiting: every timeout, pacing and duration in the drivers and the
 * service reads it. It is passed in rather than read from {@link System#nanoTime()}, so that tests drive time on a
 * virtual clock (the thermometer's datasheet waits, the lane's signal hold and measuring timeout) instead of sleeping.
 * It lives in {@code drivers}, the lowest module, because the drivers need it as much as the service does; wall-clock
 * time (and whether it is synchronised) is {@code ckp.kiosk.clock.ClockStatus}.
 */
public interface Ticker {

    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanos();

    /** Waits; an interrupt ends the wait early and stays set on the thread for the caller's loop to see. */
    void sleep(Duration duration);

    /** The real clock. */
    static Ticker system() {
        return new Ticker() {
            @Override
            public long nanos() {
                return System.nanoTime();
            }

            @Override
            public void sleep(Duration duration) {
                if (duration.isNegative() || duration.isZero()) {
                    return;
                }
                try {
                    Thread.sleep(duration);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
