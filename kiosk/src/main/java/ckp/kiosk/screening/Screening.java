package ckp.kiosk.screening;

import ckp.drivers.thermometer.Thermometer;
import ckp.drivers.thermometer.ThermometerSample;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Measures one person: opens the thermometer's window, takes a few samples and classifies their median against the
 * fever threshold. Integer centi-degrees throughout, so 37.30 °C compares equal to a 37.3 threshold.
 */
public final class Screening {
    private final Thermometer thermometer;
    private final int feverCentiCelsius;
    private final int samplesPerWindow;

    public Screening(Thermometer thermometer, int feverCentiCelsius, int samplesPerWindow) {
        if (samplesPerWindow < 1) {
            throw new IllegalArgumentException("samplesPerWindow must be >= 1, got " + samplesPerWindow);
        }
        this.thermometer = thermometer;
        this.feverCentiCelsius = feverCentiCelsius;
        this.samplesPerWindow = samplesPerWindow;
    }

    public TemperatureResult measure() {
        thermometer.beginWindow();
        List<Integer> object = new ArrayList<>();
        List<Integer> ambient = new ArrayList<>();
        ThermometerSample lastFault = null;
        for (int i = 0; i < samplesPerWindow; i++) {
            ThermometerSample s = thermometer.sample();
            if (s.ok()) {
                object.add(s.objectCentiCelsius());
                ambient.add(s.ambientCentiCelsius());
            } else {
                lastFault = s;
            }
        }
        if (object.isEmpty()) {
            TemperatureResult.Kind kind = lastFault != null && lastFault.status() == ThermometerSample.Status.ABSENT
                    ? TemperatureResult.Kind.UNAVAILABLE : TemperatureResult.Kind.INVALID;
            return new TemperatureResult(kind, OptionalDouble.empty(), OptionalDouble.empty(), 0, 0,
                    lastFault == null ? "" : lastFault.status() + " " + lastFault.detail());
        }
        int median = median(object);
        int spread = object.stream().mapToInt(Integer::intValue).max().orElseThrow()
                - object.stream().mapToInt(Integer::intValue).min().orElseThrow();
        TemperatureResult.Kind kind = median >= feverCentiCelsius ? TemperatureResult.Kind.FEVER : TemperatureResult.Kind.NORMAL;
        return new TemperatureResult(kind, OptionalDouble.of(median / 100.0), OptionalDouble.of(median(ambient) / 100.0),
                object.size(), spread / 100.0, "");
    }

    static int median(List<Integer> values) {
        List<Integer> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
