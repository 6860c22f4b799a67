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
 * The service's wiring between stages, through a real broker: a corrupt store file is set aside and reported, the
 * site's retained signed deny list reaches the pass check, an unsigned one is refused and alarmed, and the
 * {@code trust}, {@code denylist} and {@code selftest} commands reach the stages that answer them.
 */
class KioskWiringTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "ckp/v1/site-w/lane-1/k-wire";

    @TempDir
    Path dir;

    @Test
    void theRetainedSiteDenyListRevokesAPassAndCommandsReachTheirStages() throws Exception {
        TestIssuer issuer = new TestIssuer("w1");
        issuer.writePublicKey(dir.resolve("trust"));
        TestSiteAuthority site = new TestSiteAuthority("central");
        site.writePublicKey(dir.resolve("site-trust"));
        Path frames = Files.createDirectories(dir.resolve("frames"));
        // Three seconds of empty frames give the kiosk time to connect and receive the retained deny list.
        for (int i = 0; i < 3; i++) {
            QrFrames.write(frames.resolve("0" + i + ".png"), null);
        }
        QrFrames.write(frames.resolve("10.png"), issuer.validPass("WIRE-REVOKED", null));
        QrFrames.write(frames.resolve("11.png"), null);

        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"), List.of());
             Mqtt central = Mqtt.subscribe(broker.uri(), BASE + "/#")) {
            MqttClient operator = new MqttClient(broker.uri(), "central-operator", new MemoryPersistence());
            operator.connect(new MqttConnectionOptions());
            operator.publish("ckp/v1/site-w/denylist", new MqttMessage(
                    site.signedBytes("{\"version\":5,\"ids\":[\"WIRE-REVOKED\"]}"), 1, true, null));
            BlockingQueue<MqttMessage> replies = new LinkedBlockingQueue<>();
            operator.subscribe(new MqttSubscription[] {new MqttSubscription("ckp/v1/reply/central", 1)},
                    new IMqttMessageListener[] {(t, m) -> replies.add(m)});

            Path config = Files.writeString(dir.resolve("kiosk.properties"), String.join("\n",
                    "kiosk.id=k-wire", "kiosk.site=site-w", "kiosk.lane=lane-1", "mqtt.uris=" + broker.uri(),
                    "store.path=events.db", "camera.source=files", "camera.files.dir=frames",
                    "camera.files.fps=10", "camera.files.hold=10", "camera.files.loop=true",
                    "thermometer.type=sim", "thermometer.sim.readings=36.6", "pass.trust.dir=trust",
                    "site.trust.dir=site-trust",
                    "lane.signal.ms=0", ""));
            // A store file that is not a database (a torn write, a bad SD card): quarantined, and the kiosk runs.
            byte[] garbage = new byte[16384];
            new java.util.Random(7).nextBytes(garbage);
            Files.write(dir.resolve("events.db"), garbage);
            KioskConfig kc = KioskConfig.load(config);
            try (Kiosk kiosk = new Kiosk(kc, Devices.from(kc, new PrintStream(new ByteArrayOutputStream())),
                    ClockStatus.system(true))) {
                Thread service = Thread.ofPlatform().start(() -> {
                    try {
                        kiosk.run();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                List<Mqtt.Received> events = central.await(r -> r.topic().equals(BASE + "/event"), 1,
                        Await.GENEROUS);
                assertEquals(1, events.size(), "the pass was seen and decided");
                JsonNode event = events.getFirst().json();
                assertEquals("revoked", event.path("pass").path("result").asText(),
                        "the deny list from the retained site topic reached the pass check");
                assertEquals(5, event.path("pass").path("denylistVersion").asInt());
                assertEquals("stop", event.path("decision").asText());

                JsonNode trust = ask(operator, replies, "trust", "{}");
                assertTrue(trust.path("ok").asBoolean(), trust.toString());
                assertEquals("[\"w1\"]", trust.path("result").path("kids").toString());

                // Anyone who can publish on the site topic: an unsigned list with the largest version is refused.
                operator.publish("ckp/v1/site-w/denylist", new MqttMessage(
                        "{\"version\":9223372036854775807,\"ids\":[]}".getBytes(StandardCharsets.UTF_8), 1, true,
                        null));
                List<Mqtt.Received> refusal = central.await(r -> r.topic().equals(BASE + "/alarm")
                        && r.json().path("alarm").asText().equals("site-message-refused"), 1, Await.GENEROUS);
                assertEquals(1, refusal.size(), "the refusal is alarmed");
                JsonNode alarm = refusal.getFirst().json();
                assertEquals("raised", alarm.path("state").asText());
                assertEquals("ckp/v1/site-w/denylist", alarm.path("detail").path("topic").asText());
                assertTrue(alarm.path("detail").path("reason").asText().contains("not signed"), alarm.toString());
                assertEquals(5, kiosk.passes().denyList().version(), "the list in force stays");

                JsonNode deny = ask(operator, replies, "denylist", "{\"args\":{\"jws\":\""
                        + site.sign("{\"version\":6,\"ids\":[\"OTHER-1\"]}") + "\"}}");
                assertEquals("applied", deny.path("result").path("result").asText(), deny.toString());
                JsonNode stale = ask(operator, replies, "denylist", "{\"args\":{\"jws\":\""
                        + site.sign("{\"version\":4,\"ids\":[]}") + "\"}}");
                assertEquals("stale", stale.path("result").path("result").asText(), stale.toString());
                JsonNode junk = ask(operator, replies, "denylist", "{\"args\":{\"jws\":\""
                        + site.sign("{\"version\":\"x\"}") + "\"}}");
                assertEquals("bad-argument", junk.path("error").path("code").asText(), junk.toString());
                JsonNode unsigned = ask(operator, replies, "denylist", "{\"version\":7,\"ids\":[]}");
                assertEquals("bad-argument", unsigned.path("error").path("code").asText(), unsigned.toString());
                JsonNode forged = ask(operator, replies, "denylist", "{\"args\":{\"jws\":\""
                        + new TestSiteAuthority("central").sign("{\"version\":8,\"ids\":[]}") + "\"}}");
                assertTrue(forged.path("error").path("message").asText().contains("bad signature"), forged.toString());
                assertEquals(6, kiosk.passes().denyList().version());
                assertEquals(site.sign("{\"version\":6,\"ids\":[\"OTHER-1\"]}"),
                        Files.readString(dir.resolve("denylist.json")), "the signed list is cached (Ed25519 is "
                                + "deterministic: the same bytes)");

                // A new site key, rotated in without a restart: the trust command reads the folder again.
                TestSiteAuthority rotated = new TestSiteAuthority("central-2027");
                rotated.writePublicKey(dir.resolve("site-trust"));
                JsonNode reloaded = ask(operator, replies, "trust", "{}");
                assertEquals("[\"central\",\"central-2027\"]", reloaded.path("result").path("siteKids").toString(),
                        reloaded.toString());
                JsonNode byRotated = ask(operator, replies, "denylist", "{\"args\":{\"jws\":\""
                        + rotated.sign("{\"version\":7,\"ids\":[\"OTHER-2\"]}") + "\"}}");
                assertEquals("applied", byRotated.path("result").path("result").asText(), byRotated.toString());

                JsonNode selftest = ask(operator, replies, "selftest", "{}");
                assertEquals("ok", selftest.path("result").path("store").asText(), selftest.toString());
                assertEquals("ok", selftest.path("result").path("thermometer").asText(), selftest.toString());

                kiosk.stop();
                service.join(Await.GENEROUS.toMillis());
            } finally {
                operator.disconnect();
                operator.close();
            }
            List<Mqtt.Received> alarms = central.received().stream().filter(r -> r.topic().equals(BASE + "/alarm"))
                    .toList();
            assertTrue(alarms.stream().anyMatch(a -> a.json().path("alarm").asText().equals("fraud-suspected")),
                    "a revoked pass raises the fraud alarm: " + alarms);
            assertTrue(alarms.stream().anyMatch(a -> a.json().path("alarm").asText().equals("site-message-refused")
                    && a.json().path("state").asText().equals("cleared")),
                    "a signed list accepted again clears the refusal alarm: " + alarms);
            assertTrue(alarms.stream().anyMatch(a -> a.json().path("alarm").asText().equals("store-quarantined")),
                    "the quarantined store file is reported to the central side: " + alarms);
            try (var files = Files.list(dir)) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("events.db.corrupt-")),
                        "the corrupt file is kept aside, not deleted");
            }
            for (Mqtt.Received r : central.received()) {
                if (r.topic().contains("/cmd/")) {
                    continue; // the operator's requests, not the kiosk's messages
                }
                MessageSchema.forTopic(r.topic()).assertValid(r.json().toString().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static JsonNode ask(MqttClient operator, BlockingQueue<MqttMessage> replies, String command, String args)
            throws Exception {
        MqttProperties p = new MqttProperties();
        p.setResponseTopic("ckp/v1/reply/central");
        p.setCorrelationData(command.getBytes(StandardCharsets.UTF_8));
        operator.publish(BASE + "/cmd/" + command, new MqttMessage(args.getBytes(StandardCharsets.UTF_8), 1, false, p));
        MqttMessage reply = replies.poll(10, TimeUnit.SECONDS);
        assertNotNull(reply, "no reply to " + command);
        return JSON.readTree(reply.getPayload());
    }
}
