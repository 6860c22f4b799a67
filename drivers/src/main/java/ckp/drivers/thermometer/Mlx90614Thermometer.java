package ckp.drivers.thermometer;

import ckp.drivers.time.Ticker;
import java.time.Duration;
import java.util.Objects;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The forehead thermometer on an MLX90614: each sample reads Ta (0x06) and Tobj1 (0x07) with PEC checks. Bus faults
 * come back as samples, never exceptions; once the sensor answers again the driver waits the datasheet's 0.25 s for
 * first data (a re-plugged sensor has just powered up) and carries on by itself.
 */
final class Mlx90614Thermometer implements Thermometer {
    private static final TaggedLogger LOG = Logger.tag("thermometer");

    private final Mlx90614 sensor;
    private final Ticker ticker;
    private final String description;
    private long readyAtNanos;
    private boolean faulted;

    Mlx90614Thermometer(Mlx90614 sensor, Ticker ticker, String description) {
        this.sensor = Objects.requireNonNull(sensor, "sensor");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.description = Objects.requireNonNull(description, "description");
        this.readyAtNanos = ticker.nanos() + Mlx90614.FIRST_DATA.toNanos();
    }

    /** The real sensor on {@code /dev/i2c-<bus>}. */
    static Mlx90614Thermometer open(int bus, int address, Ticker ticker) {
        return new Mlx90614Thermometer(new Mlx90614(Pi4jSmbus.linuxfs(bus, address), ticker),
                ticker, "mlx90614@0x%02x bus %d".formatted(address, bus));
    }

    @Override
    public synchronized void beginWindow() {
        awaitFirstData();
    }

    @Override
    public synchronized ThermometerSample sample() {
        awaitFirstData();
        Mlx90614.Word ambient = sensor.read(Mlx90614.RAM_AMBIENT);
        if (!ambient.ok()) {
            return fault(ambient);
        }
        Mlx90614.Word object = sensor.read(Mlx90614.RAM_OBJECT1);
        if (!object.ok()) {
            return fault(object);
        }
        if (faulted) {
            faulted = false;
            readyAtNanos = ticker.nanos() + Mlx90614.FIRST_DATA.toNanos();
            LOG.info("{} answers again; waiting {} ms for first data", description, Mlx90614.FIRST_DATA.toMillis());
            return ThermometerSample.fault(ThermometerSample.Status.BUS_FAULT,
                    "sensor answered again; first data 0.25 s after power-up");
        }
        if (Mlx90614.errorFlag(ambient.value()) || Mlx90614.errorFlag(object.value())) {
            return ThermometerSample.fault(ThermometerSample.Status.ERROR_FLAG, "error flag (bit 15) set in "
                    + (Mlx90614.errorFlag(object.value()) ? "Tobj1 0x%04x".formatted(object.value())
                    : "Ta 0x%04x".formatted(ambient.value())));
        }
        return ThermometerSample.ok(Mlx90614.centiCelsius(object.value()), Mlx90614.centiCelsius(ambient.value()));
    }

    private ThermometerSample fault(Mlx90614.Word word) {
        if (word.status() == Mlx90614.Word.Status.BUS_FAULT) {
            if (!faulted) {
                LOG.warn("{} does not answer: {}", description, word.detail());
            }
            faulted = true;
            return ThermometerSample.fault(ThermometerSample.Status.BUS_FAULT, word.detail());
        }
        return ThermometerSample.fault(ThermometerSample.Status.PEC_ERROR, word.detail());
    }

    private void awaitFirstData() {
        long wait = readyAtNanos - ticker.nanos();
        if (wait > 0) {
            ticker.sleep(Duration.ofNanos(wait));
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        sensor.close();
    }
}
