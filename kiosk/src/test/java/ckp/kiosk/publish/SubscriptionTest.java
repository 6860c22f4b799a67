package ckp.kiosk.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.fixtures.Await;
import ckp.kiosk.fixtures.MosquittoBroker;
import ckp.kiosk.store.EventStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A subscription made through the session: re-made after the broker restarts, handled off Paho's threads. */
class SubscriptionTest {
    @TempDir
    Path dir;

    @Test
    void theRetainedDenylistArrivesOnTheInboundThreadAndAgainAfterABrokerRestart() throws Exception {
        MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"), List.of());
        try (EventStore store = EventStore.open(dir.resolve("events.db"))) {
            Publisher publisher = Fixtures.publisher(store, Fixtures.config(List.of(broker.uri()), 2, 50));
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            publisher.subscribe(Fixtures.TOPICS.siteDenylist(), m -> got.add(
                    Thread.currentThread().getName() + " " + m.retained() + " "
                            + new String(m.payload(), StandardCharsets.UTF_8)));
            MqttClient central = new MqttClient(broker.uri(), "central", new MemoryPersistence());
            central.connect(new MqttConnectionOptions());
            central.publish(Fixtures.TOPICS.siteDenylist(), new MqttMessage("v1".getBytes(), 1, true, new MqttProperties()));
            central.disconnect();
            central.close();
            publisher.start();
            try {
                String first = got.poll(20, TimeUnit.SECONDS);
                assertNotNull(first);
                assertEquals("mqtt-inbound true v1", first);
                // A clean restart: a kill -9 within Mosquitto's autosave interval would lose the retained message
                // itself, which is the broker's durability, not the kiosk's re-subscription.
                broker.close();
                broker.startProcess();
                String again = got.poll(30, TimeUnit.SECONDS);
                assertNotNull(again, "the subscription is made again on the new connection");
                assertTrue(again.endsWith(" v1"), again);
                assertFalse(again.startsWith("MQTT"), "handlers never run on a Paho thread: " + again);
            } finally {
                publisher.close();
                broker.close();
            }
        }
    }

    @Test
    void anAuthorityTopicIsHandledOnItsOwnThreadNewestLastAndNeverOlderAfterNewer() throws Exception {
        MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"), List.of());
        try (EventStore store = EventStore.open(dir.resolve("events.db"))) {
            Publisher publisher = Fixtures.publisher(store, Fixtures.config(List.of(broker.uri()), 2, 50));
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            List<String> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
            publisher.subscribeLatest(Fixtures.TOPICS.siteDenylist(), m -> {
                threads.add(Thread.currentThread().getName());
                handled.add(new String(m.payload(), StandardCharsets.UTF_8));
                try {
                    release.await(); // a slow handler: later messages arrive meanwhile
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            publisher.start();
            MqttClient central = new MqttClient(broker.uri(), "central", new MemoryPersistence());
            central.connect(new MqttConnectionOptions());
            try {
                Await.until("the kiosk is connected", publisher::connected);
                for (int v = 1; v <= 50; v++) {
                    central.publish(Fixtures.TOPICS.siteDenylist(), new MqttMessage(String.format("v%02d", v).getBytes(),
                            1, true, new MqttProperties()));
                }
                release.countDown();
                Await.until("v50 is handled", () -> !handled.isEmpty() && handled.getLast().equals("v50"));
                assertEquals("v50", handled.getLast(), "the newest message is always handled: " + handled);
                assertEquals(handled.stream().sorted().toList(), handled, "never an older one after a newer one");
                assertTrue(threads.stream().allMatch(t -> t.equals("mqtt-authority")), threads.toString());
            } finally {
                central.disconnect();
                central.close();
                publisher.close();
                broker.close();
            }
        }
    }
}
