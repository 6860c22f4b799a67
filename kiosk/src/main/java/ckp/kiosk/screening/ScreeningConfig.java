package ckp.kiosk.screening;

import ckp.drivers.thermometer.SimulatedFault;
import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The thermometer fitted and the screening rules. Temperatures are held in hundredths of a degree so that a reading
 * of 37.30 compares equal to a 37.3 threshold.
 *
 * @param thermometerType        {@code sim}, {@code mlx90614} or {@code none}
 * @param simReadings            the simulated thermometer's forehead temperatures, one per person, cycled
 * @param simFaults              the simulated sensor's misbehaviour, one per person, cycled on its own
 * @param simNoiseCelsius        standard deviation of the simulated noise on each object read
 * @param simAmbientCelsius      the simulated sensor's ambient temperature
 * @param i2cBus                 the Linux I2C bus number ({@code /dev/i2c-N}) of a real sensor
 * @param i2cAddress             the real sensor's 7-bit address
 * @param window                 how long one person is measured
 * @param rateHz                 samples per second within the window
 * @param maxSpreadCentiCelsius  a window whose kept samples spread more than this is unstable: retest
 * @param offsetCentiCelsius     added to the measured forehead temperature (per-kiosk calibration)
 * @param ambientMinCentiCelsius below this ambient the result is out_of_envelope
 * @param ambientMaxCentiCelsius above this ambient the result is out_of_envelope
 * @param feverCentiCelsius      at or above this the result is fever; whole tenths of a degree from 34.0 to 39.0
 */
