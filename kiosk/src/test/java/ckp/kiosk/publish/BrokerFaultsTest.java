package ckp.kiosk.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.fixtures.Await;
import ckp.kiosk.fixtures.MosquittoBroker;
import ckp.kiosk.store.EventStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker misbehaves while the kiosk keeps recording: kill -9 and restart on the same port, frozen (SIGSTOP) until
 * the kiosk has given the connection up, then stopped while a backlog builds. Every committed event reaches an
 * independent persistent subscriber, in seq order per connection. Each fault lasts until the kiosk is in the state
 * the fault is about, never a fixed time.
 */
class BrokerFaultsTest {
    /** Events the lane records during the outage: many times the in-flight window and the drain rate's second. */
    private static final int OUTAGE_BACKLOG = 600;

    @TempDir
    Path dir;

    @Test
    void nothingIsLostThroughABrokerKillAFreezeAndAnOutage() throws Exception {
        MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"), List.of());
        Path storeFile = dir.resolve("events.db");
        ScheduledExecutorService lane = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "test-lane"));
        try (EventStore store = EventStore.open(storeFile);
             PersistentSubscriber central = new PersistentSubscriber(broker.uri(), "ckp/v1/#")) {
            Publisher publisher = Fixtures.publisher(store, Fixtures.config(List.of(broker.uri()), 3, 200));
            // A lane recording 40 events a second throughout.
            lane.scheduleAtFixedRate(() -> {
                Fixtures.appendEvent(store);
                publisher.wake();
            }, 0, 25, TimeUnit.MILLISECONDS);
            publisher.start();
            try {
                awaitDelivering(publisher, storeFile, "at start");
                awaitCaughtUp(central, storeFile);
                broker.kill();
                Await.until("the kiosk noticed the killed broker", () -> !publisher.connected());
                broker.startProcess();

                awaitDelivering(publisher, storeFile, "after the restart");
                awaitCaughtUp(central, storeFile);
                broker.pause();
                // Frozen with its sockets open: only the keep-alive tells the kiosk, and it must give the link up.
                Await.until("the kiosk gave up the frozen broker's connection", () -> !publisher.connected());
                broker.resume();

                awaitDelivering(publisher, storeFile, "after the freeze");
                awaitCaughtUp(central, storeFile);
                // The broker is down while the lane keeps recording: a backlog of many windows builds up.
                broker.close();
                long backlogFrom = store.undeliveredCount();
                Await.until(OUTAGE_BACKLOG + " events recorded during the outage",
                        () -> store.undeliveredCount() >= backlogFrom + OUTAGE_BACKLOG);
                assertFalse(publisher.connected());
                broker.startProcess();
                Await.until("the kiosk reconnected after the outage", publisher::connected);
                lane.shutdown();
                assertTrue(lane.awaitTermination(60, TimeUnit.SECONDS));

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
                lane.shutdownNow();
                lane.awaitTermination(60, TimeUnit.SECONDS);
                publisher.close();
                broker.close();
            }
        }
    }

    /** Waits until the kiosk is connected and has had events acknowledged on this connection. */
    private static void awaitDelivering(Publisher publisher, Path storeFile, String when) throws Exception {
        Await.until("the kiosk is connected " + when, publisher::connected);
        int acked = Fixtures.acknowledgedEventIds(storeFile).size();
        Await.until("new events are acknowledged " + when,
                () -> Fixtures.acknowledgedEventIds(storeFile).size() >= acked + 10);
    }

    /** Waits until the subscriber holds every event the kiosk saw acknowledged, so a fault tests the kiosk alone. */
    private static void awaitCaughtUp(PersistentSubscriber central, Path storeFile) throws Exception {
        Set<String> acked = Fixtures.acknowledgedEventIds(storeFile);
        assertTrue(central.await(r -> Delivery.eventIds(r).containsAll(acked), Duration.ofSeconds(60)),
                "the subscriber caught up before the next fault");
    }
}
