package ckp.kiosk.publish;

import java.util.Objects;
import java.util.Optional;

/**
 * A message the broker delivered to one of the kiosk's subscriptions, copied out of Paho's objects so handlers run on
 * the kiosk's own thread and never touch the client.
 *
 * @param responseTopic   MQTT v5 request/response: where the requester waits for the answer
 * @param correlationData MQTT v5 request/response: echoed in the answer
 */
public record InboundMessage(String topic, byte[] payload, boolean retained, Optional<String> responseTopic,
                             Optional<byte[]> correlationData) {
    public InboundMessage {
        Objects.requireNonNull(topic);
        Objects.requireNonNull(payload);
        Objects.requireNonNull(responseTopic);
        Objects.requireNonNull(correlationData);
    }
}
