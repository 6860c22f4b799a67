package ckp.drivers.thermometer;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import com.pi4j.plugin.linuxfs.provider.i2c.LinuxFsI2CProvider;
import java.io.IOException;

/**
 * The SMBus link on a real I2C bus through Pi4J. Reads use {@code I2C.readRegister(cmd, buf, 0, 3)}, which the linuxfs
 * provider performs as one combined transfer with a repeated start. Not {@code readRegisterWord} (it assembles the
 * word big-endian and drops the PEC) and not {@code writeRead} (it puts a stop between command and read, and the
 * MLX90614 then answers nothing). The device is opened lazily and reopened after a failure, so a sensor that was
 * unplugged at start or during operation is picked up again without a restart.
 */
final class Pi4jSmbus implements SmbusLink {
    private final Context pi4j;
    private final boolean ownsContext;
    private final String provider;
    private final int bus;
    private final int address;
    private I2C device;

    /** A link over the given context and I2C provider id; the context stays the caller's. */
    Pi4jSmbus(Context pi4j, String provider, int bus, int address) {
        this(pi4j, false, provider, bus, address);
    }

    private Pi4jSmbus(Context pi4j, boolean ownsContext, String provider, int bus, int address) {
        if (address < 0x03 || address > 0x77) {
            throw new IllegalArgumentException("I2C address must be 0x03-0x77, got 0x" + Integer.toHexString(address));
        }
        if (bus < 0) {
            throw new IllegalArgumentException("I2C bus must be >= 0, got " + bus);
        }
        this.pi4j = pi4j;
        this.ownsContext = ownsContext;
        this.provider = provider;
        this.bus = bus;
        this.address = address;
    }

    /** A link on {@code /dev/i2c-<bus>} through the linuxfs provider, with a Pi4J context of its own. */
    static Pi4jSmbus linuxfs(int bus, int address) {
        Context context = Pi4J.newContextBuilder().noAutoDetect().add(LinuxFsI2CProvider.newInstance()).build();
        return new Pi4jSmbus(context, true, LinuxFsI2CProvider.ID, bus, address);
    }

    @Override
    public synchronized byte[] readWord(int command) throws IOException {
        byte[] buffer = new byte[3];
        int n;
        try {
            n = open().readRegister(command, buffer, 0, 3);
        } catch (RuntimeException e) {
            throw fault("read of command 0x%02x".formatted(command), e);
        }
        if (n != 3) {
            drop();
            throw new IOException("I2C read of command 0x%02x from 0x%02x on bus %d returned %d bytes, expected 3"
                    .formatted(command, address, bus, n));
        }
        return buffer;
    }

    @Override
    public synchronized void writeWord(int command, byte[] lsbMsbPec) throws IOException {
        if (lsbMsbPec.length != 3) {
            throw new IllegalArgumentException("a Write Word carries LSB, MSB and PEC, got " + lsbMsbPec.length + " bytes");
        }
        int n;
        try {
            n = open().writeRegister(command, lsbMsbPec, 0, 3);
        } catch (RuntimeException e) {
            throw fault("write of command 0x%02x".formatted(command), e);
        }
        if (n < 0) {
            drop();
            throw new IOException("I2C write of command 0x%02x to 0x%02x on bus %d failed (%d)"
                    .formatted(command, address, bus, n));
        }
    }

    @Override
    public int address() {
        return address;
    }

    private I2C open() {
        if (device == null) {
            device = pi4j.create(I2C.newConfigBuilder(pi4j).id("mlx90614-" + bus + "-" + Integer.toHexString(address))
                    .bus(bus).device(address).provider(provider));
        }
        return device;
    }

    /** Translates Pi4J's runtime exceptions once, here, and forgets the handle so the next call reopens it. */
    private IOException fault(String what, RuntimeException e) {
        drop();
        return new IOException("I2C %s at 0x%02x on bus %d failed (sensor unplugged, no pull-ups or wrong address?): %s"
                .formatted(what, address, bus, e.getMessage()), e);
    }

    private void drop() {
        if (device != null) {
            I2C d = device;
            device = null;
            try {
                pi4j.shutdown(d.id());
            } catch (RuntimeException ignored) {
                // The handle is being discarded because it failed; a failing shutdown of it changes nothing.
            }
        }
    }

    @Override
    public synchronized void close() {
        drop();
        if (ownsContext) {
            pi4j.shutdown();
        }
    }
}
