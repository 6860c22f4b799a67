package ckp.kiosk.publish;

import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.message.MessageClass;
import ckp.kiosk.message.Payload;
import ckp.kiosk.message.Stamp;
import ckp.kiosk.store.EventStore;
import ckp.kiosk.store.Outbox;
import ckp.kiosk.store.StoredMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The kiosk's health figures (docs/schema/telemetry.schema.json), committed through the store as class TELEMETRY
 * every interval and published like any message, with an MQTT message expiry so stale samples are not queued for
 * ever at the broker.
 */
public final class Telemetry implements AutoCloseable {
    private static final TaggedLogger LOG = Logger.tag("publish");

    private final EventStore store;
    private final Publisher publisher;
    private final TelemetrySource source;
    private final ClockStatus clock;
    private final String bootId;
    private final long startNanos = System.nanoTime();
    private volatile Duration interval;
    private volatile boolean running = true;
    private Thread thread;

    public Telemetry(EventStore store, Publisher publisher, TelemetrySource source, ClockStatus clock, String bootId,
                     Duration interval) {
        this.store = store;
        this.publisher = publisher;
        this.source = source;
        this.clock = clock;
        this.bootId = bootId;
        setInterval(interval);
    }

    public void start() {
        thread = Thread.ofPlatform().name("telemetry").daemon().start(this::run);
    }

    public Duration interval() {
        return interval;
    }

    /** Changes the interval at run time (the {@code config} command); not persisted. */
    public void setInterval(Duration d) {
        if (d.toSeconds() < 5 || d.toSeconds() > 86_400) {
            throw new IllegalArgumentException("telemetry.interval.seconds must be 5 to 86400, got " + d.toSeconds());
        }
        interval = d;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                continue; // a new interval, or a stop: the loop condition decides
            }
            try {
                sampleNow();
            } catch (RuntimeException e) {
                LOG.error("telemetry sample not recorded: {}", e.getMessage());
            }
        }
    }

    /** Commits one sample now and wakes the publisher. */
    public StoredMessage sampleNow() {
        TelemetrySource.StageFigures f = source.sample();
        long depth = store.undeliveredCount();
        Optional<Instant> oldest = store.oldestUndelivered();
        long diskFree = diskFreeBytes(store.path());
        StoredMessage m = new Outbox(store, publisher.topics(), clock, bootId).record(new Payload() {
            @Override
            public MessageClass messageClass() {
                return MessageClass.TELEMETRY;
            }

            @Override
            public Map<String, Object> fields(Stamp stamp) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("bootId", stamp.bootId());
                o.put("uptimeSeconds", (System.nanoTime() - startNanos) / 1_000_000_000L);
                o.put("intervalSeconds", interval.toSeconds());
                o.put("queueDepth", depth);
                o.put("oldestUndeliveredAgeSeconds", oldest.isPresent()
                        ? Math.max(0, Duration.between(oldest.get(), stamp.time()).toSeconds()) : null);
                o.put("evictedTelemetry", f.evictedTelemetry());
                o.put("droppedEvents", f.droppedEvents());
                TreeSet<String> alarms = new TreeSet<>(f.alarms());
                alarms.addAll(publisher.activeAlarms());
                o.put("alarms", List.copyOf(alarms));
                o.put("sensor", f.sensor().wire());
                o.put("camera", f.camera().wire());
                o.put("decodeFramesPerSecond", f.decodeFramesPerSecond().isPresent()
                        ? f.decodeFramesPerSecond().getAsDouble() : null);
                o.put("diskFreeBytes", diskFree);
                Map<String, Object> mqtt = new LinkedHashMap<>();
                mqtt.put("connected", publisher.connected());
                mqtt.put("bdSeq", publisher.bdSeq());
                o.put("mqtt", mqtt);
                Map<String, Object> rules = new LinkedHashMap<>();
                rules.put("version", f.rules().version());
                rules.put("entries", f.rules().entries());
                rules.put("refused", f.rules().refused());
                o.put("rules", rules);
                return o;
            }
        });
        publisher.wake();
        return m;
    }

    private static long diskFreeBytes(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            return Files.getFileStore(dir == null ? file : dir).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
