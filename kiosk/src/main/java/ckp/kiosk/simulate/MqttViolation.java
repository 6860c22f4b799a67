package ckp.kiosk.simulate;

/**
 * A client broke the MQTT 5 protocol; the reason code (0x81 Malformed Packet, 0x82 Protocol Error, ...) is what the
 * embedded broker tells it in CONNACK or DISCONNECT before it closes that client's connection.
 */
final class MqttViolation extends Exception {
    static final int MALFORMED = 0x81;
    static final int PROTOCOL_ERROR = 0x82;

    private final int reasonCode;

    MqttViolation(int reasonCode, String message) {
        super(message);
        this.reasonCode = reasonCode;
    }

    static MqttViolation malformed(String message) {
        return new MqttViolation(MALFORMED, message);
    }

    static MqttViolation protocolError(String message) {
        return new MqttViolation(PROTOCOL_ERROR, message);
    }

    int reasonCode() {
        return reasonCode;
    }
}
