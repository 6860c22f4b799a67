package ckp.kiosk.simulate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ckp.kiosk.Main;
import ckp.kiosk.fixtures.IgnoringCallback;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The embedded broker against real Eclipse Paho MQTT v5 clients, and against raw bytes Paho would never send. */
class EmbeddedBrokerTest {
    private static final long WAIT_SECONDS = 10;

    private EmbeddedBroker broker;
    private final List<AutoCloseable> clients = new ArrayList<>();

    /** A message as a subscriber saw it. */
    private record Received(String topic, String payload, int qos, boolean retained) {
    }

    @BeforeEach
    void startBroker() throws IOException {
        broker = EmbeddedBroker.start();
    }

    @AfterEach
    void stopBroker() throws Exception {
        for (AutoCloseable c : clients) {
            try {
                c.close();
            } catch (Exception ignored) {
                // The test may have killed it already.
            }
        }
        broker.close();
    }

    @Test
    void wildcardSubscriptionsReceiveExactlyTheMatchingTopics() throws Exception {
        MqttClient sub = client("sub");
        BlockingQueue<Received> got = subscribe(sub, "ckp/v1/+/lane1/#", 1);
        // Paho 1.2.5 hands a message to a listener only if its own matcher agrees, and it misses "a/+/b/#" matching
        // "a/x/b"; the parent-level rule of # is therefore shown with a filter Paho matches correctly.
        subscribe(sub, "parent/#", 1, got);
        MqttClient pub = client("pub");
        for (String topic : List.of("ckp/v1/siteA/lane1/k1/event", "ckp/v1/siteA/lane2/k1/event", "parent",
                "ckp/v2/siteA/lane1/k1", "parents", "ckp/v1/siteB/lane1/k9/status")) {
            pub.publish(topic, topic.getBytes(StandardCharsets.UTF_8), 1, false);
        }
        assertEquals("ckp/v1/siteA/lane1/k1/event", next(got).topic());
        assertEquals("parent", next(got).topic(), "# also matches the parent level");
        assertEquals("ckp/v1/siteB/lane1/k9/status", next(got).topic());
        assertNull(got.poll(300, TimeUnit.MILLISECONDS));
    }

    @Test
    void topicFiltersFollowTheSpecsWildcardRules() {
        TopicFilter all = TopicFilter.parse("#").orElseThrow();
        assertTrue(all.matches("a/b"));
        assertFalse(all.matches("$SYS/uptime"), "a leading wildcard never matches $ topics");
        assertTrue(TopicFilter.parse("a/+/c").orElseThrow().matches("a//c"), "+ matches an empty level");
        assertFalse(TopicFilter.parse("a/+").orElseThrow().matches("a/b/c"));
        assertTrue(TopicFilter.parse("a/+/c/#").orElseThrow().matches("a/b/c"), "# matches the parent level");
        for (String invalid : List.of("", "a/#/b", "a#", "a/b+", "#/a")) {
            assertTrue(TopicFilter.parse(invalid).isEmpty(), invalid);
        }
    }

    @Test
    void aQos1PublishIsAcknowledgedWithReasonCode0AndDeliveredAtTheSubscriptionsQos() throws Exception {
        MqttClient qos1Subscriber = client("sub1");
        BlockingQueue<Received> atQos1 = subscribe(qos1Subscriber, "t/#", 2);
        BlockingQueue<Received> atQos0 = subscribe(client("sub0"), "t/#", 0);
        MqttAsyncClient pub = asyncClient("pub", null);
        IMqttToken token = pub.publish("t/x", "hello".getBytes(StandardCharsets.UTF_8), 1, false);
        token.waitForCompletion(WAIT_SECONDS * 1000);
        assertArrayEquals(new int[] {0}, token.getReasonCodes());
        assertEquals(new Received("t/x", "hello", 1, false), next(atQos1), "QoS 2 requested, 1 granted");
        assertEquals(new Received("t/x", "hello", 0, false), next(atQos0));
    }

