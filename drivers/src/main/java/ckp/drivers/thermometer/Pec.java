package ckp.drivers.thermometer;

/**
 * The SMBus packet error code: CRC-8 with polynomial x^8+x^2+x+1 (0x07), initial value 0, no reflection, over every
 * byte of the transfer including the address bytes, so a PEC also catches a reply from the wrong device.
 */
final class Pec {
    private Pec() {
    }

    /** The CRC-8 of the given bytes (each 0-255). */
    public static int of(int... bytes) {
        int crc = 0;
        for (int b : bytes) {
            if (b < 0 || b > 0xFF) {
                throw new IllegalArgumentException("PEC input bytes are 0-255, got " + b);
            }
            crc ^= b;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xFF : (crc << 1) & 0xFF;
            }
        }
        return crc;
    }

    /** The PEC of a Read Word from {@code address}: over {@code addr+W, cmd, addr+R, LSB, MSB}. */
    public static int ofRead(int address, int command, int lsb, int msb) {
        return of(address << 1, command, (address << 1) | 1, lsb, msb);
    }

    /** The PEC of a Write Word to {@code address}: over {@code addr+W, cmd, LSB, MSB}. */
    public static int ofWrite(int address, int command, int lsb, int msb) {
        return of(address << 1, command, lsb, msb);
    }
}
