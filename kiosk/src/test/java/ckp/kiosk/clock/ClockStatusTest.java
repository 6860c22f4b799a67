package ckp.kiosk.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Synchronised" comes from the kernel (adjtimex), whichever NTP client set the clock; systemd-timesyncd's flag file
 * only when the kernel cannot be asked (a seccomp filter), and --assume-clock-synced still overrides both.
 */
class ClockStatusTest {
    /** STA_PLL | STA_NANO, as chrony and timesyncd leave a synchronised clock. */
    private static final int PLL_NANO = 0x0001 | 0x2000;
    private static final int STA_UNSYNC = 0x0040;

    @Test
    void theRealAdjtimexCallOnThisMachineGivesAStateWhoseFixedFieldsProveTheLayout() {
        KernelClockState state = KernelClockState.read().orElseThrow(
                () -> new AssertionError("adjtimex could not be called on this Linux machine"));
        assertTrue(state.result() >= 0 && state.result() <= 5, "a TIME_* clock state: " + state);
        // The kernel reports a constant tolerance (500 ppm << 16) and a tick of 1/USER_HZ within +-10 %: were the
        // struct read at wrong offsets, these would not come out.
        assertEquals(500L << 16, state.toleranceScaledPpm(), state.toString());
        assertTrue(state.tickMicros() >= 9_000 && state.tickMicros() <= 11_000, state.toString());
        assertEquals(state.result() != KernelClockState.TIME_ERROR && (state.status() & STA_UNSYNC) == 0,
                state.synchronised(), state.toString());
    }

    @Test
    void recordedKernelStatesDecideSynchronisedAndNoFlagFileIsNeeded(@TempDir Path dir) {
        Path noFlag = dir.resolve("synchronized");
        // chrony on a kiosk: TIME_OK, PLL, no timesyncd flag file at all.
        assertTrue(ClockStatus.system(false, () -> Optional.of(recorded(0, PLL_NANO)), noFlag).synced());
        // A leap second announced (TIME_INS) is still a synchronised clock.
        assertTrue(ClockStatus.system(false, () -> Optional.of(recorded(1, PLL_NANO | 0x0010)), noFlag).synced());
        // Boot without network: the kernel says TIME_ERROR with STA_UNSYNC.
        assertFalse(ClockStatus.system(false, () -> Optional.of(recorded(5, PLL_NANO | STA_UNSYNC)), noFlag).synced());
        // STA_UNSYNC set is unsynchronised whatever the return value.
        assertFalse(ClockStatus.system(false, () -> Optional.of(recorded(0, STA_UNSYNC)), noFlag).synced());
    }

    @Test
    void theKernelOutranksAStaleTimesyncdFlag(@TempDir Path dir) throws IOException {
        Path flag = Files.createFile(dir.resolve("synchronized"));
        assertFalse(ClockStatus.system(false, () -> Optional.of(recorded(5, STA_UNSYNC)), flag).synced(),
                "the flag says synchronised once since boot; the kernel says not now");
    }

    @Test
    void whenTheKernelCannotBeAskedTheFlagFileDecides(@TempDir Path dir) throws IOException {
        Path flag = dir.resolve("synchronized");
        assertFalse(ClockStatus.system(false, Optional::empty, flag).synced());
        Files.createFile(flag);
        assertTrue(ClockStatus.system(false, Optional::empty, flag).synced());
    }

    @Test
    void assumeClockSyncedOverridesAnUnsynchronisedKernel(@TempDir Path dir) {
        assertTrue(ClockStatus.system(true, () -> Optional.of(recorded(5, STA_UNSYNC)), dir.resolve("none")).synced());
    }

    private static KernelClockState recorded(int result, int status) {
        return new KernelClockState(result, status, 16_000_000, 16_000_000, 500L << 16, 10_000);
    }
}
