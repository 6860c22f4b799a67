package ckp.drivers.thermometer;

import java.io.IOException;

/**
 * One SMBus device at a fixed address, reduced to the two transfers the MLX90614 speaks. Ours rather than Pi4J's so
 * the driver runs unchanged against the byte-level simulator, and so the framing (low byte first, PEC last) is
 * decided here and not by a library's idea of a register word.
 */
interface SmbusLink extends AutoCloseable {

    /**
     * SMBus Read Word with PEC: {@code S addr+W cmd Sr addr+R LSB MSB PEC P}, one combined transfer with a repeated
     * start (the MLX90614 does not answer a read that follows a stop).
     *
     * @return exactly three bytes: LSB, MSB, PEC, as they came off the bus
     * @throws IOException no acknowledge, an I/O error or the device is gone
     */
    byte[] readWord(int command) throws IOException;

    /**
     * SMBus Write Word with PEC: {@code S addr+W cmd LSB MSB PEC P}.
     *
     * @param lsbMsbPec the three bytes after the command
     * @throws IOException no acknowledge, an I/O error or the device is gone
     */
    void writeWord(int command, byte[] lsbMsbPec) throws IOException;

    /** The 7-bit address, which the PEC covers. */
    int address();

    @Override
    void close();
}
