package ckp.kiosk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.fixtures.MessageSchema;
import ckp.kiosk.fixtures.Mqtt;
import ckp.kiosk.fixtures.QrFrames;
import ckp.kiosk.fixtures.TestIssuer;
import ckp.kiosk.fixtures.TestSiteAuthority;
import ckp.kiosk.fixtures.MosquittoBroker;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's acceptance run: {@code kiosk run} as a real process, a real Mosquitto holding the site's signed rules
 * (鄂A manual, 湘 manual, 黑B stop) retained before the start. Plates 鄂A12345 and 湘B00001 get manual and 黑B11111
 * stop, each with {@code plate_watch}; 鲁L…, 鄂B… and 黑A… pass; no message holds a full plate; and a restart that
 * meets a broken retained rules message decides the same, from the cached rules.
 */
class PlateWatchEndToEndTest {
    private static final String BASE = "ckp/v1/site-e/lane-1/k-watch";
    private static final String RULES_TOPIC = "ckp/v1/site-e/rules";
    /** Pass id → plate, and the decision each must get with the rules in force. */
    private static final Map<String, String> PLATES = new LinkedHashMap<>();
    private static final Map<String, String> EXPECTED = new TreeMap<>();

    static {
        PLATES.put("W-EA", "鄂A12345");
        PLATES.put("W-XB", "湘B00001");
        PLATES.put("W-HB", "黑B11111");
        PLATES.put("W-LL", "鲁L12345");
        PLATES.put("W-EB", "鄂B54321");
        PLATES.put("W-HA", "黑A99999");
        EXPECTED.put("W-EA", "manual [plate_watch] 鄂A");
        EXPECTED.put("W-XB", "manual [plate_watch] 湘");
        EXPECTED.put("W-HB", "stop [plate_watch] 黑B");
        EXPECTED.put("W-LL", "pass [] null");
        EXPECTED.put("W-EB", "pass [] null");
        EXPECTED.put("W-HA", "pass [] null");
    }

    @TempDir
    Path dir;

