package ckp.kiosk.fleet;

import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.message.Topics;
import ckp.kiosk.publish.MqttConfig;
import ckp.kiosk.publish.SessionThreads;
import ckp.kiosk.publish.SharedPahoExecutor;
import ckp.kiosk.publish.TlsContexts;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The fleet load tool: N simulated kiosks in one JVM, each with the service's own store file and publisher (its own
 * MQTT session), committing synthetic events and telemetry at a rate; at the end it waits (bounded) for every outbox
 * to drain and prints one JSON line of figures. docs/operations.md explains the figures and the outage run
 * (simulator/bin/fleet-run).
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = "Runs N simulated kiosks (service store + publisher each) against a broker; prints one JSON line.")
public final class Fleet implements Callable<Integer> {
    @Option(names = "--broker", required = true, split = ",", description = "broker URI(s), tcp:// or ssl://, tried in order")
    List<URI> brokers;
    @Option(names = "--kiosks", required = true, description = "how many kiosks")
    int kiosks;
    @Option(names = "--seconds", required = true, description = "how long the kiosks commit events")
    int seconds;
    @Option(names = "--events-per-minute", defaultValue = "6", description = "events each kiosk commits per minute")
    double eventsPerMinute;
    @Option(names = "--telemetry-seconds", defaultValue = "60", description = "seconds between a kiosk's telemetry samples")
    int telemetrySeconds;
    @Option(names = "--store-dir", required = true, description = "directory for the kiosks' SQLite files")
    Path storeDir;
    @Option(names = "--reconnect-max-seconds", defaultValue = "120", description = "mqtt.reconnect.max.seconds of every kiosk")
    int reconnectMaxSeconds;
    @Option(names = "--drain-rate", defaultValue = "50", description = "mqtt.drain.rate of every kiosk (messages/s)")
    double drainRate;
    @Option(names = "--drain-timeout-seconds", defaultValue = "300", description = "how long to wait for the outboxes to drain")
    int drainTimeoutSeconds;
    @Option(names = "--ramp-seconds", defaultValue = "-1", description = "spread the kiosks' start over this long (default N/100 s)")
    double rampSeconds;
    @Option(names = "--platform-threads", description = "run each session on platform threads of its own, as a kiosk does (to compare)")
    boolean platformThreads;
    @Option(names = "--no-tally", negatable = true, defaultValue = "true", description = "count distinct event ids with an independent subscriber")
    boolean tally;
    @Option(names = "--tls-ca", description = "PEM CA of the broker (mqtt.tls.ca)")
    Optional<Path> tlsCa;
    @Option(names = "--tls-cert", description = "PEM client certificate every kiosk presents (mqtt.tls.cert)")
    Optional<Path> tlsCert;
    @Option(names = "--tls-key", description = "PEM private key of that certificate (mqtt.tls.key)")
    Optional<Path> tlsKey;
    @Option(names = "--seed", defaultValue = "1", description = "seed of the event schedule's phases")
    long seed;

