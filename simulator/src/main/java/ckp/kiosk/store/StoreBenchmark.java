package ckp.kiosk.store;

import ckp.kiosk.message.Topics;
import ckp.kiosk.message.MessageClass;
import ckp.kiosk.clock.ClockStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Durable commit latency of the event store: how long {@link EventStore#append} takes for a checkpoint event (WAL,
 * synchronous=FULL, so each commit waits for the disk), alone and while a publisher marks rows delivered. A
 * benchmark, not a test:
 * {@code java -cp simulator/target/simulator.jar ckp.kiosk.store.StoreBenchmark [folder on the disk to measure] [events]}.
 */
public final class StoreBenchmark {
    private static final byte[] PAD = "x".repeat(600).getBytes(StandardCharsets.UTF_8);

    private static final Topics BENCH_TOPICS = new Topics("bench", "site", "lane", "kiosk");

    private StoreBenchmark() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path parent = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        Path dir = Files.createTempDirectory(parent, "store-bench-");
        try {
            System.out.printf(Locale.ROOT, "store benchmark in %s (file system %s), %d events of ~%d bytes%n", dir,
                    Files.getFileStore(dir).type(), events, PAD.length + 100);
            StoreConfig config = new StoreConfig(dir.resolve("events.db"), Duration.ofHours(24), 1L << 34, 0);
            try (EventStore store = EventStore.open(config, BENCH_TOPICS, "bench", ClockStatus.system(true))) {
                measure(store, 200); // warm-up: JIT, page cache, WAL file grown
                reportFileCheck(OpenedFiles.at(config.path()));
                report("append alone", measure(store, events));
                AtomicBoolean running = new AtomicBoolean(true);
                Thread publisher = Thread.ofPlatform().name("bench-publisher").start(() -> {
                    while (running.get()) {
                        List<Long> batch = store.pending(0, 16, java.util.Set.of()).stream()
                                .map(PendingMessage::position).toList();
                        if (!batch.isEmpty()) {
                            store.markDelivered(batch, Instant.now(), Instant.now());
                        }
                        if (batch.isEmpty()) {
                            try {
                                Thread.sleep(1); // a real publisher waits for a PUBACK or a wake-up here
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                });
                report("append while a publisher acks in batches of 16", measure(store, events));
                running.set(false);
                publisher.join();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static long[] measure(EventStore store, int count) {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            store.tryAppend(MessageClass.EVENT, "bench/event", false, Instant.now(), true, "bench",
                    stamp -> ("{\"id\":\"" + stamp.id() + "\",\"seq\":" + stamp.seq() + ",\"pad\":\""
                            + new String(PAD, StandardCharsets.UTF_8) + "\"}").getBytes(StandardCharsets.UTF_8));
            nanos[i] = System.nanoTime() - t0;
        }
        return nanos;
    }

    /**
     * What the check before each commit costs (is the file at store.path still the open one: a stat of the database and
     * of its -wal): too small to show in the commit latency, so it is timed on its own, 100000 times after a warm-up.
     */
    private static void reportFileCheck(OpenedFiles files) {
        int n = 100_000;
        boolean all = true;
        for (int i = 0; i < n; i++) {
            all &= files.stillAtPath();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            all &= files.stillAtPath();
        }
        long nanos = System.nanoTime() - t0;
        System.out.printf(Locale.ROOT, "%-46s n=%d mean=%.2f us (files %s)%n", "file identity check before a commit", n,
                nanos / 1e3 / n, all ? "unchanged" : "CHANGED");
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double totalSeconds = Arrays.stream(nanos).sum() / 1e9;
        System.out.printf(Locale.ROOT, "%-46s n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms (%.0f commits/s)%n",
                what, sorted.length, ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99),
                sorted[sorted.length - 1] / 1e6, sorted.length / totalSeconds);
    }

    private static double ms(long[] sorted, double quantile) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