    @Test
    void connackAnnouncesReceiveMaximumAndMaximumQos1() throws Exception {
        MqttAsyncClient c = new MqttAsyncClient(broker.uri(), "props", new MemoryPersistence());
        clients.add(c::close);
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setSessionExpiryInterval(3600L);
        IMqttToken token = c.connect(o);
        token.waitForCompletion(WAIT_SECONDS * 1000);
        MqttProperties p = token.getResponseProperties();
        assertEquals(BrokerSession.INBOUND_RECEIVE_MAXIMUM, p.getReceiveMaximum());
        assertEquals(1, p.getMaximumQoS());
        assertEquals(0L, p.getSessionExpiryInterval(), "sessions end with their connection");
        c.disconnect().waitForCompletion(WAIT_SECONDS * 1000);
    }

    @Test
    void aRetainedMessageReachesALaterSubscriberAndAnEmptyPayloadClearsIt() throws Exception {
        MqttClient pub = client("pub");
        pub.publish("ckp/v1/s/l/k/status", "first".getBytes(StandardCharsets.UTF_8), 1, true);
        pub.publish("ckp/v1/s/l/k/status", "second".getBytes(StandardCharsets.UTF_8), 1, true);
        BlockingQueue<Received> late = subscribe(client("late"), "ckp/v1/#", 1);
        assertEquals(new Received("ckp/v1/s/l/k/status", "second", 1, true), next(late));
        assertNull(late.poll(300, TimeUnit.MILLISECONDS), "one retained message per topic");

        pub.publish("ckp/v1/s/l/k/status", new byte[0], 1, true);
        assertEquals("", next(late).payload(), "the clearing message is still delivered to current subscribers");
        BlockingQueue<Received> later = subscribe(client("later"), "ckp/v1/#", 1);
        pub.publish("ckp/v1/s/l/k/event", "marker".getBytes(StandardCharsets.UTF_8), 1, false);
        assertEquals("marker", next(later).payload(), "nothing retained is left");
    }

    @Test
    void unsubscribedTopicsAreNoLongerDelivered() throws Exception {
        MqttClient sub = client("sub");
        BlockingQueue<Received> got = subscribe(sub, "a/1", 1);
        subscribe(sub, "a/2", 1, got);
        sub.unsubscribe("a/1");
        MqttClient pub = client("pub");
        pub.publish("a/1", "gone".getBytes(StandardCharsets.UTF_8), 1, false);
        pub.publish("a/2", "kept".getBytes(StandardCharsets.UTF_8), 1, false);
        assertEquals("kept", next(got).payload());
    }

    @Test
    void theWillIsPublishedWhenAPahoClientDropsItsConnectionWithoutDisconnect() throws Exception {
        BlockingQueue<Received> watcher = subscribe(client("watcher"), "ckp/v1/#", 1);
        MqttAsyncClient kiosk = asyncClient("kiosk", "ckp/v1/s/l/kiosk/status");
        kiosk.disconnectForcibly(0, 0, false); // Closes the socket without sending DISCONNECT.
        assertEquals(new Received("ckp/v1/s/l/kiosk/status", "offline", 1, false), next(watcher));
        BlockingQueue<Received> late = subscribe(client("late"), "ckp/v1/#", 1);
        assertEquals(new Received("ckp/v1/s/l/kiosk/status", "offline", 1, true), next(late), "the will was retained");
    }

    @Test
    void aNormalDisconnectDiscardsTheWill() throws Exception {
        BlockingQueue<Received> watcher = subscribe(client("watcher"), "ckp/v1/#", 1);
        MqttAsyncClient kiosk = asyncClient("kiosk", "ckp/v1/s/l/kiosk/status");
        kiosk.disconnect().waitForCompletion(WAIT_SECONDS * 1000);
        client("pub").publish("ckp/v1/marker", "marker".getBytes(StandardCharsets.UTF_8), 1, false);
        assertEquals("marker", next(watcher).payload());
        assertNull(watcher.poll(500, TimeUnit.MILLISECONDS), "no will, not even late");
        BlockingQueue<Received> late = subscribe(client("late"), "ckp/v1/#", 1);
        assertNull(late.poll(300, TimeUnit.MILLISECONDS), "no will retained");
    }

