package ckp.kiosk.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.fixtures.Await;
import ckp.kiosk.simulate.MosquittoBroker;
import ckp.kiosk.store.EventStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A kiosk that starts with the broker down, a dead first URI and a backlog: live events overtake the paced backlog. */
class BacklogAndFailoverTest {
    private static final int BACKLOG = 100;
    private static final double DRAIN_RATE = 20;

    @TempDir
    Path dir;

    @Test
    void afterAFailedFirstConnectLiveEventsGoFirstAndTheBacklogDrainsAtTheConfiguredRate() throws Exception {
        int port = MosquittoBroker.freePort();
        String uri = "tcp://127.0.0.1:" + port;
        MosquittoBroker broker = MosquittoBroker.startOn(dir.resolve("broker"), port, List.of());
        // The central session exists before the kiosk runs; the broker keeps it across its restart (persistence,
        // saved when the broker stops).
        try (EventStore store = EventStore.open(dir.resolve("events.db"));
             PersistentSubscriber central = new PersistentSubscriber(uri, "ckp/v1/#");
             DeadBroker dead = new DeadBroker()) {
            broker.close();
            List<String> backlog = new ArrayList<>();
            for (int i = 0; i < BACKLOG; i++) {
                backlog.add(Fixtures.appendEvent(store).id().toString());
            }
            Publisher publisher = Fixtures.publisher(store,
                    Fixtures.config(List.of(dead.uri(), uri), 2, DRAIN_RATE));
            publisher.start(); // no broker: the first connects fail and back off
            try {
                Await.until("two failed rounds of connects, a backoff between them", () -> dead.tries() >= 2);
                assertEquals(BACKLOG, store.undeliveredCount());
                broker.startProcess();
                Await.until("connected through the second URI of the failover list", publisher::connected);
                long connectedAt = System.nanoTime();
                Set<String> live = new HashSet<>();
                for (int i = 0; i < 5; i++) {
                    live.add(Fixtures.appendEvent(store).id().toString());
                    publisher.wake();
                }
                assertTrue(central.await(r -> Delivery.eventIds(r).containsAll(backlog)
                        && Delivery.eventIds(r).containsAll(live), Duration.ofSeconds(60)));
                double drainSeconds = (System.nanoTime() - connectedAt) / 1e9;

                List<String> order = central.on("/event").stream().map(PersistentSubscriber.Received::id).toList();
                int lastLive = live.stream().mapToInt(order::indexOf).max().orElseThrow();
                int lastBacklog = backlog.stream().mapToInt(order::indexOf).max().orElseThrow();
                assertTrue(lastLive < lastBacklog, "live events overtake the backlog: " + lastLive + " vs "
                        + lastBacklog);
                // A token bucket of at most one window (10) cannot send 100 at 20/s in under 4.5 s.
                assertTrue(drainSeconds >= (BACKLOG - 10) / DRAIN_RATE, "the backlog is paced: " + drainSeconds);
                Delivery.assertSeqOrderPerConnection(central.received());
            } finally {
                publisher.close();
                broker.close();
            }
        }
    }

    /** The failover list's first URI: a port that takes each connection and closes it, counting the kiosk's tries. */
    private static final class DeadBroker implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger tries = new AtomicInteger();
        private final Thread acceptor = Thread.ofPlatform().daemon().name("dead-broker").start(this::accept);

        DeadBroker() throws IOException {
        }

        private void accept() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    tries.incrementAndGet();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        String uri() {
            return "tcp://127.0.0.1:" + socket.getLocalPort();
        }

        int tries() {
            return tries.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
