package ckp.kiosk.simulate;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Builds one MQTT 5 packet: the body with the data types of spec 1.5, then {@link #frame} adds the fixed header. */
final class PacketWriter {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    PacketWriter u8(int v) {
        body.write(v);
        return this;
    }

    PacketWriter u16(int v) {
        return u8(v >>> 8).u8(v & 0xFF);
    }

    PacketWriter u32(long v) {
        return u16((int) (v >>> 16)).u16((int) (v & 0xFFFF));
    }

    PacketWriter variableByteInteger(int v) {
        writeVariableByteInteger(body, v);
        return this;
    }

    PacketWriter binary(byte[] b) {
        u16(b.length);
        body.writeBytes(b);
        return this;
    }

    PacketWriter utf8(String s) {
        return binary(s.getBytes(StandardCharsets.UTF_8));
    }

    PacketWriter raw(byte[] b) {
        body.writeBytes(b);
        return this;
    }

    /** A property list with its length prefix; an empty list is the single byte 0. */
    PacketWriter properties(List<MqttProperty> properties) {
        PacketWriter p = new PacketWriter();
        for (MqttProperty property : properties) {
            p.variableByteInteger(property.id());
            switch (MqttProperty.TYPES.get(property.id())) {
                case BYTE -> p.u8((int) (long) (Long) property.value());
                case TWO_BYTE -> p.u16((int) (long) (Long) property.value());
                case FOUR_BYTE -> p.u32((Long) property.value());
                case VARIABLE_BYTE -> p.variableByteInteger((int) (long) (Long) property.value());
                case UTF8 -> p.utf8((String) property.value());
                case BINARY -> p.binary((byte[]) property.value());
                case UTF8_PAIR -> {
                    Map.Entry<?, ?> pair = (Map.Entry<?, ?>) property.value();
                    p.utf8((String) pair.getKey()).utf8((String) pair.getValue());
                }
            }
        }
        variableByteInteger(p.body.size());
        body.writeBytes(p.body.toByteArray());
        return this;
    }

    /** The whole packet: type and flags, Remaining Length, body. */
    byte[] frame(int type, int flags) {
        ByteArrayOutputStream packet = new ByteArrayOutputStream(body.size() + 5);
        packet.write((type << 4) | flags);
        writeVariableByteInteger(packet, body.size());
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    private static void writeVariableByteInteger(ByteArrayOutputStream out, int v) {
        do {
            int b = v & 0x7F;
            v >>>= 7;
            out.write(v > 0 ? b | 0x80 : b);
        } while (v > 0);
    }
}