    @Test
    void watchedPlatesAreHeldUnwatchedOnesPassAndARestartMeetingABrokenRulesMessageDecidesTheSame()
            throws Exception {
        TestIssuer issuer = new TestIssuer("e2e-w");
        issuer.writePublicKey(dir.resolve("trust"));
        TestSiteAuthority site = new TestSiteAuthority("central");
        site.writePublicKey(dir.resolve("site-trust"));
        Path frames = Files.createDirectories(dir.resolve("frames"));
        int n = 0;
        for (Map.Entry<String, String> p : PLATES.entrySet()) {
            QrFrames.write(frames.resolve(String.format("%02d.png", n++)), issuer.validPass(p.getKey(), p.getValue()));
            QrFrames.write(frames.resolve(String.format("%02d.png", n++)), null);
        }

        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"), List.of())) {
            Path config = Files.writeString(dir.resolve("kiosk.properties"), String.join("\n",
                    "kiosk.id=k-watch", "kiosk.site=site-e", "kiosk.lane=lane-1", "mqtt.uris=" + broker.uri(),
                    "store.path=" + dir.resolve("events.db"), "camera.source=files", "camera.files.dir=frames",
                    "camera.files.fps=10", "camera.files.hold=10", "camera.files.loop=true",
                    "thermometer.type=sim", "thermometer.sim.readings=36.6", "pass.trust.dir=trust",
                    "site.trust.dir=site-trust", "lane.signal.ms=0", "shutdown.drain.seconds=20", ""));
            publishRetained(broker, site.signedBytes(PlateWatchRulesOverMqttTest.RULES_V3));

            // First run: the rules arrive retained on connect. Frames loop, so every pass is seen again after the
            // rules are in force, whenever that is on this machine; events decided before carry rulesVersion 0.
            Map<String, String> first = run(config, broker, false);
            assertEquals(EXPECTED, first);

            // A broken message now sits retained on the rules topic: the restart refuses it and keeps version 3.
            byte[] broken = site.signedBytes(PlateWatchRulesOverMqttTest.RULES_V3.replace("3,", "4,"));
            broken[broken.length / 2] ^= 0x01;
            publishRetained(broker, broken);
            Map<String, String> second = run(config, broker, true);
            assertEquals(EXPECTED, second, "the same decisions after the restart");
        }
    }

    /**
     * Runs the kiosk until each pass has an event decided with rules version 3, stops it (SIGTERM) and returns each
     * pass's decision, reasons and matched prefix.
     *
     * @param fromCache the rules must be in force from the first event on (read from the cache at start)
     */
    private Map<String, String> run(Path config, MosquittoBroker broker, boolean fromCache) throws Exception {
        Map<String, String> decided = new TreeMap<>();
        try (Mqtt central = Mqtt.subscribe(broker.uri(), BASE + "/#")) {
            Process kiosk = KioskEndToEndTest.KioskProcess.start(dir, "run", "--config", config.toString(),
                    "--assume-clock-synced");
            try {
                long end = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (decided.size() < PLATES.size() && System.nanoTime() < end && kiosk.isAlive()) {
                    central.await(r -> false, 1, Duration.ofMillis(500));
                    for (Mqtt.Received r : central.received()) {
                        JsonNode e = r.json();
                        if (!r.topic().equals(BASE + "/event")
                                || e.path("plateWatch").path("rulesVersion").asLong() != 3) {
                            continue;
                        }
                        String verdict = e.path("decision").asText() + " " + e.path("reasons") .toString()
                                .replace("\"", "").replace(",", ", ") + " " + e.path("plateWatch").path("prefix")
                                .asText("null");
                        String id = e.path("pass").path("id").asText();
                        String before = decided.putIfAbsent(id, verdict);
                        assertTrue(before == null || before.equals(verdict), id + ": " + before + " then " + verdict);
                    }
                }
            } finally {
                kiosk.destroy();
                assertTrue(kiosk.waitFor(2, TimeUnit.MINUTES), "kiosk did not stop");
            }
            String output = KioskEndToEndTest.KioskProcess.output(dir);
            assertEquals(PLATES.size(), decided.size(), "every pass decided with rules version 3: " + decided
                    + "\nkiosk output:\n" + output);

            List<Mqtt.Received> all = central.received();
            for (Mqtt.Received r : all) {
                String text = r.json().toString();
                for (String plate : PLATES.values()) {
                    assertFalse(text.contains(plate), "a full plate in " + r.topic() + ": " + text);
                }
                MessageSchema.forTopic(r.topic()).assertValid(text.getBytes(StandardCharsets.UTF_8));
            }
            for (String plate : PLATES.values()) {
                assertFalse(output.contains(plate), "a full plate in the log");
            }
            List<Mqtt.Received> events = all.stream().filter(r -> r.topic().equals(BASE + "/event")).toList();
            for (Mqtt.Received r : events) {
                JsonNode e = r.json();
                String plate = e.path("pass").path("plate").asText();
                assertTrue(plate.matches("..\\*\\*\\*..") , "masked: " + plate);
                if (fromCache) {
                    assertEquals(3, e.path("plateWatch").path("rulesVersion").asInt(),
                            "after a restart the cached rules are in force from the first vehicle: " + e);
                }
            }
            if (fromCache) {
                List<Mqtt.Received> refusal = central.await(r -> r.topic().equals(BASE + "/alarm")
                        && r.json().path("alarm").asText().equals("site-message-refused")
                        && r.json().path("detail").path("topic").asText().equals(RULES_TOPIC), 1,
                        Duration.ofSeconds(1));
                assertEquals(1, refusal.size(), "the broken retained rules were refused and alarmed");
            }
        }
        return decided;
    }

    private static void publishRetained(MosquittoBroker broker, byte[] payload) throws Exception {
        MqttClient operator = new MqttClient(broker.uri(), "central-" + System.nanoTime(), new MemoryPersistence());
        operator.connect(new MqttConnectionOptions());
        operator.publish(RULES_TOPIC, new MqttMessage(payload, 1, true, null));
        operator.disconnect();
        operator.close();
    }
}
