package ckp.kiosk.clock;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Structure;
import java.util.List;
import java.util.Optional;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The kernel's view of the system clock, read with {@code adjtimex(2)} (modes 0: a read, no privilege needed). Any
 * NTP client (systemd-timesyncd, chrony, ntpd) clears {@code STA_UNSYNC} when it disciplines the clock, and the kernel
 * sets it again (and answers {@code TIME_ERROR}) when none has for so long that the clock's maximum error passed
 * 16 s (about 9 hours); it is what {@code timedatectl} shows as "System clock synchronized".
 *
 * <p>Like {@code SystemdNotify}, this is a libc call through JNA in the kiosk, not in {@code drivers}: the kernel's
 * clock state is not kiosk hardware, and {@code drivers} holds device access (Pi4J, camera processes).
 *
 * @param result              adjtimex's return value: TIME_OK 0, TIME_INS 1, TIME_DEL 2, TIME_OOP 3, TIME_WAIT 4,
 *                            TIME_ERROR 5
 * @param status              the STA_* bits
 * @param maxErrorMicros      the kernel's maximum error estimate
 * @param estErrorMicros      the estimated error
 * @param toleranceScaledPpm  the kernel's frequency tolerance (500 ppm, scaled by 2^16): a constant
 * @param tickMicros          microseconds per clock tick
 */
public record KernelClockState(int result, int status, long maxErrorMicros, long estErrorMicros,
                               long toleranceScaledPpm, long tickMicros) {
    private static final TaggedLogger LOG = Logger.tag("clock");
    /** The clock is not synchronised (adjtimex's return value). */
    public static final int TIME_ERROR = 5;
    /** Status bit: the clock is not synchronised. */
    public static final int STA_UNSYNC = 0x0040;

    /** Synchronised: neither TIME_ERROR nor STA_UNSYNC. */
    public boolean synchronised() {
        return result != TIME_ERROR && (status & STA_UNSYNC) == 0;
    }

    /** glibc's {@code struct timex} (Linux), field for field; JNA lays it out with the platform's alignment. */
    @SuppressWarnings("unused")
    public static final class Timex extends Structure {
        public int modes;
        public NativeLong offset;
        public NativeLong freq;
        public NativeLong maxerror;
        public NativeLong esterror;
        public int status;
        public NativeLong constant;
        public NativeLong precision;
        public NativeLong tolerance;
        public NativeLong timeSeconds;
        public NativeLong timeMicros;
        public NativeLong tick;
        public NativeLong ppsfreq;
        public NativeLong jitter;
        public int shift;
        public NativeLong stabil;
        public NativeLong jitcnt;
        public NativeLong calcnt;
        public NativeLong errcnt;
        public NativeLong stbcnt;
        public int tai;
        public int[] reserved = new int[11];

        @Override
        protected List<String> getFieldOrder() {
            return List.of("modes", "offset", "freq", "maxerror", "esterror", "status", "constant", "precision",
                    "tolerance", "timeSeconds", "timeMicros", "tick", "ppsfreq", "jitter", "shift", "stabil",
                    "jitcnt", "calcnt", "errcnt", "stbcnt", "tai", "reserved");
        }
    }

    /** The one libc call, bound by JNA. */
    interface LibC extends Library {
        int adjtimex(Timex buf) throws LastErrorException;
    }

    private static volatile LibC libc;
    private static volatile boolean unavailableLogged;

    /**
     * Asks the kernel; empty (logged once) when it cannot be asked: not Linux, or a seccomp filter refusing the call
     * (systemd's {@code ProtectClock=yes} and an allow list without {@code adjtimex} answer EPERM).
     */
    public static Optional<KernelClockState> read() {
        try {
            LibC c = libc;
            if (c == null) {
                c = Native.load("c", LibC.class);
                libc = c;
            }
            Timex t = new Timex();
            int result = c.adjtimex(t);
            return Optional.of(new KernelClockState(result, t.status, t.maxerror.longValue(), t.esterror.longValue(),
                    t.tolerance.longValue(), t.tick.longValue()));
        } catch (LastErrorException | UnsatisfiedLinkError | NoClassDefFoundError e) {
            if (!unavailableLogged) {
                unavailableLogged = true;
                LOG.warn("cannot read the kernel's clock state (adjtimex: {}); deciding 'synchronised' from "
                        + "systemd-timesyncd's flag file instead", e.getMessage());
            }
            return Optional.empty();
        }
    }
}
