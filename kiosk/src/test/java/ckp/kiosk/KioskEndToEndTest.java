package ckp.kiosk;

import ckp.kiosk.fixtures.Await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.fixtures.MessageSchema;
import ckp.kiosk.fixtures.Mqtt;
import ckp.kiosk.fixtures.QrFrames;
import ckp.kiosk.fixtures.TestIssuer;
import ckp.kiosk.fixtures.MosquittoBroker;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation's promise, end to end: {@code kiosk run} as a real process on a folder of frames, a real Mosquitto,
 * and an independent subscriber that must receive exactly one event per pass code, with the right fields, in seq
 * order.
 */
class KioskEndToEndTest {
    /** The test's own marker topic, inside the subscription, never the kiosk's. */
    private static final String MARKER = "ckp/v1/test/marker";

    @TempDir
    Path dir;

    @Test
    void everyPassCodeInTheFramesReachesAnIndependentSubscriberExactlyOnceInSeqOrder() throws Exception {
        TestIssuer issuer = new TestIssuer("e2e1");
        TestIssuer forger = new TestIssuer("e2e1");
        Path trust = dir.resolve("trust");
        issuer.writePublicKey(trust);
        Files.writeString(dir.resolve("deny.txt"), "E2E-REVOKED\n");

        Path frames = Files.createDirectories(dir.resolve("frames"));
        String valid = issuer.validPass("E2E-VALID", "鲁L12345");
        String fever = issuer.validPass("E2E-FEVER", "京A00001");
        String expired = issuer.pass("E2E-EXPIRED", "P", null, 1_500_000_000L, 1_600_000_000L);
        String revoked = issuer.validPass("E2E-REVOKED", null);
        String forged = forger.validPass("E2E-FORGED", null);
        String url = "https://example.org/not-a-pass";
        QrFrames.write(frames.resolve("00.png"), null);
        QrFrames.write(frames.resolve("01.png"), valid);
        // The same code in the next image is the same vehicle still holding up its pass: no second event.
        QrFrames.write(frames.resolve("02.png"), valid);
        QrFrames.write(frames.resolve("03.png"), null);
        QrFrames.write(frames.resolve("04.png"), fever);
        QrFrames.write(frames.resolve("05.png"), url);
        QrFrames.write(frames.resolve("06.png"), expired);
        QrFrames.write(frames.resolve("07.png"), revoked);
        QrFrames.write(frames.resolve("08.png"), forged);
        QrFrames.write(frames.resolve("09.png"), null);
        // Each image stays in view for a second (10 frames at 10 fps), as a driver would hold a pass up: even on a
        // loaded machine some frame of it gets decoded, and the scanner may drop the others.

        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"), List.of());
             Mqtt central = Mqtt.subscribe(broker.uri(), "ckp/v1/#")) {
            Path config = dir.resolve("kiosk.properties");
            Files.writeString(config, String.join("\n",
                    "kiosk.id=k-e2e", "kiosk.site=site-a", "kiosk.lane=lane-2",
                    "mqtt.uris=" + broker.uri(),
                    "store.path=" + dir.resolve("events.db"),
                    "camera.source=files", "camera.files.dir=frames", "camera.files.fps=10",
                    "camera.files.hold=10", "camera.files.loop=false",
                    "thermometer.type=sim", "thermometer.sim.readings=36.6,38.1,36.5,36.7,36.8,36.9",
                    "pass.trust.dir=trust", "pass.denylist.file=deny.txt",
                    "lane.signal.ms=0", "shutdown.drain.seconds=20", ""), StandardCharsets.UTF_8);

            Process kiosk = KioskProcess.start(dir, "run", "--config", config.toString(), "--assume-clock-synced");
            assertTrue(kiosk.waitFor(2, TimeUnit.MINUTES), "kiosk did not finish the frames within 2 minutes");
            assertEquals(0, kiosk.exitValue(), "kiosk exit status; its output:\n" + KioskProcess.output(dir));

            List<Mqtt.Received> events = central.await(r -> r.topic().equals("ckp/v1/site-a/lane-2/k-e2e/event"), 6,
                    Duration.ofSeconds(10));
            central.awaitEverythingBefore(MARKER, Await.GENEROUS); // anything extra is here now
            events = central.received().stream()
                    .filter(r -> r.topic().equals("ckp/v1/site-a/lane-2/k-e2e/event")).toList();

            List<String> passIds = new ArrayList<>();
            List<String> decisions = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                JsonNode e = events.get(i).json();
                assertEquals(i + 1, e.get("seq").asInt(), "events arrive in seq order, gapless, from 1");
                assertTrue(e.get("id").asText().matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"),
                        "id is a UUIDv7: " + e.get("id"));
                assertEquals("k-e2e", e.get("kiosk").asText());
                assertEquals("site-a", e.get("site").asText());
                assertEquals("lane-2", e.get("lane").asText());
                assertTrue(e.get("time").asText().endsWith("Z"), "time is UTC ISO-8601");
                passIds.add(e.get("pass").get("id").isNull() ? e.get("pass").get("result").asText()
                        : e.get("pass").get("id").asText());
                decisions.add(e.get("pass").get("result").asText() + "/" + e.get("temperature").get("result").asText()
                        + "->" + e.get("decision").asText());
            }
            assertEquals(List.of("E2E-VALID", "E2E-FEVER", "foreign", "E2E-EXPIRED", "E2E-REVOKED", "E2E-FORGED"), passIds);
            assertEquals(List.of("valid/normal->pass", "valid/fever->stop", "foreign/normal->manual",
                    "expired/normal->manual", "revoked/normal->stop", "bad_signature/normal->stop"), decisions);
            JsonNode first = events.get(0).json();
            assertEquals("F", first.get("pass").get("cls").asText());
            assertEquals("鲁L***45", first.get("pass").get("plate").asText(), "plates are masked by default");
            assertEquals(36.6, first.get("temperature").get("celsius").asDouble(), 0.02, "the MLX90614 reads in 0.02 K steps");
            assertTrue(!events.toString().contains(valid), "the raw pass text is never published");

            for (Mqtt.Received r : central.received().stream().filter(r -> !r.topic().equals(MARKER)).toList()) {
                MessageSchema.forTopic(r.topic()).assertValid(r.json().toString().getBytes(StandardCharsets.UTF_8));
            }
            List<Mqtt.Received> status = central.received().stream()
                    .filter(r -> r.topic().equals("ckp/v1/site-a/lane-2/k-e2e/status")).toList();
            assertEquals("online", status.get(0).json().get("state").asText());
            assertEquals("offline", status.get(status.size() - 1).json().get("state").asText(),
                    "a clean stop leaves the retained status offline");
        }

        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("events.db"));
             Statement s = db.createStatement();
             ResultSet rs = s.executeQuery(
                     "SELECT count(*), count(acked_ms) FROM messages WHERE class = 'event'")) {
            rs.next();
            assertEquals(6, rs.getInt(1), "six events committed");
            assertEquals(6, rs.getInt(2), "all six acknowledged by the broker");
        }
    }

    /** Runs the kiosk's Main in a child JVM with this test's classpath. */
    static final class KioskProcess {
        static Process start(Path dir, String... args) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add("ckp.kiosk.Main");
            cmd.addAll(List.of(args));
            return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("kiosk.out").toFile()).start();
        }

        static String output(Path dir) throws IOException {
            return Files.readString(dir.resolve("kiosk.out"));
        }
    }
}
