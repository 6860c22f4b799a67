package ckp.kiosk.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The fleet's independent witness: a plain Paho subscriber (not the service's code) on every kiosk's event topic that
 * counts distinct event ids and how long each took from commit ({@code time}) to arrival. Its session persists
 * (clean start off, an hour's expiry), so a broker with persistence keeps queueing for it while it reconnects.
 */
final class EventTally implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private final List<Long> latencyMillis = new ArrayList<>();
    private final MqttAsyncClient client;
    private final String filter;

    EventTally(String uri, String topicPrefix, MqttConnectionOptions base) throws MqttException {
        this.filter = topicPrefix + "/+/+/+/event";
        this.client = new MqttAsyncClient(uri, "fleet-tally", new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                JsonNode event = JSON.readTree(message.getPayload());
                if (ids.add(event.path("id").asText())) {
                    long latency = System.currentTimeMillis() - Instant.parse(event.path("time").asText()).toEpochMilli();
                    synchronized (latencyMillis) {
                        latencyMillis.add(latency);
                    }
                }
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                try {
                    client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)}, null, null,
                            new MqttProperties());
                } catch (MqttException e) {
                    System.err.println("fleet: the tally could not subscribe again: " + e.getMessage());
                }
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        base.setCleanStart(false);
        base.setSessionExpiryInterval(3600L);
        base.setAutomaticReconnect(true);
        base.setAutomaticReconnectDelay(1, 1);
        base.setReceiveMaximum(1000);
        client.connect(base).waitForCompletion(30_000);
        client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)}, null, null, new MqttProperties())
                .waitForCompletion(30_000);
    }

    int distinctIds() {
        return ids.size();
    }

    List<Long> latencies() {
        synchronized (latencyMillis) {
            return List.copyOf(latencyMillis);
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
            client.close(true);
        } catch (MqttException e) {
            System.err.println("fleet: closing the tally: " + e.getMessage());
        }
    }
}