public record ScreeningConfig(String thermometerType, List<Double> simReadings, List<SimulatedFault> simFaults,
                              double simNoiseCelsius, double simAmbientCelsius, int i2cBus, int i2cAddress,
                              Duration window, double rateHz, int maxSpreadCentiCelsius, int offsetCentiCelsius,
                              int ambientMinCentiCelsius, int ambientMaxCentiCelsius, int feverCentiCelsius) {
    public static final List<ConfigKey> KEYS = List.of(
            ConfigKey.required("thermometer.type", "sim | mlx90614 | none"),
            ConfigKey.withDefault("thermometer.sim.readings", "36.6", "simulated forehead temperatures in °C, comma-separated, one per person, cycled"),
            ConfigKey.withDefault("thermometer.sim.faults", "none", "simulated sensor faults, one per person, cycled: none, glitch, pec, flag, disconnect"),
            ConfigKey.withDefault("thermometer.sim.noise.celsius", "0", "standard deviation of simulated noise per read, °C (0-2)"),
            ConfigKey.withDefault("thermometer.sim.ambient.celsius", "24", "simulated ambient temperature, °C (-40-85)"),
            ConfigKey.withDefault("thermometer.i2c.bus", "1", "I2C bus of the MLX90614, /dev/i2c-N (0-31)"),
            ConfigKey.withDefault("thermometer.i2c.address", "0x5A", "7-bit I2C address of the MLX90614, 0x03-0x77"),
            ConfigKey.withDefault("screening.window.ms", "1000", "measurement window per person, ms (200-10000)"),
            ConfigKey.withDefault("screening.rate.hz", "8", "samples per second within the window (1-50)"),
            ConfigKey.withDefault("screening.max.spread.celsius", "0.5", "a window spreading more than this is unstable: retest (0.1-5)"),
            ConfigKey.withDefault("screening.offset.celsius", "0", "per-kiosk correction added to the measured temperature, °C (-5-5, steps of 0.01)"),
            ConfigKey.withDefault("screening.ambient.min.celsius", "16", "below this ambient the result is out_of_envelope, °C"),
            ConfigKey.withDefault("screening.ambient.max.celsius", "32", "above this ambient the result is out_of_envelope, °C"),
            ConfigKey.withDefault("screening.fever.celsius", "37.3", "fever threshold in °C: 34.0 to 39.0 in steps of 0.1"));

    public ScreeningConfig {
        Objects.requireNonNull(thermometerType, "thermometerType");
        simReadings = List.copyOf(simReadings);
        simFaults = List.copyOf(simFaults);
        Objects.requireNonNull(window, "window");
        if (simReadings.isEmpty() || simFaults.isEmpty()) {
            throw new IllegalArgumentException("the simulated thermometer needs at least one reading and one fault entry");
        }
        if (feverCentiCelsius < 3400 || feverCentiCelsius > 3900 || feverCentiCelsius % 10 != 0) {
            throw new IllegalArgumentException("fever threshold must be 34.0-39.0 in 0.1 steps, got " + feverCentiCelsius / 100.0);
        }
        if (ambientMinCentiCelsius >= ambientMaxCentiCelsius) {
            throw new IllegalArgumentException("the ambient envelope needs min < max, got " + ambientMinCentiCelsius / 100.0
                    + " to " + ambientMaxCentiCelsius / 100.0);
        }
        if (!(rateHz > 0) || window.isNegative() || window.isZero() || maxSpreadCentiCelsius <= 0) {
            throw new IllegalArgumentException("window, rate and spread must be positive");
        }
    }

    /** Samples taken per window: window x rate, at least one. */
    public int samplesPerWindow() {
        return (int) Math.max(1, Math.round(window.toNanos() / 1e9 * rateHz));
    }

    /** Time between samples. */
    public Duration samplePeriod() {
        return Duration.ofNanos(Math.round(1e9 / rateHz));
    }

    public static ScreeningConfig from(Settings s) throws ConfigException {
        String type = s.choice("thermometer.type", "sim", "mlx90614", "none");
        List<Double> readings = new ArrayList<>();
        for (String r : s.list("thermometer.sim.readings")) {
            try {
                if (!r.matches("[+-]?[0-9]{1,3}(\\.[0-9]{1,6})?")) {
                    throw new NumberFormatException(); // ASCII decimals only, as Settings.decimal
                }
                double c = Double.parseDouble(r);
                if (!(c >= -70 && c <= 380)) {
                    throw new NumberFormatException();
                }
                readings.add(c);
            } catch (NumberFormatException e) {
                throw Settings.bad("thermometer.sim.readings", r, "temperatures in °C from -70 to 380, comma-separated");
            }
        }
        List<SimulatedFault> faults = new ArrayList<>();
        for (String f : s.list("thermometer.sim.faults")) {
            try {
                faults.add(SimulatedFault.parse(f));
            } catch (IllegalArgumentException e) {
                throw Settings.bad("thermometer.sim.faults", f, "none, glitch, pec, flag or disconnect, comma-separated");
            }
        }
        double noise = s.decimal("thermometer.sim.noise.celsius", 0, 2);
        double simAmbient = s.decimal("thermometer.sim.ambient.celsius", -40, 85);
        int bus = s.integer("thermometer.i2c.bus", 0, 31);
        String addressText = s.text("thermometer.i2c.address");
        int address;
        try {
            if (!addressText.matches("0[xX][0-9A-Fa-f]{1,2}|[0-9]{1,3}")) {
                throw new NumberFormatException(); // ASCII only: parseInt would take full-width digits
            }
            address = addressText.toLowerCase().startsWith("0x") ? Integer.parseInt(addressText.substring(2), 16)
                    : Integer.parseInt(addressText);
        } catch (NumberFormatException e) {
            throw Settings.bad("thermometer.i2c.address", addressText, "a 7-bit address 0x03-0x77, e.g. 0x5A");
        }
        if (address < 0x03 || address > 0x77) {
            throw Settings.bad("thermometer.i2c.address", addressText, "a 7-bit address 0x03-0x77, e.g. 0x5A");
        }
        Duration window = s.millis("screening.window.ms", 200, 10000);
        double rate = s.decimal("screening.rate.hz", 1, 50);
        int spread = centi(s, "screening.max.spread.celsius", 0.1, 5, 1);
        int offset = centi(s, "screening.offset.celsius", -5, 5, 1);
        int ambientMin = centi(s, "screening.ambient.min.celsius", -40, 85, 1);
        int ambientMax = centi(s, "screening.ambient.max.celsius", -40, 85, 1);
        if (ambientMin >= ambientMax) {
            throw Settings.bad("screening.ambient.max.celsius", s.text("screening.ambient.max.celsius"),
                    "a temperature above screening.ambient.min.celsius (" + ambientMin / 100.0 + ")");
        }
        int fever = centi(s, "screening.fever.celsius", 34.0, 39.0, 10);
        return new ScreeningConfig(type, readings, faults, noise, simAmbient, bus, address, window, rate, spread, offset,
                ambientMin, ambientMax, fever);
    }

    /** A decimal in °C as hundredths, refusing values finer than {@code stepCenti} hundredths. */
    private static int centi(Settings s, String key, double min, double max, int stepCenti) throws ConfigException {
        double value = s.decimal(key, min, max);
        long centi = Math.round(value * 100);
        if (centi % stepCenti != 0 || Math.abs(value * 100 - centi) > 1e-6) {
            throw Settings.bad(key, s.text(key), "a number from " + min + " to " + max + " in steps of " + stepCenti / 100.0);
        }
        return (int) centi;
    }
}
