package ckp.kiosk.simulate;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One MQTT 5 property (spec 2.2.2.2): an identifier and a value whose wire type the identifier fixes. Numbers are
 * {@link Long}, strings {@link String}, binary data {@code byte[]}, user properties a {@code Map.Entry<String, String>}.
 */
record MqttProperty(int id, Object value) {
    static final int PAYLOAD_FORMAT = 0x01;
    static final int MESSAGE_EXPIRY = 0x02;
    static final int CONTENT_TYPE = 0x03;
    static final int RESPONSE_TOPIC = 0x08;
    static final int CORRELATION_DATA = 0x09;
    static final int SUBSCRIPTION_ID = 0x0B;
    static final int SESSION_EXPIRY = 0x11;
    static final int ASSIGNED_CLIENT_ID = 0x12;
    static final int AUTH_METHOD = 0x15;
    static final int AUTH_DATA = 0x16;
    static final int REQUEST_PROBLEM_INFO = 0x17;
    static final int WILL_DELAY = 0x18;
    static final int REQUEST_RESPONSE_INFO = 0x19;
    static final int SERVER_REFERENCE = 0x1C;
    static final int REASON_STRING = 0x1F;
    static final int RECEIVE_MAXIMUM = 0x21;
    static final int TOPIC_ALIAS_MAXIMUM = 0x22;
    static final int TOPIC_ALIAS = 0x23;
    static final int MAXIMUM_QOS = 0x24;
    static final int USER_PROPERTY = 0x26;
    static final int MAXIMUM_PACKET_SIZE = 0x27;
    static final int SUBSCRIPTION_IDS_AVAILABLE = 0x29;
    static final int SHARED_SUBSCRIPTIONS_AVAILABLE = 0x2A;

    /** The wire types of spec 1.5. */
    enum Type { BYTE, TWO_BYTE, FOUR_BYTE, VARIABLE_BYTE, UTF8, BINARY, UTF8_PAIR }

    /** Every property identifier MQTT 5.0 defines; any other identifier makes a packet malformed. */
    static final Map<Integer, Type> TYPES = Map.ofEntries(
            Map.entry(PAYLOAD_FORMAT, Type.BYTE), Map.entry(MESSAGE_EXPIRY, Type.FOUR_BYTE),
            Map.entry(CONTENT_TYPE, Type.UTF8), Map.entry(RESPONSE_TOPIC, Type.UTF8),
            Map.entry(CORRELATION_DATA, Type.BINARY), Map.entry(SUBSCRIPTION_ID, Type.VARIABLE_BYTE),
            Map.entry(SESSION_EXPIRY, Type.FOUR_BYTE), Map.entry(ASSIGNED_CLIENT_ID, Type.UTF8),
            Map.entry(0x13, Type.TWO_BYTE), Map.entry(AUTH_METHOD, Type.UTF8), Map.entry(AUTH_DATA, Type.BINARY),
            Map.entry(REQUEST_PROBLEM_INFO, Type.BYTE), Map.entry(WILL_DELAY, Type.FOUR_BYTE),
            Map.entry(REQUEST_RESPONSE_INFO, Type.BYTE), Map.entry(0x1A, Type.UTF8),
            Map.entry(SERVER_REFERENCE, Type.UTF8), Map.entry(REASON_STRING, Type.UTF8),
            Map.entry(RECEIVE_MAXIMUM, Type.TWO_BYTE), Map.entry(TOPIC_ALIAS_MAXIMUM, Type.TWO_BYTE),
            Map.entry(TOPIC_ALIAS, Type.TWO_BYTE), Map.entry(MAXIMUM_QOS, Type.BYTE), Map.entry(0x25, Type.BYTE),
            Map.entry(USER_PROPERTY, Type.UTF8_PAIR), Map.entry(MAXIMUM_PACKET_SIZE, Type.FOUR_BYTE),
            Map.entry(0x28, Type.BYTE), Map.entry(SUBSCRIPTION_IDS_AVAILABLE, Type.BYTE),
            Map.entry(SHARED_SUBSCRIPTIONS_AVAILABLE, Type.BYTE));

    /** The value of the first property with this identifier, if present. */
    static Optional<Object> find(List<MqttProperty> properties, int id) {
        return properties.stream().filter(p -> p.id() == id).map(MqttProperty::value).findFirst();
    }

    /** A numeric property's value, or {@code absent} when the packet does not carry it. */
    static long number(List<MqttProperty> properties, int id, long absent) {
        return find(properties, id).map(v -> (Long) v).orElse(absent);
    }
}
