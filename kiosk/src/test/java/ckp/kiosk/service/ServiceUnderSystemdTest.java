package ckp.kiosk.service;

import ckp.kiosk.fixtures.Await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.fixtures.MosquittoBroker;
import ckp.kiosk.fixtures.KioskConfigFile;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real service process as systemd runs it (Type=notify, WatchdogSec): {@code NOTIFY_SOCKET} is an abstract
 * address with a Python datagram listener behind it; the kiosk must say READY=1, keep feeding WATCHDOG=1 while its
 * camera delivers frames, and say STOPPING=1 on SIGTERM.
 */
class ServiceUnderSystemdTest {
    private static final String LISTENER = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind('\\0' + sys.argv[1][1:])
            print('bound', flush=True)
            s.settimeout(120)
            while True:
                print(s.recv(4096).decode().replace('\\n', ' '), flush=True)
            """;

    @TempDir
    Path dir;

    @Test
    void theServiceSaysReadyFeedsTheWatchdogWhileFramesFlowAndSaysStoppingOnSigterm() throws Exception {
        Path frames = KioskConfigFile.frames(dir);
        // No broker listens there: the store and pipeline still run, and that is what READY and WATCHDOG vouch for.
        Path config = KioskConfigFile.write(dir, "tcp://127.0.0.1:" + MosquittoBroker.freePort(), frames,
                Optional.empty(), Optional.empty(), "36.6", 10, 2, true);
        Path script = dir.resolve("listener.py");
        Files.writeString(script, LISTENER);
        String address = "@ckp-service-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Process listener = new ProcessBuilder("python3", script.toString(), address).redirectErrorStream(true).start();
        Process kiosk = null;
        try {
            BlockingQueue<String> got = lines(listener);
            assertEquals("bound", got.poll(Await.GENEROUS.toSeconds(), TimeUnit.SECONDS));
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-cp", System.getProperty("java.class.path"), "ckp.kiosk.Main", "run",
                    "--config", config.toString(), "--assume-clock-synced")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("kiosk.out").toFile());
            pb.environment().put("NOTIFY_SOCKET", address);
            pb.environment().put("WATCHDOG_USEC", "600000");
            kiosk = pb.start();

            assertEquals("READY=1", got.poll(Await.GENEROUS.toSeconds(), TimeUnit.SECONDS), () -> output());
            for (int i = 0; i < 3; i++) {
                assertEquals("WATCHDOG=1", got.poll(Await.GENEROUS.toSeconds(), TimeUnit.SECONDS), () -> output());
            }
            kiosk.destroy();
            String message = got.poll(Await.GENEROUS.toSeconds(), TimeUnit.SECONDS);
            while ("WATCHDOG=1".equals(message)) {
                message = got.poll(Await.GENEROUS.toSeconds(), TimeUnit.SECONDS);
            }
            assertNotNull(message, "nothing after SIGTERM");
            assertEquals("STOPPING=1", message, () -> output());
            assertTrue(kiosk.waitFor(Await.GENEROUS.toSeconds(), TimeUnit.SECONDS), "the service stops after SIGTERM");
            // The JVM ends a SIGTERM stop with 128 + 15; the unit must count that as success, not a failure.
            String unit = Files.readString(Path.of(System.getProperty("ckp.root", "..")).resolve(
                    "systemd/checkpoint-kiosk.service"));
            int status = kiosk.exitValue();
            assertTrue(status == 0 || unit.lines().anyMatch(l -> l.startsWith("SuccessExitStatus=")
                    && List.of(l.substring("SuccessExitStatus=".length()).split("\\s+")).contains("" + status)),
                    "exit status " + status + " after SIGTERM is a success for the unit");
        } finally {
            if (kiosk != null) {
                kiosk.destroyForcibly();
            }
            listener.destroyForcibly();
        }
    }

    private String output() {
        try {
            return Files.readString(dir.resolve("kiosk.out"));
        } catch (java.io.IOException e) {
            return "(no output)";
        }
    }

    private static BlockingQueue<String> lines(Process p) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    q.add(line.strip());
                }
            } catch (java.io.IOException ended) {
                // The listener was stopped.
            }
        });
        return q;
    }
}
