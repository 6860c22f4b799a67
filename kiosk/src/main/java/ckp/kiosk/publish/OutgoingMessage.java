package ckp.kiosk.publish;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One PUBLISH as the kiosk sends it, with the MQTT v5 properties it uses.
 *
 * @param expiry          message expiry interval (telemetry goes stale; events never expire)
 * @param correlationData echoed from a command request, so the requester can match the response
 */
public record OutgoingMessage(String topic, byte[] payload, int qos, boolean retain, Optional<Duration> expiry,
                              Optional<byte[]> correlationData) {
    public OutgoingMessage {
        Objects.requireNonNull(topic);
        Objects.requireNonNull(payload);
        Objects.requireNonNull(expiry);
        Objects.requireNonNull(correlationData);
        if (qos < 0 || qos > 1) {
            throw new IllegalArgumentException("the kiosk publishes QoS 0 or 1, got " + qos);
        }
        if (expiry.isPresent() && (expiry.get().toSeconds() < 1 || expiry.get().toSeconds() > 0xFFFF_FFFFL)) {
            throw new IllegalArgumentException("message expiry must be 1 s to 2^32-1 s, got " + expiry.get());
        }
    }

    /** A plain QoS 1 message without properties. */
    public static OutgoingMessage qos1(String topic, byte[] payload, boolean retain) {
        return new OutgoingMessage(topic, payload, 1, retain, Optional.empty(), Optional.empty());
    }
}
