package ckp.kiosk.clock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The wall clock and whether it is known to be right. A Pi has no RTC: until NTP has synchronised, its clock may be
 * days behind, so pass validity windows cannot be trusted and events carry {@code clockSynced=false}.
 */
public interface ClockStatus {

    Instant now();

    boolean synced();

    /** systemd-timesyncd creates this file once the clock has been synchronised at least once since boot. */
    Path TIMESYNCD_FLAG = Path.of("/run/systemd/timesync/synchronized");

    /**
     * The system clock, synchronised when the kernel says so ({@link KernelClockState}: whichever NTP client set it),
     * or, where the kernel cannot be asked, when systemd-timesyncd's flag file is there; always when told to trust
     * it ({@code --assume-clock-synced}, e.g. for a machine with an RTC and no NTP at all).
     */
    static ClockStatus system(boolean assumeSynced) {
        return system(assumeSynced, KernelClockState::read, TIMESYNCD_FLAG);
    }

    /** {@link #system(boolean)} with the kernel's answer and the flag file given: for tests with recorded states. */
    static ClockStatus system(boolean assumeSynced, Supplier<Optional<KernelClockState>> kernel, Path timesyncdFlag) {
        return new ClockStatus() {
            @Override
            public Instant now() {
                return Instant.now();
            }

            @Override
            public boolean synced() {
                return assumeSynced || kernel.get().map(KernelClockState::synchronised)
                        .orElseGet(() -> Files.exists(timesyncdFlag));
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
