package ckp.drivers.thermometer;

import java.time.Duration;

/**
 * Monotonic time and waiting, injected so that tests run the datasheet's waits (0.25 s to first data, 10 ms per
 * EEPROM write) on a virtual clock instead of sleeping.
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
