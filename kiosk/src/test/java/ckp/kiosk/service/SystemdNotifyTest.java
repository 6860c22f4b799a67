package ckp.kiosk.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify datagrams checked by a real UNIX datagram listener (Python), on a path and an abstract address. */
class SystemdNotifyTest {
    /** Binds a datagram socket, prints "bound", then prints each datagram received, one per line. */
    private static final String LISTENER = """
            import socket, sys
            addr = sys.argv[1]
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind('\\0' + addr[1:] if addr.startswith('@') else addr)
            print('bound', flush=True)
            s.settimeout(float(sys.argv[2]))
            try:
                while True:
                    print(s.recv(4096).decode(), flush=True)
            except socket.timeout:
                pass
            """;

    @TempDir
    Path dir;

    @Test
    void readyStatusAndStoppingReachAListenerOnAPathSocket() throws Exception {
        String address = dir.resolve("notify").toString();
        List<String> got = exchange(address, "1", n -> {
            assertTrue(n.ready());
            assertTrue(n.status("queue 0"));
            assertTrue(n.stopping());
        });
        assertEquals(List.of("READY=1", "STATUS=queue 0", "STOPPING=1"), got);
    }

    @Test
    void anAbstractAddressAsSystemdHandsOutWorks() throws Exception {
        String address = "@ckp-notify-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        List<String> got = exchange(address, "1", n -> assertTrue(n.watchdog()));
        assertEquals(List.of("WATCHDOG=1"), got);
    }

    @Test
    void aMissingSocketIsReportedAsNotSentNotThrown() {
        assertFalse(new SystemdNotify(dir.resolve("nobody-listens").toString()).ready());
    }

    @Test
    void progressMeansNewFramesOrAKnownIdleCamera() {
        AtomicLong frames = new AtomicLong();
        AtomicBoolean idle = new AtomicBoolean();
        PipelineProgress p = new PipelineProgress(frames::get, idle::get, () -> 0);
        frames.set(3);
        assertTrue(p.getAsBoolean(), "frames arrived");
        assertFalse(p.getAsBoolean(), "no new frame since: a hung camera");
        idle.set(true);
        assertTrue(p.getAsBoolean(), "the source ended: idle, not hung");
    }

    @Test
    void theWatchdogPingsOnlyAfterChecksThatSawProgress() throws Exception {
        String address = dir.resolve("watchdog").toString();
        java.util.Deque<Boolean> script = new java.util.ArrayDeque<>(List.of(true, false, false, true, true, false));
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        List<String> got = exchange(address, "1", n -> {
            try (Watchdog w = new Watchdog(n, Duration.ofMillis(20), () -> {
                Boolean next = script.poll();
                if (next == null) {
                    done.countDown();
                    return false;
                }
                if (next) {
                    n.status("passed");
                }
                return next;
            })) {
                w.start();
                assertTrue(done.await(10, TimeUnit.SECONDS));
            }
        });
        assertEquals(List.of("STATUS=passed", "WATCHDOG=1", "STATUS=passed", "WATCHDOG=1", "STATUS=passed",
                "WATCHDOG=1"), got);
    }

    @Test
    void aStoreThatThrowsStopsTheWatchdog() {
        PipelineProgress p = new PipelineProgress(() -> 1, () -> true, () -> {
            throw new IllegalStateException("database is locked");
        });
        try {
            p.getAsBoolean();
        } catch (IllegalStateException expected) {
            return;
        }
        throw new AssertionError("a store that cannot answer must not count as progress");
    }

    interface Sender {
        void send(SystemdNotify n) throws Exception;
    }

    /** Starts the listener on {@code address}, runs {@code sender}, returns the datagrams the listener received. */
    private List<String> exchange(String address, String idleSeconds, Sender sender) throws Exception {
        Path script = dir.resolve("listener.py");
        Files.writeString(script, LISTENER);
        Process p = new ProcessBuilder("python3", script.toString(), address, idleSeconds).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            assertEquals("bound", r.readLine());
            sender.send(new SystemdNotify(address));
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            List<String> lines = new ArrayList<>();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
            return lines;
        } finally {
            p.destroyForcibly();
        }
    }
}