    public static void main(String[] args) {
        // Stdout carries the one JSON line; the kiosks' logs go to stderr, warnings and up unless asked otherwise.
        System.setProperty("tinylog.writer", "console");
        System.setProperty("tinylog.writer.stream", "err");
        System.setProperty("tinylog.writer.level", System.getProperty("fleet.log.level", "warn"));
        // Each session's SQLite commits (bdSeq at every connect try, deliveries) are native calls with an fsync, which
        // hold their carrier thread: with one carrier per core a thousand reconnecting sessions stall every virtual
        // thread for seconds, then release their due reconnects in one burst. More carriers keep the backoff's timing.
        if (System.getProperty("jdk.virtualThreadScheduler.parallelism") == null) {
            System.setProperty("jdk.virtualThreadScheduler.parallelism", "64");
            System.setProperty("jdk.virtualThreadScheduler.maxPoolSize", "256");
        }
        System.exit(new CommandLine(new Fleet()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ObjectNode figures = run();
        System.out.println(figures);
        System.out.flush();
        return figures.path("complete").asBoolean() ? 0 : 1;
    }

    /** Runs the fleet and returns its figures; {@code complete} says everything committed was delivered and seen. */
    ObjectNode run() throws Exception {
        ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Files.createDirectories(storeDir);
        MqttConfig mqtt = new MqttConfig(brokers, Optional.empty(), Optional.empty(), tlsCa, tlsCert, tlsKey, "ckp/v1",
                Duration.ofSeconds(reconnectMaxSeconds), 10, Duration.ofSeconds(30), drainRate,
                Duration.ofSeconds(telemetrySeconds));
        Optional<SSLSocketFactory> tls = TlsContexts.forMqtt(mqtt);
        ClockStatus clock = ClockStatus.system(true);

        EventTally witness = null;
        if (tally) {
            MqttConnectionOptions o = new MqttConnectionOptions();
            tls.ifPresent(o::setSocketFactory);
            witness = new EventTally(brokers.get(0).toString(), mqtt.topicPrefix(), o);
        }
        int threadsBefore = threadBean.getThreadCount();
        SharedPahoExecutor paho = new SharedPahoExecutor();
        SessionThreads threads = platformThreads ? SessionThreads.platform() : SessionThreads.shared(paho);
        // Opening a thousand SQLite files one by one takes a minute on a loaded machine: four at a time.
        List<java.util.concurrent.Future<FleetKiosk>> opening = new ArrayList<>();
        java.util.concurrent.ExecutorService openers = Executors.newFixedThreadPool(4);
        for (int i = 0; i < kiosks; i++) {
            Topics topics = new Topics(mqtt.topicPrefix(), String.format("site-%04d", i / 4), "lane-" + (i % 4 + 1),
                    String.format("kiosk-%05d", i + 1));
            opening.add(openers.submit(() -> new FleetKiosk(topics, storeDir.resolve(topics.kiosk() + ".db"), mqtt,
                    tls, threads, clock)));
        }
        List<FleetKiosk> fleet = new ArrayList<>();
        for (var f : opening) {
            fleet.add(f.get());
        }
        openers.shutdown();

        long t0 = System.currentTimeMillis();
        ConnectionSampler sampler = new ConnectionSampler(fleet, t0, threadBean, memory);
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2,
                Thread.ofPlatform().name("fleet-timer-", 0).daemon().factory());
        // The sampler has a thread of its own: the commit timers block on busy stores, and must not delay it.
        ScheduledExecutorService sampling = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("fleet-sampler").daemon().priority(Thread.MAX_PRIORITY).factory());
        sampling.scheduleWithFixedDelay(sampler::sample, 0, 100, TimeUnit.MILLISECONDS);
        double ramp = rampSeconds >= 0 ? rampSeconds : kiosks / 100.0;
        Random phases = new Random(seed);
        long eventPeriodMicros = Math.round(60_000_000 / eventsPerMinute);
        for (int i = 0; i < fleet.size(); i++) {
            FleetKiosk k = fleet.get(i);
            long startMicros = Math.round(ramp * 1e6 * i / Math.max(1, kiosks));
            timers.schedule(k::start, startMicros, TimeUnit.MICROSECONDS);
            timers.scheduleAtFixedRate(guarded(k::commitEvent), startMicros + (long) (phases.nextDouble() * eventPeriodMicros),
                    eventPeriodMicros, TimeUnit.MICROSECONDS);
            timers.scheduleAtFixedRate(guarded(k::commitTelemetry), startMicros + (long) (phases.nextDouble()
                    * telemetrySeconds * 1e6), telemetrySeconds * 1_000_000L, TimeUnit.MICROSECONDS);
        }
        // fleet-run waits for this line to time the broker's outage from the kiosks' start.
        System.err.println("fleet: " + kiosks + " kiosks starting at " + t0);
        System.err.flush();
        int peakThreadsRunning = 0;
        long end = t0 + seconds * 1000L;
        while (System.currentTimeMillis() < end) {
            Thread.sleep(1000);
            peakThreadsRunning = Math.max(peakThreadsRunning, threadBean.getThreadCount());
        }
        // Stop committing, and let a commit under way finish before counting; the sampler goes on while draining.
        timers.shutdownNow();
        if (!timers.awaitTermination(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the fleet's commit timers did not stop within 60 s");
        }
        long committed = fleet.stream().mapToLong(FleetKiosk::committedEvents).sum();
        long drainFrom = System.currentTimeMillis();
        long drainDeadline = drainFrom + drainTimeoutSeconds * 1000L;
        long undelivered;
        int distinct = 0;
        while (true) {
            undelivered = fleet.stream().mapToLong(FleetKiosk::undelivered).sum();
            distinct = witness == null ? 0 : witness.distinctIds();
            boolean seen = witness == null || distinct >= committed;
            if ((undelivered == 0 && seen) || System.currentTimeMillis() > drainDeadline) {
                break;
            }
            Thread.sleep(200);
        }
        long drainMillis = System.currentTimeMillis() - drainFrom;
        sampling.shutdownNow();
        long undeliveredEvents = fleet.stream().mapToLong(FleetKiosk::undeliveredEvents).sum();

        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        out.put("kiosks", kiosks);
        out.put("seconds", seconds);
        out.put("eventsPerMinute", eventsPerMinute);
        out.put("reconnectMaxSeconds", reconnectMaxSeconds);
        out.put("threadsMode", platformThreads ? "platform" : (SessionThreads.shared(paho).virtual() ? "virtual" : "platform-shared-paho"));
        out.put("committed", committed);
        out.put("delivered", committed - undeliveredEvents);
        out.put("undelivered", undeliveredEvents);
        out.put("undeliveredAllClasses", undelivered);
        out.put("distinctIdsAtSubscriber", witness == null ? -1 : distinct);
        out.put("connects", sampler.connects());
        out.put("reconnects", sampler.reconnectMillis().length);
        long[] r = sampler.reconnectMillis();
        out.put("reconnectP50Ms", percentile(r, 50));
        out.put("reconnectP99Ms", percentile(r, 99));
        out.put("reconnectMaxMs", r.length == 0 ? 0 : r[r.length - 1]);
        out.put("maxConnectsInOneSecondAfterLoss", sampler.maxConnectsPerSecondAfterFirstLoss());
        out.put("allBackAfterLossMs", sampler.allBackAfterLossMillis());
        long[] lat = witness == null ? new long[0] : witness.latencies().stream().mapToLong(Long::longValue).sorted().toArray();
        out.put("publishLatencyP50Ms", percentile(lat, 50));
        out.put("publishLatencyP99Ms", percentile(lat, 99));
        out.put("drainMs", drainMillis);
        out.put("peakHeapMb", sampler.peakHeapBytes() / (1024 * 1024));
        out.put("peakThreads", Math.max(peakThreadsRunning, sampler.peakThreads()));
        out.put("threadsBeforeKiosks", threadsBefore);
        out.put("threadsPerKiosk", Math.round(100.0 * (Math.max(peakThreadsRunning, sampler.peakThreads()) - threadsBefore)
                / Math.max(1, kiosks)) / 100.0);
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("loadAverage", Math.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100) / 100.0);
        out.put("complete", undeliveredEvents == 0 && (witness == null || distinct == committed));

        try (var closing = Executors.newVirtualThreadPerTaskExecutor()) {
            fleet.forEach(k -> closing.submit(k::close));
        }
        if (witness != null) {
            witness.close();
        }
        paho.close();
        return out;
    }

