package ckp.kiosk;

import ckp.kiosk.fixtures.Await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.fixtures.MessageSchema;
import ckp.kiosk.fixtures.Mqtt;
import ckp.kiosk.fixtures.QrFrames;
import ckp.kiosk.fixtures.TestIssuer;
import ckp.kiosk.fixtures.TestSiteAuthority;
import ckp.kiosk.rules.PlateWatchFeed;
import ckp.kiosk.fixtures.MosquittoBroker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site's plate watch rules through a real Mosquitto: retained signed rules reach a kiosk that starts after them;
 * unsigned, broken and older messages are refused (alarmed, counted in telemetry) and the rules in force kept; a
 * restart with the broker gone starts from the cache.
 */
class PlateWatchRulesOverMqttTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "ckp/v1/site-r/lane-1/k-rules";
    private static final String RULES_TOPIC = "ckp/v1/site-r/rules";
    static final String RULES_V3 = "{\"version\":3,\"issued\":\"2026-11-30T06:00:00Z\",\"plateWatch\":["
            + "{\"prefix\":\"鄂A\",\"decision\":\"manual\"},{\"prefix\":\"湘\",\"decision\":\"manual\"},"
            + "{\"prefix\":\"黑B\",\"decision\":\"stop\"}]}";

    @TempDir
    Path dir;

    @Test
    void retainedRulesArriveBadOrOlderOnesAreRefusedAndARestartWithoutTheBrokerKeepsThem() throws Exception {
        TestSiteAuthority site = new TestSiteAuthority("central");
        site.writePublicKey(dir.resolve("site-trust"));
        TestIssuer issuer = new TestIssuer("i1");
        issuer.writePublicKey(dir.resolve("trust"));
        Path frames = Files.createDirectories(dir.resolve("frames"));
        QrFrames.write(frames.resolve("00.png"), null);
        Path config;
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"), List.of());
             Mqtt central = Mqtt.subscribe(broker.uri(), BASE + "/#")) {
            MqttClient operator = new MqttClient(broker.uri(), "central-operator", new MemoryPersistence());
            operator.connect(new MqttConnectionOptions());
            // Published before the kiosk starts: it arrives as the retained message on the kiosk's subscription.
            operator.publish(RULES_TOPIC, new MqttMessage(site.signedBytes(RULES_V3), 1, true, null));
            BlockingQueue<MqttMessage> replies = new LinkedBlockingQueue<>();
            operator.subscribe(new MqttSubscription[] {new MqttSubscription("ckp/v1/reply/central", 1)},
                    new IMqttMessageListener[] {(t, m) -> replies.add(m)});
            config = Files.writeString(dir.resolve("kiosk.properties"), String.join("\n",
                    "kiosk.id=k-rules", "kiosk.site=site-r", "kiosk.lane=lane-1", "mqtt.uris=" + broker.uri(),
                    "store.path=events.db", "camera.source=files", "camera.files.dir=frames",
                    "camera.files.fps=5", "camera.files.loop=true", "thermometer.type=sim",
                    "thermometer.sim.readings=36.6", "pass.trust.dir=trust", "site.trust.dir=site-trust",
                    "telemetry.interval.seconds=5", "lane.signal.ms=0", "shutdown.drain.seconds=2", ""));
            KioskConfig kc = KioskConfig.load(config);
            try (Kiosk kiosk = new Kiosk(kc, Devices.from(kc, new PrintStream(new ByteArrayOutputStream())),
                    ClockStatus.system(true))) {
                assertEquals(0, kiosk.rules().siteRules().version(), "nothing cached yet");
                Thread service = Thread.ofPlatform().start(() -> {
                    try {
                        kiosk.run();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                await("the retained rules arrive", () -> kiosk.rules().siteRules().version() == 3);
                JsonNode rules = ask(operator, replies, "rules");
                assertEquals(3, rules.path("result").path("version").asInt(), rules.toString());
                assertEquals(3, rules.path("result").path("entries").asInt(), rules.toString());
                assertEquals("site", rules.path("result").path("source").asText(), rules.toString());
                assertTrue(Files.exists(dir.resolve("rules.json")), "cached beside the store");

                // Anyone who can publish on the topic: unsigned rules with a huge version lifting every watch.
                operator.publish(RULES_TOPIC, new MqttMessage(
                        "{\"version\":9223372036854775807,\"plateWatch\":[]}".getBytes(StandardCharsets.UTF_8), 1,
                        true, null));
                await("the unsigned rules are refused", () -> kiosk.rulesFeed().refusedCount() >= 1);
                List<Mqtt.Received> refusal = central.await(r -> r.topic().equals(BASE + "/alarm")
                        && r.json().path("alarm").asText().equals("site-message-refused"), 1, Await.GENEROUS);
                assertEquals(1, refusal.size(), "the refusal is alarmed");
                assertEquals(RULES_TOPIC, refusal.getFirst().json().path("detail").path("topic").asText());
                assertEquals("rules", refusal.getFirst().json().path("detail").path("kind").asText());
                assertEquals(3, kiosk.rules().siteRules().version(), "the rules in force stay");

                // Signed, but a broken document (a prefix that is no province): refused whole.
                operator.publish(RULES_TOPIC, new MqttMessage(site.signedBytes("{\"version\":10,\"plateWatch\":["
                        + "{\"prefix\":\"鄂A\",\"decision\":\"pass\"}]}"), 1, true, null));
                await("the broken rules are refused", () -> kiosk.rulesFeed().refusedCount() >= 2);
                // A message cut short on its way: no JWS at all.
                byte[] whole = site.signedBytes("{\"version\":11,\"plateWatch\":[]}");
                operator.publish(RULES_TOPIC, new MqttMessage(java.util.Arrays.copyOf(whole, whole.length - 9), 1,
                        true, null));
                await("the cut message is refused", () -> kiosk.rulesFeed().refusedCount() >= 3);
                assertEquals(3, kiosk.rules().siteRules().version());

                // An old retained message (a slow publisher, a restored broker) never rolls the kiosk back.
                operator.publish(RULES_TOPIC, new MqttMessage(site.signedBytes("{\"version\":2,\"plateWatch\":[]}"),
                        1, true, null));
                await("the older rules are ignored", () -> kiosk.rulesFeed().lastUpdate().map(u ->
                        u.result() == PlateWatchFeed.Result.STALE && u.version() == 2).orElse(false));
                assertEquals(3, kiosk.rules().siteRules().version());
                assertEquals(3, kiosk.rules().siteRules().rules().size());
                JsonNode after = ask(operator, replies, "rules");
                assertEquals("stale", after.path("result").path("lastMessage").path("result").asText(), after.toString());
                assertTrue(after.path("result").path("refused").asInt() >= 3, after.toString());

                List<Mqtt.Received> telemetry = central.await(r -> r.topic().equals(BASE + "/telemetry")
                        && r.json().path("rules").path("refused").asInt() >= 3, 1, Await.GENEROUS);
                assertEquals(1, telemetry.size(), "telemetry shows the refusals");
                JsonNode t = telemetry.getFirst().json();
                assertEquals(3, t.path("rules").path("version").asInt(), t.toString());
                assertEquals(3, t.path("rules").path("entries").asInt(), t.toString());
                assertTrue(t.path("alarms").toString().contains("site-message-refused:rules"), t.toString());

                kiosk.stop();
                service.join(Await.GENEROUS.toMillis());
            } finally {
                operator.disconnect();
                operator.close();
            }
            for (Mqtt.Received r : central.received()) {
                if (!r.topic().contains("/cmd/")) {
                    MessageSchema.forTopic(r.topic()).assertValid(r.json().toString().getBytes(StandardCharsets.UTF_8));
                }
            }
        }

        // The broker is gone: a restart still decides with version 3, from the cache. A valid pass whose plate is
        // under the 黑B stop rule gets the red light (it would be green without the rules).
        QrFrames.write(frames.resolve("10.png"), issuer.validPass("R-HB", "黑B11111"));
        KioskConfig kc = KioskConfig.load(config);
        ByteArrayOutputStream lights = new ByteArrayOutputStream();
        try (Kiosk restarted = new Kiosk(kc, Devices.from(kc, new PrintStream(lights, true, StandardCharsets.UTF_8)),
                ClockStatus.system(true))) {
            assertEquals(3, restarted.rules().siteRules().version());
            assertEquals(3, restarted.rules().siteRules().rules().size());
            assertEquals("site", restarted.rules().source());
            Thread service = Thread.ofPlatform().start(() -> {
                try {
                    restarted.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            await("the watched plate is stopped with the broker gone",
                    () -> lights.toString(StandardCharsets.UTF_8).contains("light RED"));
            assertTrue(!lights.toString(StandardCharsets.UTF_8).contains("light GREEN"), lights.toString());
            restarted.stop();
            service.join(Await.GENEROUS.toMillis());
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Await.GENEROUS.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "not within " + Await.GENEROUS.toSeconds() + " s: " + what);
            Thread.sleep(20);
        }
    }

    private static JsonNode ask(MqttClient operator, BlockingQueue<MqttMessage> replies, String command)
            throws Exception {
        MqttProperties p = new MqttProperties();
        p.setResponseTopic("ckp/v1/reply/central");
        p.setCorrelationData(command.getBytes(StandardCharsets.UTF_8));
        operator.publish(BASE + "/cmd/" + command, new MqttMessage("{}".getBytes(StandardCharsets.UTF_8), 1, false, p));
        MqttMessage reply = replies.poll(Await.GENEROUS.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(reply, "no reply to " + command);
        return JSON.readTree(reply.getPayload());
    }
}
