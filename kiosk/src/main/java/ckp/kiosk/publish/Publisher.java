package ckp.kiosk.publish;

import ckp.kiosk.store.EventStore;
import ckp.kiosk.store.StoredMessage;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * Store-and-forward: one thread that connects (with backoff and failover), publishes undelivered messages from the
 * store in commit order with a bounded in-flight window, and marks each delivered only when its PUBACK carries a
 * success reason code. Acknowledgements arrive on Paho's threads and are handed to this thread through a queue, so
 * the client is never called from its own callbacks.
 */
public final class Publisher implements AutoCloseable {
    private static final TaggedLogger LOG = Logger.tag("publish");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BACKOFF_BASE = Duration.ofSeconds(1);

    private final EventStore store;
    private final BrokerLink link;
    private final MqttConfig config;
    private final Topics topics;
    private final String version;
    private final Clock clock;
    private final LinkedBlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    private volatile boolean running = true;
    private volatile boolean connected;
    private Thread thread;

    /** What wakes the publisher thread: a PUBACK, a lost connection, new work or a stop. */
    private sealed interface Signal permits Ack, Lost, Wake {
    }

    private record Ack(long connection, long position, int reasonCode) implements Signal {
    }

    private record Lost(long connection) implements Signal {
    }

    private record Wake() implements Signal {
    }

    public Publisher(EventStore store, BrokerLink link, MqttConfig config, Topics topics, String version, Clock clock) {
        this.store = store;
        this.link = link;
        this.config = config;
        this.topics = topics;
        this.version = version;
        this.clock = clock;
    }

    public void start() {
        thread = Thread.ofPlatform().name("publisher").start(this::run);
    }

    /** Tells the publisher a message was committed. Cheap; callable from any thread. */
    public void wake() {
        signals.offer(new Wake());
    }

    public boolean connected() {
        return connected;
    }

    private void run() {
        int failures = 0;
        long connection = 0;
        while (running) {
            connection++;
            int window;
            try {
                window = connect(connection);
                failures = 0;
            } catch (BrokerException e) {
                connected = false;
                failures++;
                Duration wait = backoff(failures);
                LOG.warn("{}; next try in {} ms", e.getMessage(), wait.toMillis());
                sleep(wait);
                continue;
            }
            try {
                int rejection = pump(connection, window);
                if (rejection >= 0x80) {
                    failures++;
                    Duration wait = backoff(failures);
                    LOG.error("broker refused a message with reason code 0x{}; it stays in the store; retry in {} ms",
                            Integer.toHexString(rejection), wait.toMillis());
                    link.close();
                    connected = false;
                    sleep(wait);
                }
            } catch (BrokerException e) {
                LOG.warn("publishing stopped: {}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                connected = false;
            }
        }
        sayOffline();
        link.close();
    }

    /** A clean stop sends no will, so the retained status is set to offline by hand before disconnecting. */
    private void sayOffline() {
        OptionalLong bdSeq = store.counter("mqtt.bdseq");
        try {
            ObjectNode offline = JSON.createObjectNode().put("state", "offline").put("bdSeq", bdSeq.orElse(0));
            link.publish(topics.status(), bytes(offline), 1, true, code -> { });
        } catch (BrokerException e) {
            LOG.debug("offline status not sent: {}", e.getMessage());
        }
    }

    /** Connects to the first URI of the failover list that answers; returns the in-flight window to use. */
    private int connect(long connection) throws BrokerException {
        long bdSeq = store.increment("mqtt.bdseq");
        ObjectNode will = JSON.createObjectNode().put("state", "offline").put("bdSeq", bdSeq);
        BrokerException last = null;
        for (URI uri : config.uris()) {
            try {
                int receiveMaximum = link.connect(uri, topics.status(), bytes(will),
                        () -> signals.offer(new Lost(connection)));
                connected = true;
                ObjectNode online = JSON.createObjectNode().put("state", "online").put("bdSeq", bdSeq)
                        .put("version", version).put("since", clock.instant().toString());
                link.publish(topics.status(), bytes(online), 1, true, code -> { });
                int window = Math.min(config.inflightMax(), receiveMaximum);
                LOG.info("connected to {} (bdSeq {}, window {})", uri, bdSeq, window);
                return window;
            } catch (BrokerException e) {
                last = e;
            }
        }
        throw last;
    }

    /**
     * Publishes until the connection is lost or the broker rejects a message.
     *
     * @return the rejecting reason code, or 0 when the connection was lost
     */
    private int pump(long connection, int window) throws BrokerException, InterruptedException {
        Map<Long, StoredMessage> inFlight = new HashMap<>();
        long after = 0;
        while (running) {
            if (inFlight.size() < window) {
                List<StoredMessage> batch = store.undelivered(after, window - inFlight.size());
                for (StoredMessage m : batch) {
                    store.markPublished(m.position(), clock.instant());
                    inFlight.put(m.position(), m);
                    link.publish(m.topic(), m.payload(), 1, m.retain(),
                            code -> signals.offer(new Ack(connection, m.position(), code)));
                    after = m.position();
                }
            }
            Signal s = signals.poll(inFlight.isEmpty() ? 500 : 100, TimeUnit.MILLISECONDS);
            while (s != null) {
                switch (s) {
                    case Ack a when a.connection() == connection -> {
                        StoredMessage m = inFlight.remove(a.position());
                        if (m == null) {
                            break;
                        }
                        if (a.reasonCode() >= 0 && a.reasonCode() < 0x80) {
                            store.markAcknowledged(m.position(), clock.instant());
                        } else if (a.reasonCode() >= 0x80) {
                            return a.reasonCode();
                        } else {
                            return 0;
                        }
                    }
                    case Lost l when l.connection() == connection -> {
                        return 0;
                    }
                    default -> {
                        // A stale signal from an earlier connection, or a wake-up: nothing to do.
                    }
                }
                s = signals.poll();
            }
        }
        return 0;
    }

    /** Full jitter: a random wait between zero and min(cap, base * 2^failures). */
    private Duration backoff(int failures) {
        long capMs = config.reconnectMax().toMillis();
        long ceiling = Math.min(capMs, BACKOFF_BASE.toMillis() << Math.min(failures, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    /** Waits out a backoff; a stop cuts it short (other signals are stale by then and may be dropped). */
    private void sleep(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        try {
            while (running && System.nanoTime() < end) {
                signals.poll(Math.max(1, (end - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Waits until the store holds nothing undelivered, or the time is up; true when drained. */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            if (store.undeliveredCount() == 0) {
                return true;
            }
            Thread.sleep(50);
        }
        return store.undeliveredCount() == 0;
    }

    private static byte[] bytes(ObjectNode node) {
        return node.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        running = false;
        signals.offer(new Wake());
        if (thread != null) {
            try {
                thread.join(5_000);
                if (thread.isAlive()) {
                    thread.interrupt();
                    thread.join(5_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
