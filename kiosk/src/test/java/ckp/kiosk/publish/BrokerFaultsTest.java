package ckp.kiosk.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.fixtures.MosquittoBroker;
import ckp.kiosk.store.EventStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker misbehaves while the kiosk keeps recording: kill -9 and restart on the same port, frozen for 30 s
 * (SIGSTOP), then stopped for a minute. Every committed event reaches an independent persistent subscriber, in seq
 * order per connection.
 */
class BrokerFaultsTest {
    @TempDir
    Path dir;

    @Test
    void nothingIsLostThroughABrokerKillAThirtySecondFreezeAndATwoMinuteOutage() throws Exception {
        MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"), List.of());
        Path storeFile = dir.resolve("events.db");
        AtomicBoolean recording = new AtomicBoolean(true);
        try (EventStore store = EventStore.open(storeFile);
             PersistentSubscriber central = new PersistentSubscriber(broker.uri(), "ckp/v1/#")) {
            Publisher publisher = Fixtures.publisher(store, Fixtures.config(List.of(broker.uri()), 3, 200));
            Thread lane = Thread.ofPlatform().name("test-lane").start(() -> {
                while (recording.get()) {
                    Fixtures.appendEvent(store);
                    publisher.wake();
                    try {
                        Thread.sleep(25);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            publisher.start();
            try {
                Thread.sleep(2_000);
                awaitCaughtUp(central, storeFile);
                broker.kill();
                Thread.sleep(1_000);
                broker.startProcess();

                Thread.sleep(3_000);
                awaitCaughtUp(central, storeFile);
                broker.pause();
                Thread.sleep(30_000);
                broker.resume();

                Thread.sleep(3_000);
                awaitCaughtUp(central, storeFile);
                // The broker is down for minutes while the lane keeps recording (about 4,800 events).
                broker.close();
                Thread.sleep(120_000);
                broker.startProcess();
                Thread.sleep(3_000);
                recording.set(false);
                lane.join();

                assertTrue(publisher.awaitDrained(Duration.ofSeconds(90)), "the backlog drains");
                Set<String> committed = Fixtures.committedEventIds(storeFile);
                assertTrue(central.await(r -> Delivery.eventIds(r).containsAll(committed), Duration.ofSeconds(60)),
                        "every committed event reaches the subscriber");
                List<PersistentSubscriber.Received> received = central.received();
                assertEquals(committed, Delivery.eventIds(received));
                Delivery.assertDuplicatesAreTheSameMessage(received);
                int connections = Delivery.assertSeqOrderPerConnection(received);
                assertTrue(connections >= 3, "the kiosk reconnected after each fault: " + connections);
            } finally {
                recording.set(false);
                publisher.close();
                broker.close();
            }
        }
    }

    /** Waits until the subscriber holds every event the kiosk saw acknowledged, so a fault tests the kiosk alone. */
    private static void awaitCaughtUp(PersistentSubscriber central, Path storeFile) throws Exception {
        Set<String> acked = Fixtures.acknowledgedEventIds(storeFile);
        assertTrue(central.await(r -> Delivery.eventIds(r).containsAll(acked), Duration.ofSeconds(30)),
                "the subscriber caught up before the next fault");
    }
}
