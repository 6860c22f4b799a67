package ckp.drivers.thermometer;

import ckp.drivers.time.Ticker;
import java.io.IOException;
import java.util.Random;

/**
 * An MLX90614 at byte level, behind the same {@link SmbusLink} the real bus uses: it answers Read Word with real PECs
 * over its own address, keeps RAM temperatures and an EEPROM with erase/write semantics, and can be told to misbehave
 * (noise, corrupted PECs, error flags, no acknowledge) so the driver's fault paths run exactly as on a bad bus.
 */
final class SimulatedMlx90614 implements SmbusLink {
    /** The device's EEPROM write cycle; accesses during it are not acknowledged. */
    static final long EEPROM_BUSY_NANOS = 10_000_000L;

    private final int address;
    private final Ticker ticker;
    private final Random random;
    private final int[] eeprom = new int[32];
    private int objectCentiCelsius;
    private int ambientCentiCelsius;
    private int noiseCentiCelsius;
    private SimulatedFault fault = SimulatedFault.NONE;
    private long reads;
    private long transfers;
    private long eepromBusyUntil = Long.MIN_VALUE;
    private boolean eepromWritten;

    SimulatedMlx90614(int address, Ticker ticker, long seed) {
        this.address = address;
        this.ticker = ticker;
        this.random = new Random(seed);
        eeprom[Mlx90614.EEPROM_EMISSIVITY - Mlx90614.EEPROM] = 0xFFFF;
        eeprom[Mlx90614.EEPROM_CONFIG1 - Mlx90614.EEPROM] = 0x9FB4;
        eeprom[Mlx90614.EEPROM_ADDRESS - Mlx90614.EEPROM] = 0xBE00 | address;
        eeprom[0x1C] = 0x1234;
        eeprom[0x1D] = 0x5678;
        eeprom[0x1E] = 0x9ABC;
        eeprom[0x1F] = 0xDEF0;
    }

    /** Sets what the sensor sees; noise is the standard deviation added to each object read. */
    public synchronized void scene(int objectCentiCelsius, int ambientCentiCelsius, double noiseCelsius) {
        if (!(noiseCelsius >= 0 && noiseCelsius <= 10)) {
            throw new IllegalArgumentException("noise must be 0-10 °C, got " + noiseCelsius);
        }
        this.objectCentiCelsius = objectCentiCelsius;
        this.ambientCentiCelsius = ambientCentiCelsius;
        this.noiseCentiCelsius = (int) Math.round(noiseCelsius * 100);
    }

    public synchronized void fault(SimulatedFault fault) {
        this.fault = fault;
    }

    /** Bus transfers (reads and writes) so far, acknowledged or not: what the sensor's SCL line has seen. */
    public synchronized long transfers() {
        return transfers;
    }

    /** The EEPROM cell's current content (command 0x20-0x3F). */
    public synchronized int eeprom(int command) {
        return eeprom[command - Mlx90614.EEPROM];
    }

    @Override
    public synchronized byte[] readWord(int command) throws IOException {
        transfers++;
        if (fault == SimulatedFault.DISCONNECT) {
            throw new IOException("simulated MLX90614 at 0x%02x: no acknowledge".formatted(address));
        }
        if (ticker.nanos() < eepromBusyUntil) {
            throw new IOException("simulated MLX90614 at 0x%02x: no acknowledge while the EEPROM writes".formatted(address));
        }
        reads++;
        int value = word(command);
        int lsb = value & 0xFF;
        int msb = (value >>> 8) & 0xFF;
        int pec = Pec.ofRead(address, command, lsb, msb);
        if (fault == SimulatedFault.PEC || (fault == SimulatedFault.GLITCH && reads % 2 == 1)) {
            pec ^= 0x5A;
        }
        return new byte[] {(byte) lsb, (byte) msb, (byte) pec};
    }

    private int word(int command) throws IOException {
        if (command == Mlx90614.RAM_AMBIENT) {
            return Mlx90614.rawOf(ambientCentiCelsius);
        }
        if (command == Mlx90614.RAM_OBJECT1 || command == Mlx90614.RAM_OBJECT2) {
            int noisy = objectCentiCelsius + (int) Math.round(random.nextGaussian() * noiseCentiCelsius);
            int raw = Mlx90614.rawOf(noisy);
            return fault == SimulatedFault.FLAG ? raw | 0x8000 : raw;
        }
        if (command >= Mlx90614.EEPROM && command <= Mlx90614.EEPROM + 0x1F) {
            return eeprom[command - Mlx90614.EEPROM];
        }
        if (command == Mlx90614.READ_FLAGS) {
            // EEBUSY is bit 7 (high active); INIT is bit 4 and low active, so a sensor past power-up reads it set.
            return ticker.nanos() < eepromBusyUntil ? 0x0090 : 0x0010;
        }
        throw new IOException("simulated MLX90614 at 0x%02x: command 0x%02x not acknowledged".formatted(address, command));
    }

    @Override
    public synchronized void writeWord(int command, byte[] lsbMsbPec) throws IOException {
        transfers++;
        if (fault == SimulatedFault.DISCONNECT) {
            throw new IOException("simulated MLX90614 at 0x%02x: no acknowledge".formatted(address));
        }
        long now = ticker.nanos();
        if (now < eepromBusyUntil) {
            throw new IOException("simulated MLX90614 at 0x%02x: no acknowledge while the EEPROM writes".formatted(address));
        }
        if (command < Mlx90614.EEPROM || command >= 0x3C || lsbMsbPec.length != 3) {
            throw new IOException("simulated MLX90614 at 0x%02x: write to 0x%02x not acknowledged".formatted(address, command));
        }
        int lsb = lsbMsbPec[0] & 0xFF;
        int msb = lsbMsbPec[1] & 0xFF;
        if ((lsbMsbPec[2] & 0xFF) != Pec.ofWrite(address, command, lsb, msb)) {
            // The device acknowledges the bytes but does not execute a write whose PEC is wrong.
            return;
        }
        int value = (msb << 8) | lsb;
        int cell = command - Mlx90614.EEPROM;
        // Writing 0x0000 erases the cell; any other write can only add bits, so writing over an unerased cell leaves
        // a mix of old and new bits.
        eeprom[cell] = value == 0 ? 0 : eeprom[cell] | value;
        eepromBusyUntil = now + EEPROM_BUSY_NANOS;
        eepromWritten = true;
    }

    /** Whether any EEPROM write was executed (tests check the kiosk never writes EEPROM in normal operation). */
    public synchronized boolean eepromWritten() {
        return eepromWritten;
    }

    @Override
    public int address() {
        return address;
    }

    @Override
    public void close() {
    }
}
