package ckp.kiosk.clock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * The wall clock and whether it is known to be right. A Pi has no RTC: until NTP has synchronised, its clock may be
 * days behind, so pass validity windows cannot be trusted and events carry {@code clockSynced=false}.
 */
public interface ClockStatus {

    Instant now();

    boolean synced();

    /** systemd-timesyncd creates this file once the clock has been synchronised at least once since boot. */
    Path TIMESYNCD_FLAG = Path.of("/run/systemd/timesync/synchronized");

    /** The system clock, synchronised when timesyncd says so (or when told to trust it, for machines without it). */
    static ClockStatus system(boolean assumeSynced) {
        return new ClockStatus() {
            @Override
            public Instant now() {
                return Instant.now();
            }

            @Override
            public boolean synced() {
                return assumeSynced || Files.exists(TIMESYNCD_FLAG);
            }
        };
    }

    /** A fixed clock, for tests and replay. */
    static ClockStatus fixed(Clock clock, boolean synced) {
        return new ClockStatus() {
            @Override
            public Instant now() {
                return clock.instant();
            }

            @Override
            public boolean synced() {
                return synced;
            }
        };
    }
}
