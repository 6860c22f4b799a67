package ckp.drivers.thermometer;

import ckp.drivers.time.Ticker;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * The Melexis MLX90614 at register level (datasheet Rev 13): PEC-checked word reads with retries, temperature
 * conversion in integers, and the EEPROM erase-write-verify sequence. Knows nothing about people or windows.
 */
final class Mlx90614 implements AutoCloseable {
    /** Factory SMBus address (7-bit). */
    public static final int DEFAULT_ADDRESS = 0x5A;
    /** RAM: ambient (die) temperature Ta. */
    public static final int RAM_AMBIENT = 0x06;
    /** RAM: object temperature Tobj1 (the forehead on a single-zone part). */
    public static final int RAM_OBJECT1 = 0x07;
    /** RAM: object temperature Tobj2 (dual-zone parts only). */
    public static final int RAM_OBJECT2 = 0x08;
    /** EEPROM access is command 0x20 + cell. */
    public static final int EEPROM = 0x20;
    /** EEPROM: emissivity, round(65535 x e). */
    public static final int EEPROM_EMISSIVITY = 0x24;
    /** EEPROM: config register 1 (IIR bits 2:0, FIR bits 10:8). */
    public static final int EEPROM_CONFIG1 = 0x25;
    /** EEPROM: SMBus address; 0x2E, not 0x0E (which is a RAM address and a common copy-paste bug). */
    public static final int EEPROM_ADDRESS = 0x2E;
    /** Read flags (EEBUSY, EE_DEAD, INIT). */
    public static final int READ_FLAGS = 0xF0;
    /** Enter sleep mode (a PEC-only write; waking needs SCL held low, which Linux i2c-dev cannot do). */
    public static final int SLEEP = 0xFF;
    /** The datasheet's time from power-up to the first valid data. */
    public static final Duration FIRST_DATA = Duration.ofMillis(250);
    /** The wait after an EEPROM erase or write; the datasheet's minimum is 5 ms typical, 10 ms is the safe value. */
    public static final Duration EEPROM_WAIT = Duration.ofMillis(10);
    /** Reads tried per word before a PEC mismatch is reported: a glitch passes, a bad wire does not. */
    static final int READ_ATTEMPTS = 3;

    private final SmbusLink link;
    private final Ticker ticker;

    public Mlx90614(SmbusLink link, Ticker ticker) {
        this.link = Objects.requireNonNull(link, "link");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /** One 16-bit word read off the bus, or why not. */
    public record Word(Status status, int value, String detail) {
        /** How the read went. */
        public enum Status { OK, PEC_ERROR, BUS_FAULT }

        public Word {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(detail, "detail");
            if (value < 0 || value > 0xFFFF) {
                throw new IllegalArgumentException("a word is 0-0xFFFF, got " + value);
            }
        }

        public boolean ok() {
            return status == Status.OK;
        }
    }

    /** How an EEPROM write ended. */
    public enum EepromWrite { VERIFIED, READBACK_MISMATCH, PEC_ERROR, BUS_FAULT }

    public int address() {
        return link.address();
    }

    /** Reads one word, checking the PEC and retrying a mismatch up to {@link #READ_ATTEMPTS} times. */
    public Word read(int command) {
        String lastMismatch = "";
        for (int attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
            byte[] b;
            try {
                b = link.readWord(command);
            } catch (IOException e) {
                return new Word(Word.Status.BUS_FAULT, 0, e.getMessage() == null ? e.toString() : e.getMessage());
            }
            int lsb = b[0] & 0xFF;
            int msb = b[1] & 0xFF;
            int pec = b[2] & 0xFF;
            int expected = Pec.ofRead(link.address(), command, lsb, msb);
            if (pec == expected) {
                return new Word(Word.Status.OK, (msb << 8) | lsb, "");
            }
            lastMismatch = "PEC mismatch reading 0x%02x: got 0x%02x, computed 0x%02x (%d attempts)"
                    .formatted(command, pec, expected, attempt);
        }
        return new Word(Word.Status.PEC_ERROR, 0, lastMismatch);
    }

    /** Writes a word with its PEC. */
    public void write(int command, int value) throws IOException {
        int lsb = value & 0xFF;
        int msb = (value >>> 8) & 0xFF;
        link.writeWord(command, new byte[] {(byte) lsb, (byte) msb, (byte) Pec.ofWrite(link.address(), command, lsb, msb)});
    }

    /**
     * Writes an EEPROM cell the way the datasheet requires: erase (write 0x0000), wait, write, wait, read back. Writing
     * over an unerased cell leaves a mix of old and new bits, so the erase is not optional; the read-back is what says
     * the write happened. The new value takes effect at the sensor's next power-up.
     */
    public EepromWrite writeEeprom(int cell, int value) {
        if (cell < EEPROM || cell > EEPROM + 0x1F) {
            throw new IllegalArgumentException("EEPROM commands are 0x20-0x3F, got 0x" + Integer.toHexString(cell));
        }
        if (cell >= 0x3C) {
            throw new IllegalArgumentException("EEPROM 0x3C-0x3F hold the factory ID and are not writable");
        }
        try {
            write(cell, 0x0000);
            ticker.sleep(EEPROM_WAIT);
            write(cell, value);
            ticker.sleep(EEPROM_WAIT);
        } catch (IOException e) {
            return EepromWrite.BUS_FAULT;
        }
        Word back = read(cell);
        return switch (back.status()) {
            case OK -> back.value() == value ? EepromWrite.VERIFIED : EepromWrite.READBACK_MISMATCH;
            case PEC_ERROR -> EepromWrite.PEC_ERROR;
            case BUS_FAULT -> EepromWrite.BUS_FAULT;
        };
    }

    /**
     * Sets the emissivity in EEPROM 0x24. The kiosk does not call this: it corrects in software
     * ({@code screening.offset.celsius}), see docs/screening.md for why.
     */
    public EepromWrite writeEmissivity(double emissivity) {
        if (!(emissivity >= 0.1 && emissivity <= 1.0)) {
            throw new IllegalArgumentException("emissivity must be 0.1-1.0, got " + emissivity);
        }
        return writeEeprom(EEPROM_EMISSIVITY, emissivityWord(emissivity));
    }

    /** The EEPROM word for an emissivity: round(65535 x e). */
    public static int emissivityWord(double emissivity) {
        return (int) Math.round(65535 * emissivity);
    }

    /** Temperature of a RAM word in hundredths of a degree Celsius: raw x 0.02 K - 273.15, in integers (raw x 2 - 27315). */
    public static int centiCelsius(int raw) {
        if (raw < 0 || raw > 0x7FFF) {
            throw new IllegalArgumentException("a valid temperature word is 0-0x7FFF, got 0x" + Integer.toHexString(raw));
        }
        return raw * 2 - 27315;
    }

    /** Bit 15 of Ta, Tobj1 or Tobj2 marks the reading invalid. */
    public static boolean errorFlag(int raw) {
        return (raw & 0x8000) != 0;
    }

    /** The RAM word that reads as the given temperature (nearest 0.02 K step, half up); for the simulator. */
    public static int rawOf(int centiCelsius) {
        int raw = Math.floorDiv(centiCelsius + 27315 + 1, 2);
        return Math.max(0, Math.min(0x7FFF, raw));
    }

    /** Closes the link; the sensor itself keeps measuring on its own and needs no shutdown. */
    @Override
    public void close() {
        link.close();
    }
}
