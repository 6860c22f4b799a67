package ckp.kiosk.screening;

import ckp.drivers.thermometer.SimulatedFault;
import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
import ckp.kiosk.config.ValueType;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The thermometer fitted ({@link ThermometerChoice}: only the settings of the kind chosen) and the screening rules.
 * Temperatures are held in hundredths of a degree so that a reading of 37.30 compares equal to a 37.3 threshold.
 *
 * @param window                 how long one person is measured
 * @param rateHz                 samples per second within the window
 * @param maxSpreadCentiCelsius  a window whose kept samples spread more than this is unstable: retest
 * @param offsetCentiCelsius     added to the measured forehead temperature (per-kiosk calibration)
 * @param ambientMinCentiCelsius below this ambient the result is out_of_envelope
 * @param ambientMaxCentiCelsius above this ambient the result is out_of_envelope
 * @param feverCentiCelsius      at or above this the result is fever; whole tenths of a degree from 34.0 to 39.0
 */
public record ScreeningConfig(ThermometerChoice thermometer, Duration window, double rateHz, int maxSpreadCentiCelsius,
                              int offsetCentiCelsius, int ambientMinCentiCelsius, int ambientMaxCentiCelsius,
                              int feverCentiCelsius) {
    static final ConfigKey<ThermometerChoice.Kind> TYPE = ConfigKey.required("thermometer.type",
            ValueType.oneOf(ThermometerChoice.Kind.class), "the thermometer fitted: the simulator, an MLX90614 or none");
    static final ConfigKey<List<Double>> SIM_READINGS = ConfigKey.withDefault("thermometer.sim.readings",
            ValueType.listOf(ValueType.decimal(-70, 380)), "36.6",
            "simulated forehead temperatures in °C, one per person, cycled");
    static final ConfigKey<List<SimulatedFault>> SIM_FAULTS = ConfigKey.withDefault("thermometer.sim.faults",
            ValueType.listOf(ValueType.oneOf(SimulatedFault.class)), "none",
            "simulated sensor faults, one per person, cycled");
    static final ConfigKey<Double> SIM_NOISE = ConfigKey.withDefault("thermometer.sim.noise.celsius",
            ValueType.decimal(0, 2), "0", "standard deviation of simulated noise per read, °C");
    static final ConfigKey<Double> SIM_AMBIENT = ConfigKey.withDefault("thermometer.sim.ambient.celsius",
            ValueType.decimal(-40, 85), "24", "simulated ambient temperature, °C");
    static final ConfigKey<Integer> I2C_BUS = ConfigKey.withDefault("thermometer.i2c.bus", ValueType.integer(0, 31),
            "1", "I2C bus of the MLX90614, /dev/i2c-N");
    static final ConfigKey<Integer> I2C_ADDRESS = ConfigKey.withDefault("thermometer.i2c.address", i2cAddress(),
            "0x5A", "7-bit I2C address of the MLX90614, hex (0x5A) or decimal");
    static final ConfigKey<Duration> WINDOW = ConfigKey.withDefault("screening.window.ms",
            ValueType.millis(200, 10000), "1000", "measurement window per person, ms");
    static final ConfigKey<Double> RATE = ConfigKey.withDefault("screening.rate.hz", ValueType.decimal(1, 50), "8",
            "samples per second within the window");
    static final ConfigKey<Integer> MAX_SPREAD = ConfigKey.withDefault("screening.max.spread.celsius",
            ValueType.centiCelsius(0.1, 5, 1), "0.5", "a window spreading more than this is unstable: retest, °C");
    static final ConfigKey<Integer> OFFSET = ConfigKey.withDefault("screening.offset.celsius",
            ValueType.centiCelsius(-5, 5, 1), "0", "per-kiosk correction added to the measured temperature, °C");
    static final ConfigKey<Integer> AMBIENT_MIN = ConfigKey.withDefault("screening.ambient.min.celsius",
            ValueType.centiCelsius(-40, 85, 1), "16", "below this ambient the result is out_of_envelope, °C");
    static final ConfigKey<Integer> AMBIENT_MAX = ConfigKey.withDefault("screening.ambient.max.celsius",
            ValueType.centiCelsius(-40, 85, 1), "32", "above this ambient the result is out_of_envelope, °C");
    static final ConfigKey<Integer> FEVER = ConfigKey.withDefault("screening.fever.celsius",
            ValueType.centiCelsius(34, 39, 10), "37.3", "fever threshold in °C");

    public static final List<ConfigKey<?>> KEYS = List.of(TYPE, SIM_READINGS, SIM_FAULTS, SIM_NOISE, SIM_AMBIENT,
            I2C_BUS, I2C_ADDRESS, WINDOW, RATE, MAX_SPREAD, OFFSET, AMBIENT_MIN, AMBIENT_MAX, FEVER);

    public ScreeningConfig {
        Objects.requireNonNull(thermometer, "thermometer");
        Objects.requireNonNull(window, "window");
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
        ThermometerChoice thermometer = switch (s.get(TYPE)) {
            case SIM -> new ThermometerChoice.Simulated(s.get(SIM_READINGS), s.get(SIM_FAULTS), s.get(SIM_NOISE),
                    s.get(SIM_AMBIENT));
            case MLX90614 -> new ThermometerChoice.Mlx90614(s.get(I2C_BUS), s.get(I2C_ADDRESS));
            case NONE -> new ThermometerChoice.None();
        };
        int ambientMin = s.get(AMBIENT_MIN);
        int ambientMax = s.get(AMBIENT_MAX);
        if (ambientMin >= ambientMax) {
            throw Settings.bad(AMBIENT_MAX.name(), s.text(AMBIENT_MAX.name()),
                    "a temperature above screening.ambient.min.celsius (" + ambientMin / 100.0 + ")");
        }
        return new ScreeningConfig(thermometer, s.get(WINDOW), s.get(RATE), s.get(MAX_SPREAD), s.get(OFFSET),
                ambientMin, ambientMax, s.get(FEVER));
    }

    /** A 7-bit I2C address, hex (0x5A) or decimal, in ASCII (parseInt would take full-width digits). */
    private static ValueType<Integer> i2cAddress() {
        String allowed = "a 7-bit address 0x03-0x77, e.g. 0x5A";
        return new ValueType<>(allowed, Optional.of("0x03-0x77"), (text, dir) -> {
            if (!text.matches("0[xX][0-9A-Fa-f]{1,2}|[0-9]{1,3}")) {
                throw new IllegalArgumentException(allowed);
            }
            int address = text.toLowerCase(Locale.ROOT).startsWith("0x") ? Integer.parseInt(text.substring(2), 16)
                    : Integer.parseInt(text);
            if (address < 0x03 || address > 0x77) {
                throw new IllegalArgumentException(allowed);
            }
            return address;
        });
    }
}
