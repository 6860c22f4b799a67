package ckp.kiosk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.KioskEndToEndTest.KioskProcess;
import ckp.kiosk.fixtures.Await;
import ckp.kiosk.fixtures.QrFrames;
import ckp.kiosk.fixtures.TestCa;
import ckp.kiosk.fixtures.MosquittoBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 6: {@code kiosk run} against a TLS broker whose certificate names another host logs the cause once
 * per connection try (it was logged twice, as "Untranslated MqttException - RC: 0").
 */
class TlsFailureLogTest {
    @TempDir
    Path dir;

    @Test
    void eachFailedTryLogsItsTlsCauseOnce() throws Exception {
        TestCa ca = TestCa.create(dir.resolve("ca"), "fleet-ca");
        Path[] server = ca.issue("broker", "DNS:broker.example.org");
        int port = MosquittoBroker.freePort();
        Path frames = Files.createDirectories(dir.resolve("frames"));
        QrFrames.write(frames.resolve("00.png"), null);
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"), List.of(
                "listener " + port + " 127.0.0.1", "cafile " + ca.cert, "certfile " + server[0],
                "keyfile " + server[1], "require_certificate false"))) {
            Path config = Files.writeString(dir.resolve("kiosk.properties"), String.join("\n",
                    "kiosk.id=k-tlslog", "kiosk.site=s", "kiosk.lane=l", "mqtt.uris=ssl://127.0.0.1:" + port,
                    "mqtt.tls.ca=" + ca.cert, "mqtt.reconnect.max.seconds=1",
                    "store.path=events.db", "camera.source=files", "camera.files.dir=frames",
                    "camera.files.fps=10", "camera.files.loop=true", "thermometer.type=sim",
                    "thermometer.sim.readings=36.6", "pass.mode=record", "pass.hash.salt.file=salt", ""));
            Files.writeString(dir.resolve("salt"), "0123456789abcdef0123456789abcdef\n");
            Process kiosk = KioskProcess.start(dir, "run", "--config", config.toString(), "--assume-clock-synced");
            try {
                Await.until("three finished tries, or the kiosk's end",
                        () -> tries(KioskProcess.output(dir)) >= 3 || !kiosk.isAlive());
            } finally {
                kiosk.destroy();
                assertTrue(kiosk.waitFor(Await.GENEROUS.toSeconds(), TimeUnit.SECONDS), "the kiosk stops on SIGTERM");
            }
            String out = KioskProcess.output(dir);
            int tries = tries(out);
            assertTrue(tries >= 3, "the kiosk keeps trying; output:\n" + out);
            long causes = out.lines().filter(l -> l.contains("does not name the host name 127.0.0.1")).count();
            assertTrue(causes == tries || causes == tries + 1, "one cause line per try (a last try may be under way "
                    + "at the stop): " + causes + " for " + tries + " tries; output:\n" + out);
            assertEquals(0, out.lines().filter(l -> l.contains("Untranslated")).count(), out);
        }
    }

    /** Finished tries: each ends with one "next try in" line. */
    private static int tries(String output) {
        return (int) output.lines().filter(l -> l.contains("next try in")).count();
    }
}
