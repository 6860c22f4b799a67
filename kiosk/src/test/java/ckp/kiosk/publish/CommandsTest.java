package ckp.kiosk.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.fixtures.Await;
import ckp.kiosk.fixtures.MosquittoBroker;
import ckp.kiosk.store.EventStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands over a real Mosquitto, MQTT v5 request/response: good ones answer, every bad kind gets its error. Each test
 * has a broker, store and kiosk of its own, so no test sees another's replies, settings or handler calls.
 */
class CommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESPONSES = "ckp/v1/reply/central/responses";
    /** Correlation data of the set-up's pings, whose answers may come late. */
    private static final String WARMUP = "warmup-";

    @TempDir
    Path dir;
    MosquittoBroker broker;
    EventStore store;
    Publisher publisher;
    Telemetry telemetry;
    MqttClient requester;
    Commands commands;
    final BlockingQueue<MqttMessage> replies = new LinkedBlockingQueue<>();
    /** The topic of each reply, in the order of {@link #replies}. */
    final BlockingQueue<String> replyTopics = new LinkedBlockingQueue<>();
    /** Every message on the broker, as (topic, text): where the kiosk's answers really went. */
    final java.util.List<String[]> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    MqttClient spy;
    final BlockingQueue<String> denylistPayloads = new LinkedBlockingQueue<>();

    @BeforeEach
    void startKiosk() throws Exception {
        broker = MosquittoBroker.start(dir.resolve("broker"), List.of());
        store = EventStore.open(dir.resolve("events.db"));
        MqttConfig config = Fixtures.config(List.of(broker.uri()), 2, 50);
        publisher = Fixtures.publisher(store, config);
        telemetry = new Telemetry(store, publisher, TelemetrySource.unknown(), Fixtures.CLOCK, "boot-1",
                config.telemetryInterval());
        commands = new Commands(Fixtures.TOPICS, publisher, Fixtures.CLOCK::now);
        commands
                .register("config", new ConfigCommand(config, Fixtures.TOPICS, publisher, telemetry))
                .register("denylist", (args, payload) -> {
                    denylistPayloads.add(new String(payload, StandardCharsets.UTF_8));
                    return CommandReply.ok(JSON.createObjectNode().put("entries", args.path("entries").size()));
                })
                .register("selftest", (args, payload) -> {
                    throw new IllegalStateException("camera unplugged");
                })
                .attach();
        publisher.start();
        requester = new MqttClient(broker.uri(), "central-requester", new MemoryPersistence());
        requester.connect(new MqttConnectionOptions());
        requester.subscribe(new MqttSubscription[] {new MqttSubscription("ckp/v1/reply/#", 1),
                new MqttSubscription(Fixtures.TOPICS.reply(), 1)},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {
                    (t, m) -> reply(t, m), (t, m) -> reply(t, m)});
        spy = new MqttClient(broker.uri(), "spy", new MemoryPersistence());
        spy.connect(new MqttConnectionOptions());
        spy.subscribe(new MqttSubscription[] {new MqttSubscription("#", 1)},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {
                    (t, m) -> seen.add(new String[] {t, new String(m.getPayload(), StandardCharsets.UTF_8)})});
        Await.until("the kiosk is connected", publisher::connected);
        // The command subscription is made right after CONNACK: a ping sent before it is lost, so ping until one is
        // answered. A late answer to an earlier ping is told apart by its correlation data.
        int[] warmups = {0};
        Await.until("the kiosk answers a ping", () -> {
            MqttProperties p = new MqttProperties();
            p.setResponseTopic(RESPONSES);
            p.setCorrelationData((WARMUP + warmups[0]++).getBytes(StandardCharsets.UTF_8));
            requester.publish(Fixtures.TOPICS.base() + "/cmd/ping", new MqttMessage("{}".getBytes(), 1, false, p));
            return nextReply(Duration.ofSeconds(1), true) != null;
        });
    }

    private synchronized void reply(String topic, MqttMessage m) {
        replyTopics.add(topic);
        replies.add(m);
    }

    @AfterEach
    void stop() throws Exception {
        spy.disconnect();
        spy.close();
        requester.disconnect();
        requester.close();
        publisher.close();
        store.close();
        broker.close();
    }

    /** Sends a request and returns the response's JSON (or null after 30 s), checking the correlation data echo. */
    JsonNode ask(String command, byte[] payload, String responseTopic, String correlation) throws Exception {
        MqttProperties p = new MqttProperties();
        if (responseTopic != null) {
            p.setResponseTopic(responseTopic);
        }
        p.setCorrelationData(correlation.getBytes(StandardCharsets.UTF_8));
        MqttMessage m = new MqttMessage(payload, 1, false, p);
        requester.publish(Fixtures.TOPICS.base() + "/cmd/" + command, m);
        MqttMessage reply = nextReply(Duration.ofSeconds(30), false);
        if (reply == null) {
            return null;
        }
        assertArrayEquals(correlation.getBytes(StandardCharsets.UTF_8), reply.getProperties().getCorrelationData(),
                "the response carries the request's correlation data");
        return JSON.readTree(reply.getPayload());
    }

    String lastReplyTopic;

    /** A ping request as if the broker had delivered it with this response topic, without the requester's checks. */
    JsonNode askDirect(String responseTopic, String correlation) throws Exception {
        commands.accept(new InboundMessage(Fixtures.TOPICS.base() + "/cmd/ping", "{}".getBytes(), false,
                java.util.Optional.of(responseTopic), java.util.Optional.of(correlation.getBytes(StandardCharsets.UTF_8))));
        MqttMessage reply = nextReply(Duration.ofSeconds(30), false);
        if (reply == null) {
            return null;
        }
        return JSON.readTree(reply.getPayload());
    }

    /**
     * The next reply to a warm-up ping, or else the next that is not one (a late answer to a warm-up ping is skipped);
     * null when none comes in time. Sets {@link #lastReplyTopic}.
     */
    private MqttMessage nextReply(Duration timeout, boolean warmup) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            MqttMessage reply = replies.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (reply == null) {
                return null;
            }
            lastReplyTopic = replyTopics.poll(1, TimeUnit.SECONDS);
            byte[] correlation = reply.getProperties().getCorrelationData();
            if (warmup == (correlation != null && new String(correlation, StandardCharsets.UTF_8).startsWith(WARMUP))) {
                return reply;
            }
        }
    }

    static String errorOf(JsonNode reply) {
        assertNotNull(reply, "a response arrives");
        assertFalse(reply.path("ok").asBoolean(), reply.toString());
        return reply.path("error").path("code").asText();
    }

    @Test
    void pingAnswersOnTheResponseTopicWithTheRequestId() throws Exception {
        JsonNode r = ask("ping", "{\"requestId\":\"r-1\"}".getBytes(), RESPONSES, "c-ping");
        assertNotNull(r);
        assertTrue(r.path("ok").asBoolean());
        assertEquals("r-1", r.path("requestId").asText());
        assertTrue(r.path("result").path("pong").asBoolean());
        assertEquals("k1", r.path("kiosk").asText());
    }

    @Test
    void aPayloadThatIsNotJsonGetsMalformed() throws Exception {
        assertEquals("malformed", errorOf(ask("ping", "not json {".getBytes(), RESPONSES, "c-1")));
        assertEquals("malformed", errorOf(ask("ping", "[1,2]".getBytes(), RESPONSES, "c-2")));
        assertEquals("malformed", errorOf(ask("config", "{\"args\":7}".getBytes(), RESPONSES, "c-3")));
    }

    @Test
    void aCommandOutsideTheAllowListGetsUnknownCommand() throws Exception {
        assertEquals("unknown-command", errorOf(ask("reboot", "{}".getBytes(), RESPONSES, "c-4")));
        assertEquals("unknown-command", errorOf(ask("shell", "{\"args\":{\"cmd\":\"rm -rf /\"}}".getBytes(),
                RESPONSES, "c-5")));
    }

    @Test
    void aRequestOver64KiBGetsOversize() throws Exception {
        byte[] big = new byte[64 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        assertEquals("oversize", errorOf(ask("denylist", big, RESPONSES, "c-6")));
        assertTrue(denylistPayloads.isEmpty(), "an oversize request never reaches its handler");
    }

    @Test
    void aRequestForAnotherKioskGetsForeign() throws Exception {
        assertEquals("foreign", errorOf(ask("ping", "{\"kiosk\":\"k2\"}".getBytes(), RESPONSES, "c-7")));
    }

    @Test
    void aResponseTopicOutsideTheReplySubtreeIsRefusedAndAnsweredOnTheKiosksReplyTopic() throws Exception {
        String base = Fixtures.TOPICS.base();
        List<String> hostile = List.of(
                "elsewhere/x",
                base + "/cmd/ping",                      // this kiosk's own command topic
                "ckp/v1/s1/l1/k2/cmd/ping",              // another kiosk's command topic
                "ckp/v1/s1/denylist",                    // the site deny list
                base + "/event",                         // this kiosk's own outbound topics
                base + "/status",
                base + "/alarm",
                base + "/reply/x",                       // under this kiosk's base
                "ckp/v1/s2/l9/k9/reply",                 // under another kiosk's base
                "ckp/v1/central/responses",              // under the prefix, but not the reply subtree
                "ckp/v1/reply",                          // the subtree's root itself
                "ckp/v1/reply/+",                        // wildcards
                "ckp/v1/reply/#",
                "ckp/v1/reply/a+b",
                "ckp/v1/reply//x",                       // an empty level
                "ckp/v1/reply/" + "x".repeat(600));     // too long
        int n = 0;
        for (String topic : hostile) {
            // Paho (rightly) will not send a wildcard response topic: such requests go straight to the handler.
            JsonNode r = topic.contains("+") || topic.contains("#") ? askDirect(topic, "h-" + n++)
                    : ask("ping", "{}".getBytes(), topic, "h-" + n++);
            assertEquals("bad-response-topic", errorOf(r), topic);
            assertEquals(Fixtures.TOPICS.reply(), lastReplyTopic, "answered on the kiosk's reply topic: " + topic);
        }
        // An empty response topic (Paho will not send one either).
        assertEquals("bad-response-topic", errorOf(askDirect("", "h-empty")));
        assertEquals(Fixtures.TOPICS.reply(), lastReplyTopic);

        // Replies travel in order on one connection: once this one is seen, any reply on a hostile topic would be.
        String deep = "ckp/v1/reply/central/operator-7/r-17";
        assertTrue(ask("ping", "{}".getBytes(), deep, "h-last").path("ok").asBoolean());
        assertEquals(deep, lastReplyTopic, "a topic deep in the reply subtree is used as given");
        Await.until("the spy saw the reply on " + deep, () -> seen.stream().anyMatch(m -> m[0].equals(deep)));
        for (String[] m : seen) {
            if (m[1].contains("\"command\":") && m[1].contains("\"ok\":")) {
                assertTrue(m[0].startsWith("ckp/v1/reply/") || m[0].equals(Fixtures.TOPICS.reply()),
                        "a command response was published on " + m[0]);
            }
        }
    }

    @Test
    void aFailingHandlerGetsFailedAndTheKioskKeepsAnswering() throws Exception {
        assertEquals("failed", errorOf(ask("selftest", "{}".getBytes(), RESPONSES, "c-10")));
        assertTrue(ask("ping", "{}".getBytes(), RESPONSES, "c-11").path("ok").asBoolean());
    }

    @Test
    void anAllowListedCommandWithoutAHandlerGetsUnavailable() throws Exception {
        assertEquals("unavailable", errorOf(ask("trust", "{}".getBytes(), RESPONSES, "c-12")));
    }

    @Test
    void configReadsAndSetsOnlyTheDocumentedKeys() throws Exception {
        JsonNode all = ask("config", "{}".getBytes(), RESPONSES, "c-13");
        assertEquals("k1", all.path("result").path("kiosk.id").asText());
        JsonNode set = ask("config", "{\"args\":{\"set\":{\"mqtt.drain.rate\":7.5}}}".getBytes(), RESPONSES, "c-14");
        assertTrue(set.path("ok").asBoolean(), set.toString());
        assertEquals(7.5, publisher.drainRatePerSecond());
        assertEquals("bad-argument", errorOf(ask("config", "{\"args\":{\"set\":{\"kiosk.id\":\"x\"}}}".getBytes(),
                RESPONSES, "c-15")));
        assertEquals("bad-argument", errorOf(ask("config",
                "{\"args\":{\"set\":{\"telemetry.interval.seconds\":1}}}".getBytes(), RESPONSES, "c-16")));
        assertEquals(60, telemetry.interval().toSeconds());
    }

    @Test
    void telemetryReachesTheBrokerWithAMessageExpiryOfTenIntervals() throws Exception {
        BlockingQueue<MqttMessage> samples = new LinkedBlockingQueue<>();
        MqttClient central = new MqttClient(broker.uri(), "central-telemetry", new MemoryPersistence());
        central.connect(new MqttConnectionOptions());
        try {
            central.subscribe(new MqttSubscription[] {new MqttSubscription(Fixtures.TOPICS.telemetry(), 1)},
                    new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(t, m) -> samples.add(m)});
            long sampledAt = System.nanoTime();
            telemetry.sampleNow();
            MqttMessage m = samples.poll(60, TimeUnit.SECONDS);
            assertNotNull(m, "the telemetry sample is published");
            long transitSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - sampledAt) + 1;
            Long expiry = m.getProperties().getMessageExpiryInterval();
            assertNotNull(expiry, "telemetry carries a message expiry");
            // Measured against this run's own time in transit, however slow the machine.
            assertTrue(expiry >= 600 - transitSeconds && expiry <= 600,
                    "ten intervals of 60 s, less " + transitSeconds + " s in transit at most: " + expiry);
            assertEquals("k1", JSON.readTree(m.getPayload()).path("kiosk").asText());
        } finally {
            central.disconnect();
            central.close();
        }
    }

    @Test
    void theDenylistHandlerReceivesTheRawPayload() throws Exception {
        String body = "{\"args\":{\"entries\":[\"a\",\"b\"]}}";
        JsonNode r = ask("denylist", body.getBytes(), RESPONSES, "c-17");
        assertTrue(r.path("ok").asBoolean(), r.toString());
        assertEquals(2, r.path("result").path("entries").asInt());
        assertEquals(body, denylistPayloads.poll(1, TimeUnit.SECONDS));
    }
}