    /** A scheduled task that reports and survives a failure instead of silently ending its schedule. */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                System.err.println("fleet: " + e);
            }
        };
    }

    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** Samples every kiosk's connection every 100 ms: connects, reconnect times, connects per second, heap, threads. */
    static final class ConnectionSampler {
        private final List<FleetKiosk> fleet;
        private final long t0;
        private final ThreadMXBean threads;
        private final MemoryMXBean memory;
        private final List<Long> reconnects = new ArrayList<>();
        private final TreeMap<Long, Integer> connectsPerSecond = new TreeMap<>();
        private long connects;
        private long firstLossAt = -1;
        private long allBackAt = -1;
        private long peakHeap;
        private int peakThreads;

        ConnectionSampler(List<FleetKiosk> fleet, long t0, ThreadMXBean threads, MemoryMXBean memory) {
            this.fleet = fleet;
            this.t0 = t0;
            this.threads = threads;
            this.memory = memory;
        }

        synchronized void sample() {
            long now = System.currentTimeMillis();
            int up = 0;
            boolean anyDown = false;
            for (FleetKiosk k : fleet) {
                boolean c = k.connected();
                if (c && !k.wasConnected) {
                    connects++;
                    connectsPerSecond.merge(now / 1000, 1, Integer::sum);
                    if (k.downSinceMillis >= 0) {
                        reconnects.add(now - k.downSinceMillis);
                    }
                } else if (!c && k.wasConnected) {
                    k.downSinceMillis = now;
                    if (firstLossAt < 0) {
                        firstLossAt = now;
                    }
                }
                k.wasConnected = c;
                if (c) {
                    up++;
                } else if (k.downSinceMillis >= 0) {
                    anyDown = true;
                }
            }
            if (firstLossAt >= 0 && !anyDown && up == fleet.size() && allBackAt < 0) {
                allBackAt = now;
            }
            peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
            peakThreads = Math.max(peakThreads, threads.getThreadCount());
        }

        synchronized long connects() {
            return connects;
        }

        synchronized long[] reconnectMillis() {
            long[] r = reconnects.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(r);
            return r;
        }

        synchronized int maxConnectsPerSecondAfterFirstLoss() {
            if (firstLossAt < 0) {
                return 0;
            }
            return connectsPerSecond.tailMap(firstLossAt / 1000, true).values().stream().mapToInt(i -> i).max().orElse(0);
        }

        synchronized long allBackAfterLossMillis() {
            return firstLossAt < 0 || allBackAt < 0 ? -1 : allBackAt - firstLossAt;
        }

        synchronized long peakHeapBytes() {
            return peakHeap;
        }

        synchronized int peakThreads() {
            return peakThreads;
        }
    }
}
