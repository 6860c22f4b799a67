package ckp.kiosk.screening;

import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The outcome of measuring one person.
 *
 * @param celsius        the screened forehead temperature (median of the kept samples plus the kiosk's offset),
 *                       absent when nothing valid was measured
 * @param ambientCelsius the sensor's ambient temperature (median), absent when unknown
 * @param samples        valid samples the result is based on (after outliers are dropped)
 * @param spreadCelsius  max - min of those samples
 * @param detail         why, for anything but normal and fever; empty otherwise
 */
public record TemperatureResult(Kind kind, OptionalDouble celsius, OptionalDouble ambientCelsius, int samples,
                                double spreadCelsius, String detail) {

    /** The result classes the decision table reads; docs/screening.md says what each means. */
    public enum Kind {
        /** A stable reading below the fever threshold. */
        NORMAL,
        /** A stable reading at or above the fever threshold. */
        FEVER,
        /** The sensor works but the window was unstable or saw no forehead: measure again. */
        RETEST,
        /** The sensor failed (bus fault, PEC errors, error flags) for most of the window. */
        INVALID,
        /** No thermometer is fitted or configured. */
        UNAVAILABLE,
        /** The sensor works but its ambient is outside the range the screening is valid for. */
        OUT_OF_ENVELOPE;

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
        if (!(spreadCelsius >= 0)) {
            throw new IllegalArgumentException("spreadCelsius must be >= 0, got " + spreadCelsius);
        }
        if ((kind == Kind.NORMAL || kind == Kind.FEVER) && (celsius.isEmpty() || samples == 0)) {
            throw new IllegalArgumentException(kind.wire() + " needs a temperature and at least one sample");
        }
    }

    /** A result from hundredths of a degree, so callers never build doubles by hand. */
    public static TemperatureResult of(Kind kind, int centiCelsius, int ambientCentiCelsius, int samples,
                                       int spreadCentiCelsius, String detail) {
        return new TemperatureResult(kind, OptionalDouble.of(centiCelsius / 100.0),
                OptionalDouble.of(ambientCentiCelsius / 100.0), samples, spreadCentiCelsius / 100.0, detail);
    }

    /** A result with no temperature at all. */
    public static TemperatureResult without(Kind kind, String detail) {
        return new TemperatureResult(kind, OptionalDouble.empty(), OptionalDouble.empty(), 0, 0, detail);
    }
}