    @Test
    void theWillIsPublishedWhenARawSocketClosesAfterConnect() throws Exception {
        BlockingQueue<Received> watcher = subscribe(client("watcher"), "ckp/v1/#", 1);
        try (RawClient raw = new RawClient(broker.port())) {
            raw.write(connect("raw", 60, true));
            assertArrayEquals(new byte[] {0x20}, Arrays.copyOf(raw.readPacket(), 1), "CONNACK");
        }
        assertEquals(new Received("ckp/v1/raw/status", "offline", 1, false), next(watcher));
    }

    @Test
    void aClientSilentForOneAndAHalfKeepAlivesIsDroppedAndItsWillPublished() throws Exception {
        BlockingQueue<Received> watcher = subscribe(client("watcher"), "ckp/v1/#", 1);
        try (RawClient raw = new RawClient(broker.port())) {
            raw.write(connect("sleepy", 1, true));
            raw.readPacket();
            long start = System.nanoTime();
            assertEquals(new Received("ckp/v1/raw/status", "offline", 1, false), next(watcher));
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waitedMillis >= 1_000, "dropped after " + waitedMillis + " ms, before even one keep-alive");
            raw.readUntilClosed();
        }
    }

    @Test
    void aPingreqIsAnsweredWithPingresp() throws Exception {
        try (RawClient raw = new RawClient(broker.port())) {
            raw.write(connect("pinger", 0, false));
            raw.readPacket();
            raw.write(new byte[] {(byte) 0xC0, 0x00});
            assertArrayEquals(new byte[] {(byte) 0xD0, 0x00}, raw.readPacket());
        }
    }

    @Test
    void mqtt311AndUnknownProtocolLevelsAreRefusedWithTheRightCode() throws Exception {
        try (RawClient raw = new RawClient(broker.port())) {
            byte[] v311 = connect("old", 60, false);
            v311[8] = 4;
            raw.write(v311);
            assertArrayEquals(new byte[] {0x20, 0x02, 0x00, 0x01}, raw.readUntilClosed(), "3.1.1 CONNACK, code 1");
        }
        try (RawClient raw = new RawClient(broker.port())) {
            byte[] v6 = connect("future", 60, false);
            v6[8] = 6;
            raw.write(v6);
            assertArrayEquals(new byte[] {0x20, 0x03, 0x00, (byte) 0x84, 0x00}, raw.readUntilClosed(),
                    "v5 CONNACK, 0x84 Unsupported Protocol Version");
        }
    }

    @Test
    void aQos2PublishIsRefusedWithDisconnect0x9B() throws Exception {
        try (RawClient raw = new RawClient(broker.port())) {
            raw.write(connect("qos2", 60, false));
            raw.readPacket();
            raw.write(packet(0x34, bytes(0, 1, 'q'), bytes(0, 7), bytes(0), "x".getBytes(StandardCharsets.UTF_8)));
            assertArrayEquals(new byte[] {(byte) 0xE0, 0x02, (byte) 0x9B, 0x00}, raw.readUntilClosed());
        }
    }

    @Test
    void aNewConnectionWithTheSameClientIdTakesOverTheOldOne() throws Exception {
        CountDownLatch takenOver = new CountDownLatch(1);
        int[] reason = new int[1];
        MqttAsyncClient first = asyncClient("same", null);
        first.setCallback(new IgnoringCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                reason[0] = response.getReturnCode();
                takenOver.countDown();
            }
        });
        MqttAsyncClient second = asyncClient("same", null);
        assertTrue(takenOver.await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(0x8E, reason[0], "Session taken over");
        assertTrue(second.isConnected());
    }

    @Test
    void malformedBytesCloseOnlyThatConnection() throws Exception {
        byte[] noise = new byte[4000];
        new Random(42).nextBytes(noise);
        List<byte[]> beforeConnect = List.of(
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                bytes(0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F),
                packet(0x10, noise),                                         // a CONNECT of random bytes
                bytes(0x82, 0x02, 0x00, 0x01));
        for (byte[] bad : beforeConnect) {
            try (RawClient raw = new RawClient(broker.port())) {
                raw.write(bad);
                assertArrayEquals(new byte[0], raw.readUntilClosed(), HexFormat.of().formatHex(bad, 0, Math.min(6, bad.length)));
            }
        }
        // CONNECT whose property length (0x30) runs past the end of the packet.
        byte[] shortProperties = connect("bad", 60, false);
        shortProperties[12] = 0x30;
        try (RawClient raw = new RawClient(broker.port())) {
            raw.write(shortProperties);
            assertArrayEquals(new byte[] {0x20, 0x03, 0x00, (byte) 0x81, 0x00}, raw.readUntilClosed());
        }
        List<byte[]> afterConnect = List.of(
                packet(0x30, bytes(0, 1, 't'), bytes(2, 0x7F, 0)),            // unknown property 0x7F
                packet(0x30, bytes(0, 2, 0xC3, 0x28), bytes(0)),               // ill-formed UTF-8 topic
                bytes(0x80, 0x06, 0x00, 0x01, 0x00, 0x00, 0x01, 'a'),          // SUBSCRIBE with flags 0000
                packet(0x82, bytes(0, 1, 0), bytes(0, 1, 'a', 0xC1)),          // reserved subscription option bits
                bytes(0x30, 0x80, 0x80, 0x80, 0x01));                           // 2 MiB, over Maximum Packet Size
        List<Integer> reasons = List.of(0x81, 0x81, 0x81, 0x81, 0x95);
        for (int i = 0; i < afterConnect.size(); i++) {
            try (RawClient raw = new RawClient(broker.port())) {
                raw.write(connect("bad" + i, 60, false));
                raw.readPacket();
                raw.write(afterConnect.get(i));
                assertArrayEquals(new byte[] {(byte) 0xE0, 0x02, reasons.get(i).byteValue(), 0x00},
                        raw.readUntilClosed(), "case " + i);
            }
        }
        BlockingQueue<Received> got = subscribe(client("sub"), "ok/#", 1);
        client("pub").publish("ok/still", "alive".getBytes(StandardCharsets.UTF_8), 1, false);
        assertEquals("alive", next(got).payload(), "the broker still serves well-behaved clients");
    }

    @Test
    void theDemoDeliversEveryStoredMessageThroughTheEmbeddedBroker(@TempDir Path dir) throws Exception {
        BlockingQueue<Received> got = new LinkedBlockingQueue<>();
        try (BrokerWatcher watcher = new BrokerWatcher(broker.uri(), "ckp/v1/#",
                (topic, payload) -> got.add(new Received(topic, payload, 1, false)))) {
            int status = new CommandLine(new Main()).execute("simulate", "--broker", broker.uri(),
                    "--dir", dir.toString(), "--fps", "25", "--hold", "5");
            assertEquals(0, status);

            Map<String, Long> stored = new TreeMap<>();
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("events.db"));
                 ResultSet rs = db.createStatement().executeQuery(
                         "SELECT topic, count(*), count(acked_ms) FROM messages GROUP BY topic")) {
                while (rs.next()) {
                    assertEquals(rs.getLong(2), rs.getLong(3), "every stored message was acknowledged");
                    stored.put(rs.getString(1), rs.getLong(2));
                }
            }
            assertTrue(stored.containsKey("ckp/v1/demo-site/lane1/demo-kiosk/event"), "no event stored: " + stored);

            List<Received> received = new ArrayList<>();
            List<Received> all = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            Map<String, Long> delivered = Map.of();
            while (System.nanoTime() < deadline) {
                got.drainTo(received);
                // The demo's central side publishes the signed site deny list: not a message of the kiosk's.
                all = received.stream().filter(r -> !r.topic().equals("ckp/v1/demo-site/denylist")).toList();
                delivered = all.stream().filter(r -> !r.topic().endsWith("/status"))
                        .collect(Collectors.groupingBy(Received::topic, TreeMap::new, Collectors.counting()));
                if (delivered.equals(stored) && !all.isEmpty() && all.getLast().payload().contains("offline")) {
                    break;
                }
                Thread.sleep(50);
            }
            assertEquals(stored, delivered, "what the kiosk stored is what the watcher received");
            assertTrue(received.stream().anyMatch(r -> r.topic().equals("ckp/v1/demo-site/denylist")
                    && r.payload().matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{86}")),
                    "the demo publishes its deny list signed (a JWS)");
            assertTrue(all.getFirst().payload().contains("\"online\""), all.getFirst().toString());
            assertTrue(all.getLast().payload().contains("\"offline\""), all.getLast().toString());
        }
    }

    private MqttClient client(String id) throws MqttException {
        MqttClient c = new MqttClient(broker.uri(), id, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        c.connect(o);
        clients.add(() -> {
            if (c.isConnected()) {
                c.disconnect();
            }
            c.close();
        });
        return c;
    }

    /** An async client like the kiosk's; with a will topic, its will says {@code offline}, retained, at QoS 1. */
    private MqttAsyncClient asyncClient(String id, String willTopic) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(broker.uri(), id, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setKeepAliveInterval(30);
        if (willTopic != null) {
            o.setWill(willTopic, new MqttMessage("offline".getBytes(StandardCharsets.UTF_8), 1, true,
                    new MqttProperties()));
        }
        c.connect(o).waitForCompletion(WAIT_SECONDS * 1000);
        clients.add(() -> c.close(true));
        return c;
    }

    private static BlockingQueue<Received> subscribe(MqttClient c, String filter, int qos) throws MqttException {
        return subscribe(c, filter, qos, new LinkedBlockingQueue<>());
    }

    private static BlockingQueue<Received> subscribe(MqttClient c, String filter, int qos, BlockingQueue<Received> into)
            throws MqttException {
        IMqttMessageListener listener = (topic, m) -> into.add(
                new Received(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.getQos(), m.isRetained()));
        IMqttToken token = c.subscribe(new MqttSubscription[] {new MqttSubscription(filter, qos)},
                new IMqttMessageListener[] {listener});
        assertEquals(Math.min(qos, 1), token.getReasonCodes()[0], "granted QoS");
        return into;
    }

    private static Received next(BlockingQueue<Received> q) throws InterruptedException {
        Received r = q.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(r, "no message within " + WAIT_SECONDS + " s");
        return r;
    }

    /** A version 5 CONNECT written byte by byte (not with the broker's own codec); protocol level at index 8, property length at 12. */
    private static byte[] connect(String clientId, int keepAliveSeconds, boolean withWill) {
        int flags = 0x02 | (withWill ? 0x04 | 0x08 | 0x20 : 0); // clean start; will at QoS 1, retained
        byte[] header = bytes(0, 4, 'M', 'Q', 'T', 'T', 5, flags, keepAliveSeconds >> 8, keepAliveSeconds & 0xFF, 0);
        byte[] id = string(clientId);
        if (!withWill) {
            return packet(0x10, header, id);
        }
        return packet(0x10, header, id, bytes(0), string("ckp/v1/raw/status"), string("offline"));
    }

    private static byte[] string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b.length >> 8);
        out.write(b.length & 0xFF);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static byte[] packet(int firstByte, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        int n = body.size();
        do {
            out.write(n > 127 ? (n & 0x7F) | 0x80 : n);
            n >>>= 7;
        } while (n > 0);
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** A bare TCP client for what Paho would never send. */
    private static final class RawClient implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;

        RawClient(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        void write(byte[] b) throws IOException {
            out.write(b);
            out.flush();
        }

        /** One whole packet, fixed header included. */
        byte[] readPacket() throws IOException {
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.write(in.readUnsignedByte());
            int length = 0;
            for (int shift = 0; ; shift += 7) {
                int b = in.readUnsignedByte();
                packet.write(b);
                length |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            byte[] body = new byte[length];
            in.readFully(body);
            packet.writeBytes(body);
            return packet.toByteArray();
        }

        /** Everything the broker sends until it closes the connection; fails if it keeps it open. */
        byte[] readUntilClosed() throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try {
                while (true) {
                    int b = in.read();
                    if (b < 0) {
                        return all.toByteArray();
                    }
                    all.write(b);
                }
            } catch (SocketTimeoutException e) {
                fail("the broker kept the connection open; it sent " + HexFormat.of().formatHex(all.toByteArray()));
                return null;
            } catch (IOException e) {
                return all.toByteArray(); // A reset after the broker closed with unread input is a close too.
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
