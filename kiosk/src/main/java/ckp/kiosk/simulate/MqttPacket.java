package ckp.kiosk.simulate;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * One MQTT control packet as it came off the wire (spec 2.1): the packet type, the four flag bits of the fixed
 * header and the body after the Remaining Length.
 */
record MqttPacket(int type, int flags, byte[] body) {
    static final int CONNECT = 1;
    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;
    static final int SUBSCRIBE = 8;
    static final int SUBACK = 9;
    static final int UNSUBSCRIBE = 10;
    static final int UNSUBACK = 11;
    static final int PINGREQ = 12;
    static final int PINGRESP = 13;
    static final int DISCONNECT = 14;
    static final int AUTH = 15;

    /**
     * Reads the next packet, blocking.
     *
     * @throws EOFException   the peer closed the connection (mid-packet or between packets)
     * @throws MqttViolation  reserved flags, a Remaining Length over four bytes, or a packet over {@code maxBytes}
     */
    static MqttPacket read(InputStream in, int maxBytes) throws IOException, MqttViolation {
        int first = in.read();
        if (first < 0) {
            throw new EOFException("connection closed");
        }
        int type = first >>> 4;
        int flags = first & 0x0F;
        // Spec 2.1.3: PUBLISH carries DUP/QoS/RETAIN; PUBREL, SUBSCRIBE and UNSUBSCRIBE must say 0010; the rest 0000.
        int expectedFlags = type == PUBREL || type == SUBSCRIBE || type == UNSUBSCRIBE ? 2 : 0;
        if (type == 0 || (type != PUBLISH && flags != expectedFlags)) {
            throw MqttViolation.malformed("packet type " + type + " with flags " + flags);
        }
        int length = 0;
        int headerBytes = 1;
        for (int shift = 0; ; shift += 7) {
            if (shift == 28) {
                throw MqttViolation.malformed("Remaining Length longer than four bytes");
            }
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside a fixed header");
            }
            headerBytes++;
            length |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if ((long) headerBytes + length > maxBytes) {
            throw new MqttViolation(0x95, "packet of " + (headerBytes + length) + " bytes exceeds " + maxBytes);
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("connection closed inside a packet");
        }
        return new MqttPacket(type, flags, body);
    }

    PacketReader reader() {
        return new PacketReader(body, 0, body.length);
    }
}
