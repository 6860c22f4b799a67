package ckp.kiosk.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.fixtures.MosquittoBroker;
import ckp.kiosk.fixtures.Stores;
import ckp.kiosk.message.MessageClass;
import ckp.kiosk.message.Topics;
import ckp.kiosk.store.EventStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many sessions in one process on {@link SessionThreads#shared}: every event is delivered, across a broker restart,
 * and no session starts platform threads of its own (Paho's per-client threads and timer included).
 */
class SharedSessionThreadsTest {
    private static final int SESSIONS = 12;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void sessionsOnSharedThreadsDeliverEveryEventAcrossABrokerRestartWithoutPlatformThreadsOfTheirOwn()
            throws Exception {
        MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"), List.of());
        List<EventStore> stores = new ArrayList<>();
        List<Publisher> publishers = new ArrayList<>();
        List<Topics> topics = new ArrayList<>();
        try (SharedPahoExecutor paho = new SharedPahoExecutor()) {
            SessionThreads threads = SessionThreads.shared(paho);
            MqttConfig config = Fixtures.config(List.of(broker.uri()), 2, 50);
            for (int i = 1; i <= SESSIONS; i++) {
                Topics t = new Topics("ckp/v1", "s1", "l1", "shared-k" + i);
                EventStore store = EventStore.open(dir.resolve(t.kiosk() + ".db"));
                Publisher p = new Publisher(store, new PahoBrokerLink(t.kiosk(), Optional.empty(), Optional.empty(),
                        Optional.empty(), 5, threads.pahoTasks()), config, t, "test", Fixtures.CLOCK, "boot-1",
                        threads);
                stores.add(store);
                publishers.add(p);
                topics.add(t);
                p.start();
            }
            for (int i = 0; i < SESSIONS; i++) {
                appendEvent(stores.get(i), topics.get(i));
                publishers.get(i).wake();
            }
            await(() -> publishers.stream().allMatch(Publisher::connected)
                    && stores.stream().allMatch(s -> s.undeliveredCount() == 0), 60, "every session delivered");
            // Thread.getAllStackTraces lists platform threads only; Paho names its threads after the client id.
            Set<String> ownPlatformThreads = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(n -> n.contains("shared-k"))
                    // Before JDK 24 Paho's tasks stay on platform threads; only the per-client timer goes.
                    .filter(n -> SessionThreads.virtualThreadsUnpinned() || n.startsWith("MQTT Ping"))
                    .collect(Collectors.toSet());
            assertEquals(Set.of(), ownPlatformThreads, "Paho's per-client threads and timers run on the shared executor");

            broker.kill();
            await(() -> publishers.stream().noneMatch(Publisher::connected), 60, "every session saw the loss");
            for (int i = 0; i < SESSIONS; i++) {
                appendEvent(stores.get(i), topics.get(i));
                publishers.get(i).wake();
            }
            broker.startProcess();
            await(() -> publishers.stream().allMatch(Publisher::connected)
                    && stores.stream().allMatch(s -> s.undeliveredCount() == 0), 90,
                    "every session reconnected and delivered what it committed during the outage");
            for (int i = 0; i < SESSIONS; i++) {
                Path file = dir.resolve(topics.get(i).kiosk() + ".db");
                assertEquals(Fixtures.committedEventIds(file), Fixtures.acknowledgedEventIds(file));
                assertTrue(Fixtures.committedEventIds(file).size() >= 2);
            }
        } finally {
            publishers.forEach(Publisher::close);
            stores.forEach(EventStore::close);
            broker.close();
        }
    }

    private static void await(BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + seconds + " s: " + what);
            }
            Thread.sleep(100);
        }
    }

    private static void appendEvent(EventStore store, Topics t) {
        Stores.append(store, MessageClass.EVENT, t.event(), false, Fixtures.CLOCK.now(), true, "boot-1",
                stamp -> JSON.createObjectNode().put("id", stamp.id().toString()).put("seq", stamp.seq())
                        .put("kiosk", t.kiosk()).put("time", stamp.time().toString())
                        .toString().getBytes(StandardCharsets.UTF_8));
    }
}
