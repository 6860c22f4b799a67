package ckp.kiosk.publish;

import ckp.kiosk.fixtures.IgnoringCallback;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/**
 * The central side in miniature, independent of the kiosk's code: a persistent MQTT v5 session (clean start off, one
 * hour session expiry) that keeps reconnecting on its own thread and records every message the broker delivers, in
 * arrival order.
 */
final class PersistentSubscriber implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One delivered message. */
    record Received(String topic, JsonNode json, boolean retained) {
        String id() {
            return json.path("id").asText();
        }

        long seq() {
            return json.path("seq").asLong();
        }
    }

    private final String uri;
    private final String filter;
    private final String clientId;
    private final List<Received> received = new ArrayList<>();
    private volatile boolean running = true;
    private final Thread keeper;
    private MqttClient client;

    PersistentSubscriber(String uri, String filter) throws MqttException {
        this.uri = uri;
        this.filter = filter;
        this.clientId = "central-" + System.nanoTime();
        connect();
        keeper = Thread.ofPlatform().daemon().name("subscriber-keeper").start(this::keepConnected);
    }

    private synchronized void connect() throws MqttException {
        if (client != null) {
            try {
                client.close(true);
            } catch (MqttException e) {
                // an old client that is already gone
            }
        }
        client = new MqttClient(uri, clientId, new MemoryPersistence());
        client.setCallback(new IgnoringCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage m) {
                JsonNode json;
                try {
                    json = JSON.readTree(new String(m.getPayload(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    json = JSON.createObjectNode().put("raw", new String(m.getPayload(), StandardCharsets.UTF_8));
                }
                synchronized (received) {
                    received.add(new Received(topic, json, m.isRetained()));
                    received.notifyAll();
                }
            }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(3600L);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(5);
        o.setKeepAliveInterval(5);
        IMqttToken t = client.connectWithResult(o);
        if (!t.getSessionPresent()) {
            client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)});
        }
    }

    private void keepConnected() {
        while (running) {
            try {
                Thread.sleep(200);
                boolean up;
                synchronized (this) {
                    up = client.isConnected();
                }
                if (!up && running) {
                    connect();
                }
            } catch (MqttException e) {
                // broker still down: try again shortly
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    List<Received> on(String topicSuffix) {
        return received().stream().filter(r -> r.topic().endsWith(topicSuffix)).toList();
    }

    /** Waits until the received messages satisfy {@code done}; returns whether they did in time. */
    boolean await(Predicate<List<Received>> done, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (!done.test(received)) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                received.wait(Math.min(left, 200));
            }
            return true;
        }
    }

    @Override
    public void close() {
        running = false;
        keeper.interrupt();
        synchronized (this) {
            try {
                if (client.isConnected()) {
                    client.disconnect();
                }
                client.close(true);
            } catch (MqttException e) {
                // the test is over
            }
        }
    }
}
