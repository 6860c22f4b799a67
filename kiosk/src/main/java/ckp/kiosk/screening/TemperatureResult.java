package ckp.kiosk.screening;

import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The outcome of measuring one person.
 *
 * @param celsius        the screened forehead temperature, absent when nothing valid was measured
 * @param ambientCelsius the sensor's ambient temperature, absent when unknown
 * @param samples        valid samples the result is based on
 * @param spreadCelsius  max - min of those samples
 * @param detail         a short fault text for invalid/unavailable, else empty
 */
public record TemperatureResult(Kind kind, OptionalDouble celsius, OptionalDouble ambientCelsius, int samples,
                                double spreadCelsius, String detail) {

    /** The result classes the decision table reads. */
    public enum Kind {
        NORMAL, FEVER, RETEST, INVALID, UNAVAILABLE, OUT_OF_ENVELOPE;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public TemperatureResult {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(celsius);
        Objects.requireNonNull(ambientCelsius);
        Objects.requireNonNull(detail);
        if (samples < 0) {
            throw new IllegalArgumentException("samples must be >= 0, got " + samples);
        }
    }
}
