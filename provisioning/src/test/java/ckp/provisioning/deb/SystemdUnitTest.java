package ckp.provisioning.deb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shipped unit file: hardened to systemd's own measure, and set up the way the kiosk needs. */
class SystemdUnitTest {
    private static final Path ROOT = Path.of(System.getProperty("ckp.root", ".."));
    private static final Path UNIT = ROOT.resolve("systemd/checkpoint-kiosk.service");

    @Test
    void systemdAnalyzeRatesTheExposureAtMost2() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")),
                "systemd-analyze is not installed (apt-get install systemd)");
        Process p = new ProcessBuilder("/usr/bin/systemd-analyze", "security", "--offline=true", "--no-pager",
                UNIT.toAbsolutePath().toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        Matcher m = Pattern.compile("Overall exposure level for checkpoint-kiosk.service: (\\d+\\.\\d+)").matcher(out);
        assertTrue(m.find(), out);
        double exposure = Double.parseDouble(m.group(1));
        assertTrue(exposure <= 2.0, "exposure " + exposure + ":\n" + out);
    }

    @Test
    void theUnitNotifiesRestartsWithLimitsAndDoesNotLoopOnBadConfig() throws IOException {
        String unit = Files.readString(UNIT);
        String unitSection = unit.substring(unit.indexOf("[Unit]"), unit.indexOf("[Service]"));
        assertTrue(unitSection.contains("StartLimitIntervalSec="), "StartLimit* belong in [Unit]");
        assertTrue(unitSection.contains("StartLimitBurst="));
        assertTrue(unitSection.contains("ConditionPathExists=/etc/checkpoint-kiosk/kiosk.properties"),
                "no start before provisioning");
        for (String line : List.of("Type=notify", "WatchdogSec=", "Restart=on-failure", "RestartSec=",
                "RestartPreventExitStatus=78", "User=kiosk", "StateDirectory=", "ConfigurationDirectory=",
                "LogsDirectory=", "ProtectSystem=strict", "PrivateTmp=yes", "NoNewPrivileges=yes",
                "DevicePolicy=closed", "DeviceAllow=char-i2c rw", "DeviceAllow=char-gpiochip rw",
                "DeviceAllow=char-video4linux rw", "RestrictAddressFamilies=", "SystemCallFilter=@system-service")) {
            assertTrue(unit.lines().anyMatch(l -> l.startsWith(line)), line);
        }
        assertFalse(unit.lines().anyMatch(l -> l.startsWith("MemoryDenyWriteExecute=")), "breaks the JVM's JIT");
        assertFalse(unit.lines().anyMatch(l -> l.startsWith("PrivateDevices=")), "hides the kiosk's hardware");
    }

    @Test
    void aStopBySystemdIsASuccessNotAFailure() throws IOException {
        // The JVM exits 128 + 15 when SIGTERM ends it, after its shutdown hook drained the outbox and closed the lane.
        String unit = Files.readString(UNIT);
        assertTrue(unit.lines().anyMatch(l -> l.matches("SuccessExitStatus=.*\\b143\\b.*")), "SuccessExitStatus=143");
    }

    @Test
    void theKioskMayReadTheKernelClockStateButNeverSetTheClock() throws IOException {
        String unit = Files.readString(UNIT);
        assertTrue(unit.lines().anyMatch(l -> l.equals("SystemCallFilter=adjtimex")), "adjtimex is allowed");
        assertFalse(unit.lines().anyMatch(l -> l.startsWith("ProtectClock=yes")), "ProtectClock= forbids adjtimex");
        assertTrue(unit.lines().anyMatch(l -> l.equals("CapabilityBoundingSet=")), "no CAP_SYS_TIME: read only");
        assertFalse(unit.contains("char-rtc"), "no access to the RTC");
    }

    @Test
    void theJvmGetsAPiSizedHeapJournaldLoggingAndNativeLibrariesOutsideTmp() throws IOException {
        String unit = Files.readString(UNIT);
        assertTrue(unit.contains("-Xmx64m"));
        assertTrue(unit.contains("-Dtinylog.configuration=/usr/share/checkpoint-kiosk/tinylog-journald.properties"));
        assertTrue(unit.contains("-Dorg.sqlite.tmpdir=/var/lib/checkpoint-kiosk/tmp"));
        assertTrue(unit.contains("-Djna.tmpdir=/var/lib/checkpoint-kiosk/tmp"));
        assertTrue(unit.contains("StateDirectory=checkpoint-kiosk checkpoint-kiosk/tmp"), "systemd makes tmp/ for the user");
        String tinylog = Files.readString(ROOT.resolve("systemd/tinylog-journald.properties"));
        String format = tinylog.lines().filter(l -> l.startsWith("writer.format")).findFirst().orElseThrow();
        assertFalse(format.contains("{date"), "journald stamps the time itself: " + format);
        assertEquals("writer = console", tinylog.lines().filter(l -> l.startsWith("writer ")).findFirst().orElseThrow());
    }
}
