package ckp.kiosk.publish;

import ckp.kiosk.fixtures.MosquittoBroker;
import ckp.kiosk.fixtures.Stores;
import ckp.kiosk.store.EventStore;
import ckp.kiosk.message.MessageClass;
import ckp.kiosk.store.Uuid7;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/**
 * Store-and-publish benchmark (kiosk/bin/bench-publish; figures in docs/performance.md). Against one Mosquitto:
 * raw Paho QoS 1 throughput with no store, the publisher's throughput from a filled store, the end-to-end rate when
 * every event is committed durably first, and the drain of a 100,000-event backlog while live events flow.
 * Not a test: it prints figures and asserts nothing.
 */
public final class PublishBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** In-flight window for both sides of the ratio: Mosquitto's receive maximum (20) less the session's reserve. */
    private static final int WINDOW = 18;
    private static final int WARMUP_ROUNDS = 4;
    private static final int ROUNDS = 5;

    private PublishBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        int backlog = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        double drainRate = args.length > 2 ? Double.parseDouble(args[2]) : 100_000;
        Path dir = Files.createTempDirectory("bench-publish");
        System.out.printf("store and publish benchmark: %d messages, backlog %d, drain rate %.0f/s, window %d%n",
                messages, backlog, drainRate, WINDOW);
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"), List.of())) {
            byte[] sample = eventPayload(java.util.UUID.randomUUID().toString(), 1, false);
            System.out.printf("broker: %s; payload %d bytes%n", broker.describe(), sample.length);
            // Warm-up, not counted: the JIT needs several runs of each path before its figures settle (the store path
            // has more code to compile: JDBC, SQLite calls, the session loop); a short warm-up favoured raw Paho.
            for (int i = 0; i < WARMUP_ROUNDS; i++) {
                rawPaho(broker.uri(), messages, sample);
                fromFilledStore(broker.uri(), dir.resolve("warmup-" + i + ".db"), messages);
            }
            // Alternate the two in rounds, each round's order the reverse of the last (ABBA): on a shared machine the
            // load drifts, and the ratio must compare like with like.
            List<Double> ratios = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                boolean rawFirst = round % 2 == 1;
                double raw = 0;
                long rawCpu = 0;
                Map<String, Long> rawThreads = Map.of();
                if (rawFirst) {
                    raw = rawPaho(broker.uri(), messages, sample);
                    rawCpu = timedCpuNanos;
                    rawThreads = timedThreadCpuNanos;
                }
                double fromStore = fromFilledStore(broker.uri(), dir.resolve("filled-" + round + ".db"), messages);
                long storeCpu = timedCpuNanos;
                Map<String, Long> storeThreads = timedThreadCpuNanos;
                if (!rawFirst) {
                    raw = rawPaho(broker.uri(), messages, sample);
                    rawCpu = timedCpuNanos;
                    rawThreads = timedThreadCpuNanos;
                }
                ratios.add(fromStore / raw);
                System.out.printf("round %d: raw Paho QoS 1, no store %6.0f msg/s; publisher from a filled store %6.0f "
                        + "msg/s; ratio %.2f; CPU %5.1f vs %5.1f us/msg%n", round, raw, fromStore, fromStore / raw,
                        rawCpu / 1e3 / messages, storeCpu / 1e3 / messages);
                System.out.printf("  CPU by thread, us/msg: raw %s; store %s%n", perMessage(rawThreads, messages),
                        perMessage(storeThreads, messages));
            }
            Collections.sort(ratios);
            System.out.printf("store+publish / raw Paho throughput: median ratio %.2f (min %.2f, max %.2f, %d rounds)%n",
                    ratios.get(ratios.size() / 2), ratios.get(0), ratios.get(ratios.size() - 1), ROUNDS);
            double raw = rawPaho(broker.uri(), messages, sample);
            double endToEnd = commitThenPublish(broker.uri(), dir.resolve("e2e.db"), Math.min(messages, 5_000));
            System.out.printf("commit (synchronous=FULL) + publish: %8.0f msg/s  (ratio %.2f; bounded by fsync)%n",
                    endToEnd, endToEnd / raw);
            drainWithLiveTraffic(broker.uri(), dir.resolve("backlog.db"), backlog, drainRate);
        }
    }

    /** CPU time this process (all its threads, not Mosquitto) spent in the last timed phase. */
    static long timedCpuNanos;
    /** The same by thread name (Paho's client id and pool numbers left out), for the threads alive at its end. */
    static Map<String, Long> timedThreadCpuNanos = Map.of();

    static Map<String, Long> threadCpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> byName = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            long nanos = mx.getThreadCpuTime(t.threadId());
            if (nanos > 0) {
                byName.merge(t.getName().replaceAll(": .*", "").replaceAll("-?[0-9]+$", ""), nanos, Long::sum);
            }
        }
        return byName;
    }

    static Map<String, Long> since(Map<String, Long> before) {
        Map<String, Long> spent = new TreeMap<>();
        threadCpuNanos().forEach((name, nanos) -> spent.put(name, nanos - before.getOrDefault(name, 0L)));
        return spent;
    }

    /** The threads that spent at least 0.1 us a message, e.g. {@code MQTT Rec 12.4}. */
    static String perMessage(Map<String, Long> nanos, int messages) {
        StringBuilder out = new StringBuilder();
        nanos.forEach((name, n) -> {
            if (n / 1e3 / messages >= 0.1) {
                out.append(out.isEmpty() ? "" : ", ").append(String.format("%s %.1f", name, n / 1e3 / messages));
            }
        });
        return "[" + out + "]";
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static byte[] eventPayload(String id, long seq, boolean live) {
        return JSON.createObjectNode().put("id", id).put("seq", seq).put("kiosk", "k1").put("site", "s1")
                .put("lane", "l1").put("time", "2026-11-29T07:00:00Z").put("clockSynced", true)
                .put("decision", "pass").put("reasons", "pass-valid,temperature-normal")
                .put("pass", "{\"result\":\"valid\",\"digest\":\"6f1c2a9e0b7d4c3f\",\"cls\":\"freight\",\"kid\":\"demo1\"}")
                .put("temperature", "{\"kind\":\"normal\",\"celsius\":36.6}")
                .put("live", live).put("committedNanos", System.nanoTime())
                .toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Raw Paho QoS 1 with the same in-flight window, nothing stored: the ceiling. */
    static double rawPaho(String uri, int n, byte[] payload) throws Exception {
        MqttAsyncClient c = new MqttAsyncClient(uri, "bench-raw", new MemoryPersistence());
        c.connect(new MqttConnectionOptions()).waitForCompletion(10_000);
        Semaphore window = new Semaphore(WINDOW);
        CountDownLatch done = new CountDownLatch(n);
        MqttActionListener ack = new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken t) {
                window.release();
                done.countDown();
            }

            @Override
            public void onFailure(IMqttToken t, Throwable e) {
                window.release();
                done.countDown();
            }
        };
        Map<String, Long> threads0 = threadCpuNanos();
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            window.acquire();
            c.publish("ckp/v1/s1/l1/raw/event", payload, 1, false, null, ack);
        }
        done.await();
        double rate = n / ((System.nanoTime() - t0) / 1e9);
        timedCpuNanos = cpuNanos() - cpu0;
        timedThreadCpuNanos = since(threads0);
        c.disconnect().waitForCompletion();
        c.close();
        return rate;
    }

    static Publisher publisher(EventStore store, String uri, double drainRate) {
        MqttConfig config = new MqttConfig(List.of(URI.create(uri)), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), "ckp/v1", Duration.ofSeconds(2), WINDOW,
                Duration.ofSeconds(30), drainRate, Duration.ofSeconds(60));
        return new Publisher(store, new PahoBrokerLink("bench-kiosk", Optional.empty(), Optional.empty(),
                Optional.empty(), 30), config, Fixtures.TOPICS, "bench", Fixtures.CLOCK, "boot-bench");
    }

    /** Fills a store file in one transaction (the commit latency is measured elsewhere); returns the store. */
    static EventStore filled(Path file, int n) throws Exception {
        EventStore.open(file).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO outbox (id, class, seq, topic, payload, retain, created_ms, monotonic_ns, boot_id,
                                        clock_synced) VALUES (?, 'event', ?, ?, ?, 0, ?, ?, 'boot-bench', 1)""")) {
                long now = System.currentTimeMillis();
                for (int i = 1; i <= n; i++) {
                    String id = Uuid7.at(now).toString();
                    ps.setString(1, id);
                    ps.setLong(2, i);
                    ps.setString(3, Fixtures.TOPICS.event());
                    ps.setBytes(4, eventPayload(id, i, false));
                    ps.setLong(5, now);
                    ps.setLong(6, System.nanoTime());
                    ps.addBatch();
                    if (i % 5_000 == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("INSERT INTO delivery (position) SELECT position FROM outbox");
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO meta(key, value) VALUES ('seq.event', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
                ps.setLong(1, n);
                ps.executeUpdate();
            }
            c.commit();
        }
        return EventStore.open(file);
    }

    static double fromFilledStore(String uri, Path file, int n) throws Exception {
        try (EventStore store = filled(file, n)) {
            Publisher p = publisher(store, uri, 100_000);
            p.start();
            while (!p.connected()) {
                Thread.sleep(1);
            }
            // Timed from CONNACK, like the raw client, to the last row marked delivered: its acked_ms, so the check
            // that the store has drained can be rare (every 5 ms it took a few per cent of a core from the publisher).
            Map<String, Long> threads0 = threadCpuNanos();
            long cpu0 = cpuNanos();
            long t0 = System.currentTimeMillis();
            while (store.undeliveredCount() > 0) {
                Thread.sleep(50);
            }
            timedCpuNanos = cpuNanos() - cpu0;
            timedThreadCpuNanos = since(threads0);
            p.close();
            return n / ((lastAcknowledgedMillis(file) - t0) / 1e3);
        }
    }

    /** When the last message of the store was marked delivered (wall clock, ms). */
    static long lastAcknowledgedMillis(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT max(acked_ms) FROM delivery")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static double commitThenPublish(String uri, Path file, int n) throws Exception {
        try (EventStore store = EventStore.open(file)) {
            Publisher p = publisher(store, uri, 100_000);
            p.start();
            while (!p.connected()) {
                Thread.sleep(10);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Fixtures.appendEvent(store);
                p.wake();
            }
            p.awaitDrained(Duration.ofMinutes(10));
            double rate = n / ((System.nanoTime() - t0) / 1e9);
            p.close();
            return rate;
        }
    }

    /** A 100,000-event backlog drains while a lane commits 10 live events a second; live latency is commit to arrival. */
    static void drainWithLiveTraffic(String uri, Path file, int backlog, double drainRate) throws Exception {
        List<Long> liveLatencyMicros = Collections.synchronizedList(new ArrayList<>());
        MqttClient central = new MqttClient(uri, "bench-central", new MemoryPersistence());
        central.connect(new MqttConnectionOptions());
        central.subscribe(new MqttSubscription[] {new MqttSubscription(Fixtures.TOPICS.event(), 1)},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(t, m) -> {
                    long arrived = System.nanoTime();
                    JsonNode j = JSON.readTree(m.getPayload());
                    if (j.path("live").asBoolean()) {
                        liveLatencyMicros.add((arrived - j.path("committedNanos").asLong()) / 1_000);
                    }
                }});
        try (EventStore store = filled(file, backlog)) {
            Publisher p = publisher(store, uri, drainRate);
            AtomicBoolean lane = new AtomicBoolean(true);
            // The lane starts once the kiosk is connected, so every live event is one committed after the outage.
            AtomicBoolean lanePaused = new AtomicBoolean(true);
            int[] live = {0};
            Thread liveLane = Thread.ofPlatform().start(() -> {
                while (lanePaused.get()) {
                    Thread.onSpinWait();
                }
                while (lane.get()) {
                    Stores.append(store, MessageClass.EVENT, Fixtures.TOPICS.event(), false, Fixtures.CLOCK.now(), true,
                            "boot-bench", stamp -> eventPayload(stamp.id().toString(), stamp.seq(), true));
                    p.wake();
                    live[0]++;
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            long t0 = System.nanoTime();
            p.start();
            while (!p.connected()) {
                Thread.sleep(1);
            }
            lanePaused.set(false);
            // The backlog is drained when the oldest undelivered message is a live one (or there is none).
            while (true) {
                List<ckp.kiosk.store.PendingMessage> head = store.pending(0, 1, java.util.Set.of());
                if (head.isEmpty() || head.get(0).position() > backlog) {
                    break;
                }
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            lane.set(false);
            liveLane.join();
            p.awaitDrained(Duration.ofMinutes(1));
            p.close();
            Thread.sleep(500);
            List<Long> sorted = new ArrayList<>(liveLatencyMicros);
            Collections.sort(sorted);
            System.out.printf("backlog of %d drained in %.1f s (%.0f msg/s) while %d live events flowed%n", backlog,
                    seconds, backlog / seconds, live[0]);
            if (!sorted.isEmpty()) {
                System.out.printf("live event latency, commit to subscriber: p50 %.1f ms, p99 %.1f ms, max %.1f ms "
                                + "(%d samples)%n", pct(sorted, 0.50) / 1e3, pct(sorted, 0.99) / 1e3,
                        sorted.get(sorted.size() - 1) / 1e3, sorted.size());
            }
        } finally {
            central.disconnect();
            central.close();
        }
    }

    private static double pct(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
