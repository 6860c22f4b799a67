package ckp.kiosk.fleet;

import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.message.MessageClass;
import ckp.kiosk.message.Payload;
import ckp.kiosk.message.Stamp;
import ckp.kiosk.message.Topics;
import ckp.kiosk.publish.MqttConfig;
import ckp.kiosk.publish.PahoBrokerLink;
import ckp.kiosk.publish.Publisher;
import ckp.kiosk.publish.SessionThreads;
import ckp.kiosk.store.AppendOutcome;
import ckp.kiosk.store.EventStore;
import ckp.kiosk.store.Outbox;
import ckp.kiosk.store.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocketFactory;

/**
 * One simulated kiosk of the fleet: the service's own store file, outbox and publisher (its own MQTT session), fed
 * synthetic checkpoint events and telemetry instead of a lane. Its connection state is sampled by the fleet.
 */
final class FleetKiosk implements AutoCloseable {
    private final Topics topics;
    private final EventStore store;
    private final Outbox outbox;
    private final Publisher publisher;
    private final AtomicLong committedEvents = new AtomicLong();
    private long eventCount;

    /** What the sampler last saw, and since when (ms of the fleet's clock); sampler thread only. */
    boolean wasConnected;
    long downSinceMillis = -1;

    FleetKiosk(Topics topics, Path storeFile, MqttConfig mqtt, Optional<SSLSocketFactory> tls, SessionThreads threads,
               ClockStatus clock) {
        this.topics = topics;
        String bootId = UUID.randomUUID().toString();
        this.store = EventStore.open(new StoreConfig(storeFile, Duration.ofHours(1), StoreConfig.DEFAULT_MAX_BYTES, 0),
                topics, bootId, clock);
        this.outbox = new Outbox(store, topics, clock, bootId);
        this.publisher = new Publisher(store, new PahoBrokerLink(topics.kiosk(), mqtt.username(), mqtt.passwordFile(),
                tls, (int) mqtt.keepAlive().toSeconds(), threads.pahoTasks()), mqtt, topics, "fleet", clock, bootId,
                threads);
    }

    String id() {
        return topics.kiosk();
    }

    void start() {
        publisher.start();
    }

    boolean connected() {
        return publisher.connected();
    }

    /** Commits one synthetic checkpoint event through the service's outbox and wakes the publisher. */
    void commitEvent() {
        long n = ++eventCount;
        Payload event = new Payload() {
            @Override
            public MessageClass messageClass() {
                return MessageClass.EVENT;
            }

            @Override
            public Map<String, Object> fields(Stamp stamp) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("outcome", n % 10 == 0 ? "stop" : "pass");
                f.put("synthetic", true);
                return f;
            }
        };
        if (outbox.tryRecord(event) instanceof AppendOutcome.Committed) {
            committedEvents.incrementAndGet();
        }
        publisher.wake();
    }

    /** Commits one synthetic telemetry sample. */
    void commitTelemetry() {
        outbox.tryRecord(new Payload() {
            @Override
            public MessageClass messageClass() {
                return MessageClass.TELEMETRY;
            }

            @Override
            public Map<String, Object> fields(Stamp stamp) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("undelivered", 0);
                f.put("synthetic", true);
                return f;
            }
        });
        publisher.wake();
    }

    long committedEvents() {
        return committedEvents.get();
    }

    /** Checkpoint events still waiting for their PUBACK. */
    long undeliveredEvents() {
        return store.pending(0, Integer.MAX_VALUE, Set.of()).stream()
                .filter(m -> m.messageClass() == MessageClass.EVENT).count();
    }

    /** Messages of every class still waiting for their PUBACK. */
    long undelivered() {
        return store.undeliveredCount();
    }

    @Override
    public void close() {
        publisher.close();
        store.close();
    }
}
