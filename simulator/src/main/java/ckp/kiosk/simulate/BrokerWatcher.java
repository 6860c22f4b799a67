package ckp.kiosk.simulate;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/**
 * An independent MQTT subscriber, the central side in miniature: the demo prints what it receives, so what a viewer
 * sees is what a broker really delivered, not what the kiosk meant to send.
 */
public final class BrokerWatcher implements AutoCloseable {
    private final MqttClient client;
    /** Opened by the kiosk's last message on a clean stop: its status {@code offline}. */
    private final CountDownLatch offline = new CountDownLatch(1);

    public BrokerWatcher(String uri, String topicFilter, BiConsumer<String, String> onMessage) throws MqttException {
        client = new MqttClient(uri, "watcher-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        client.connect(o);
        client.subscribe(new MqttSubscription[] {new MqttSubscription(topicFilter, 1)},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {
                    (topic, msg) -> {
                        String payload = new String(msg.getPayload(), StandardCharsets.UTF_8);
                        onMessage.accept(topic, payload);
                        // Live, not a retained copy left by an earlier run on the same broker.
                        if (topic.endsWith("/status") && payload.contains("\"offline\"") && !msg.isRetained()) {
                            offline.countDown();
                        }
                    }});
    }

    /**
     * Prints each message as {@code [broker] topic payload}; a checkpoint event first gets a one-line summary, so a
     * viewer can follow the lane without reading JSON.
     */
    public static BrokerWatcher printing(String uri, String topicFilter, PrintStream out) throws MqttException {
        return new BrokerWatcher(uri, topicFilter, (topic, payload) -> {
            synchronized (out) {
                if (topic.endsWith("/event")) {
                    out.println("[broker] event " + summary(payload));
                }
                out.println("[broker] " + topic + " " + payload);
                out.flush();
            }
        });
    }

    /** e.g. {@code seq 3: pass valid DEMO-P-0002, 38.4 °C fever -> STOP (temperature_fever)}. */
    static String summary(String eventJson) {
        try {
            com.fasterxml.jackson.databind.JsonNode e = new com.fasterxml.jackson.databind.ObjectMapper().readTree(eventJson);
            com.fasterxml.jackson.databind.JsonNode pass = e.path("pass");
            com.fasterxml.jackson.databind.JsonNode t = e.path("temperature");
            String id = pass.path("id").isTextual() ? " " + pass.path("id").asText() : "";
            String celsius = t.path("celsius").isNumber() ? t.path("celsius").asText() + " °C " : "";
            return "seq " + e.path("seq").asText() + ": pass " + pass.path("result").asText() + id + ", "
                    + celsius + t.path("result").asText() + " -> " + e.path("decision").asText().toUpperCase(java.util.Locale.ROOT)
                    + (e.path("reasons").isEmpty() ? "" : " " + e.path("reasons"));
        } catch (java.io.IOException | RuntimeException ex) {
            return "(not JSON)";
        }
    }

    /**
     * Waits until the broker has delivered the kiosk's offline status, its last message on a clean stop (MQTT keeps
     * one client's messages in order, so every event before it has been delivered too); false after {@code max}.
     */
    public boolean awaitOffline(Duration max) throws InterruptedException {
        return offline.await(max.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        try {
            client.disconnect();
            client.close();
        } catch (MqttException e) {
            // The demo is ending; a failed disconnect changes nothing.
        }
    }
}
