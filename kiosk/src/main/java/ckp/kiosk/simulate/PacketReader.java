package ckp.kiosk.simulate;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the data types of MQTT 5 (spec 1.5) from a packet body; every read past the end, and every ill-formed
 * value, is a {@link MqttViolation} rather than an exception a connection thread would not expect.
 */
final class PacketReader {
    private final byte[] data;
    private int position;
    private final int end;

    PacketReader(byte[] data, int from, int to) {
        this.data = data;
        this.position = from;
        this.end = to;
    }

    int remaining() {
        return end - position;
    }

    int u8() throws MqttViolation {
        need(1);
        return data[position++] & 0xFF;
    }

    int u16() throws MqttViolation {
        return (u8() << 8) | u8();
    }

    long u32() throws MqttViolation {
        return ((long) u16() << 16) | u16();
    }

    /** A Variable Byte Integer (spec 1.5.5): 7 bits a byte, at most four bytes. */
    int variableByteInteger() throws MqttViolation {
        int value = 0;
        for (int shift = 0; shift < 28; shift += 7) {
            int b = u8();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw MqttViolation.malformed("Variable Byte Integer longer than four bytes");
    }

    byte[] binary() throws MqttViolation {
        return bytes(u16());
    }

    /** A UTF-8 Encoded String (spec 1.5.4): well-formed UTF-8 without U+0000, else the packet is malformed. */
    String utf8() throws MqttViolation {
        byte[] raw = binary();
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
            if (s.indexOf('\u0000') >= 0) {
                throw MqttViolation.malformed("UTF-8 string contains U+0000");
            }
            return s;
        } catch (CharacterCodingException e) {
            throw MqttViolation.malformed("ill-formed UTF-8 string");
        }
    }

    /** Everything left, e.g. a PUBLISH payload. */
    byte[] rest() throws MqttViolation {
        return bytes(remaining());
    }

    /** Asserts the body is used up: trailing bytes mean a sender and this reader disagree on the layout. */
    void end() throws MqttViolation {
        if (remaining() != 0) {
            throw MqttViolation.malformed(remaining() + " unexpected trailing bytes");
        }
    }

    /**
     * A property list (spec 2.2.2): its length, then identifier/value pairs. An identifier the packet may not carry
     * is malformed; a repeated one other than User Property is a protocol error.
     */
    List<MqttProperty> properties(Set<Integer> allowed) throws MqttViolation {
        int length = variableByteInteger();
        need(length);
        PacketReader in = new PacketReader(data, position, position + length);
        position += length;
        List<MqttProperty> properties = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        while (in.remaining() > 0) {
            int id = in.variableByteInteger();
            MqttProperty.Type type = MqttProperty.TYPES.get(id);
            if (type == null || !allowed.contains(id)) {
                throw MqttViolation.malformed("property 0x" + Integer.toHexString(id) + " is not allowed here");
            }
            if (id != MqttProperty.USER_PROPERTY && !seen.add(id)) {
                throw MqttViolation.protocolError("property 0x" + Integer.toHexString(id) + " repeated");
            }
            Object value = switch (type) {
                case BYTE -> (long) in.u8();
                case TWO_BYTE -> (long) in.u16();
                case FOUR_BYTE -> in.u32();
                case VARIABLE_BYTE -> (long) in.variableByteInteger();
                case UTF8 -> in.utf8();
                case BINARY -> in.binary();
                case UTF8_PAIR -> Map.entry(in.utf8(), in.utf8());
            };
            properties.add(new MqttProperty(id, value));
        }
        return properties;
    }

    private byte[] bytes(int n) throws MqttViolation {
        need(n);
        byte[] b = java.util.Arrays.copyOfRange(data, position, position + n);
        position += n;
        return b;
    }

    private void need(int n) throws MqttViolation {
        if (n < 0 || n > remaining()) {
            throw MqttViolation.malformed("packet ends " + (n - remaining()) + " byte(s) early");
        }
    }
}
