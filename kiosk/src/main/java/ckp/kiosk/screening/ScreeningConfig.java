package ckp.kiosk.screening;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
import java.util.ArrayList;
import java.util.List;

/**
 * The thermometer fitted and the fever rule.
 *
 * @param thermometerType {@code sim} or {@code mlx90614}
 * @param simReadings     the simulated thermometer's forehead temperatures, one per person, cycled
 * @param feverCentiCelsius at or above this the result is fever; whole tenths of a degree from 34.0 to 39.0
 */
public record ScreeningConfig(String thermometerType, List<Double> simReadings, int feverCentiCelsius) {
    public static final List<ConfigKey> KEYS = List.of(
            ConfigKey.required("thermometer.type", "sim | mlx90614"),
            ConfigKey.withDefault("thermometer.sim.readings", "36.6", "simulated forehead temperatures in °C, comma-separated, one per person, cycled"),
            ConfigKey.withDefault("screening.fever.celsius", "37.3", "fever threshold in °C: 34.0 to 39.0 in steps of 0.1"));

    public ScreeningConfig {
        simReadings = List.copyOf(simReadings);
        if (feverCentiCelsius < 3400 || feverCentiCelsius > 3900 || feverCentiCelsius % 10 != 0) {
            throw new IllegalArgumentException("fever threshold must be 34.0-39.0 in 0.1 steps, got " + feverCentiCelsius / 100.0);
        }
    }

    public static ScreeningConfig from(Settings s) throws ConfigException {
        String type = s.choice("thermometer.type", "sim", "mlx90614");
        List<Double> readings = new ArrayList<>();
        for (String r : s.list("thermometer.sim.readings")) {
            try {
                double c = Double.parseDouble(r);
                if (!(c >= -70 && c <= 380)) {
                    throw new NumberFormatException();
                }
                readings.add(c);
            } catch (NumberFormatException e) {
                throw Settings.bad("thermometer.sim.readings", r, "temperatures in °C from -70 to 380, comma-separated");
            }
        }
        double fever = s.decimal("screening.fever.celsius", 34.0, 39.0);
        long centi = Math.round(fever * 100);
        if (centi % 10 != 0 || Math.abs(fever * 100 - centi) > 1e-6) {
            throw Settings.bad("screening.fever.celsius", s.text("screening.fever.celsius"), "34.0 to 39.0 in steps of 0.1");
        }
        return new ScreeningConfig(type, readings, (int) centi);
    }
}
