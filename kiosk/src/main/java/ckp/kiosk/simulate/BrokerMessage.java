package ckp.kiosk.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An application message the embedded broker holds: as published (or as a will), with only the properties a
 * server must forward (spec 3.3.2.3: payload format, expiry, content type, response topic, correlation data, user
 * properties), and when it arrived, so a retained copy's expiry counts down.
 */
record BrokerMessage(String topic, byte[] payload, int qos, boolean retain, List<MqttProperty> properties,
                     long receivedNanos) {
    private static final Set<Integer> FORWARDED = Set.of(MqttProperty.PAYLOAD_FORMAT, MqttProperty.MESSAGE_EXPIRY,
            MqttProperty.CONTENT_TYPE, MqttProperty.RESPONSE_TOPIC, MqttProperty.CORRELATION_DATA,
            MqttProperty.USER_PROPERTY);

    BrokerMessage {
        Objects.requireNonNull(topic);
        Objects.requireNonNull(payload);
        if (qos < 0 || qos > 1) {
            throw new IllegalArgumentException("QoS " + qos + "; the embedded broker carries QoS 0 and 1 only");
        }
        properties = properties.stream().filter(p -> FORWARDED.contains(p.id())).toList();
    }

    /** The same message as published at {@code nanos}: a will's expiry counts from its publication (spec 3.1.3.2). */
    BrokerMessage publishedAt(long nanos) {
        return new BrokerMessage(topic, payload, qos, retain, properties, nanos);
    }

    /**
     * The properties to send at {@code nowNanos}, with the Message Expiry Interval lowered by the time spent here;
     * empty once the message has expired (spec 3.3.2.3.3).
     */
    Optional<List<MqttProperty>> propertiesAt(long nowNanos) {
        long expirySeconds = MqttProperty.number(properties, MqttProperty.MESSAGE_EXPIRY, -1);
        if (expirySeconds < 0) {
            return Optional.of(properties);
        }
        long left = expirySeconds - (nowNanos - receivedNanos) / 1_000_000_000L;
        if (left <= 0) {
            return Optional.empty();
        }
        List<MqttProperty> out = new ArrayList<>();
        for (MqttProperty p : properties) {
            out.add(p.id() == MqttProperty.MESSAGE_EXPIRY ? new MqttProperty(p.id(), left) : p);
        }
        return Optional.of(out);
    }
}
