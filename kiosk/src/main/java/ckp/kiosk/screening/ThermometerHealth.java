package ckp.kiosk.screening;

import ckp.drivers.thermometer.ThermometerSample;
import java.util.List;
import java.util.Objects;

/**
 * How the thermometer did in the last window, for the telemetry message: a bus fault here is the "clear telemetry
 * fault" that goes with the lane's manual check.
 *
 * @param sensor what is fitted ({@link ckp.drivers.thermometer.Thermometer#describe()})
 * @param status OK when the last window had a valid sample, else the status of its last fault
 * @param faultySamples samples of the last window that were not valid
 * @param detail the last fault's detail, empty when OK
 */
public record ThermometerHealth(String sensor, ThermometerSample.Status status, int faultySamples, String detail) {
    public ThermometerHealth {
        Objects.requireNonNull(sensor);
        Objects.requireNonNull(status);
        Objects.requireNonNull(detail);
    }

    static ThermometerHealth unknown(String sensor) {
        return new ThermometerHealth(sensor, ThermometerSample.Status.OK, 0, "");
    }

    static ThermometerHealth of(String sensor, List<ThermometerSample> window) {
        int faulty = (int) window.stream().filter(s -> !s.ok()).count();
        if (window.stream().anyMatch(ThermometerSample::ok) && faulty * 2 < window.size()) {
            return new ThermometerHealth(sensor, ThermometerSample.Status.OK, faulty, "");
        }
        ThermometerSample last = window.stream().filter(s -> !s.ok()).reduce((a, b) -> b)
                .orElse(ThermometerSample.fault(ThermometerSample.Status.ABSENT, "no samples"));
        return new ThermometerHealth(sensor, last.status(), faulty, last.detail());
    }

    /** Whether the sensor failed the last window (telemetry raises a fault). */
    public boolean fault() {
        return status != ThermometerSample.Status.OK;
    }

    /** The status as a telemetry word: {@code ok}, {@code bus_fault}, {@code pec_error}, {@code error_flag}, {@code absent}. */
    public String wire() {
        return status.name().toLowerCase(java.util.Locale.ROOT);
    }
}
