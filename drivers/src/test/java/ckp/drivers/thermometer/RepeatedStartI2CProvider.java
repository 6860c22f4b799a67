package ckp.drivers.thermometer;

import com.pi4j.io.i2c.I2C;
import com.pi4j.io.i2c.I2CConfig;
import com.pi4j.plugin.mock.provider.i2c.MockI2C;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProviderImpl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Pi4J I2C provider whose devices answer like an MLX90614 and write down every bus transaction with its framing.
 * A command joined to its read by a repeated start ({@code S addr+W cmd Sr addr+R ... P}) gets the word; a read that
 * follows a stop ({@code S addr+W cmd P}, then {@code S addr+R ... P}) gets nothing but released lines (0xFF), as
 * the real sensor gives. Pi4J's own mock cannot tell the two apart, so it could not catch a driver that used
 * {@code writeRead}; this one can.
 */
final class RepeatedStartI2CProvider extends MockI2CProviderImpl {
    /** What the device answers to a combined read of each command: LSB, MSB, PEC. */
    final Map<Integer, byte[]> words = new HashMap<>();
    /** Every transaction on the bus, in order, e.g. {@code "S W 07 Sr R 3 P"} or {@code "S W 07 P"}. */
    final List<String> transactions = new ArrayList<>();

    @Override
    public I2C create(I2CConfig config) {
        I2C device = new Device(config);
        context.registry().add(device);
        return device;
    }

    private final class Device extends MockI2C {
        Device(I2CConfig config) {
            super(RepeatedStartI2CProvider.this, config);
        }

        /** The combined transfer: command, repeated start, read. */
        @Override
        public int readRegister(int register, byte[] buffer, int offset, int length) {
            transactions.add("S W %02x Sr R %d P".formatted(register, length));
            byte[] word = words.getOrDefault(register, new byte[0]);
            for (int i = 0; i < length; i++) {
                buffer[offset + i] = i < word.length ? word[i] : (byte) 0xFF;
            }
            return length;
        }

        @Override
        public int readRegister(byte[] register, byte[] buffer, int offset, int length) {
            throw new UnsupportedOperationException("the MLX90614 has one-byte commands");
        }

        @Override
        public int readRegister(int register) {
            throw new UnsupportedOperationException("a one-byte read has no PEC; the driver reads words");
        }

        /** A write ends with a stop. */
        @Override
        public int writeRegister(int register, byte[] data, int offset, int length) {
            StringBuilder sb = new StringBuilder("S W %02x".formatted(register));
            for (int i = 0; i < length; i++) {
                sb.append(" %02x".formatted(data[offset + i] & 0xFF));
            }
            transactions.add(sb.append(" P").toString());
            return length;
        }

        @Override
        public int writeRegister(int register, byte b) {
            return writeRegister(register, new byte[] {b}, 0, 1);
        }

        @Override
        public int write(byte b) {
            return write(new byte[] {b}, 0, 1);
        }

        @Override
        public int write(byte[] data, int offset, int length) {
            StringBuilder sb = new StringBuilder("S W");
            for (int i = 0; i < length; i++) {
                sb.append(" %02x".formatted(data[offset + i] & 0xFF));
            }
            transactions.add(sb.append(" P").toString());
            return length;
        }

        /** A read on its own, after a stop: the sensor has forgotten the command and leaves the lines high. */
        @Override
        public int read(byte[] buffer, int offset, int length) {
            transactions.add("S R %d P".formatted(length));
            for (int i = 0; i < length; i++) {
                buffer[offset + i] = (byte) 0xFF;
            }
            return length;
        }

        @Override
        public int read() {
            transactions.add("S R 1 P");
            return 0xFF;
        }
    }
}
