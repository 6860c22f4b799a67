package ckp.drivers.thermometer;

import java.util.Objects;

/**
 * One thermometer sample in hundredths of a degree Celsius (integers, because the MLX90614's 0.02 K steps do not
 * survive binary floating point: 0x3AF7 must read 28.75 °C, not 28.749999).
 *
 * @param objectCentiCelsius  the target (forehead) temperature, meaningful only when {@code status == OK}
 * @param ambientCentiCelsius the sensor's own die temperature, meaningful only when {@code status == OK}
 * @param detail              a short fault description for telemetry, empty when OK
 */
public record ThermometerSample(Status status, int objectCentiCelsius, int ambientCentiCelsius, String detail) {

    /** What happened on the bus. */
    public enum Status {
        /** Both temperatures are valid. */
        OK,
        /** The sensor answered but flagged the reading invalid (bit 15 of a RAM temperature word). */
        ERROR_FLAG,
        /** The packet error code did not match after retries: a noisy bus or loose wire. */
        PEC_ERROR,
        /** No acknowledge or an I/O error: the sensor is unplugged or the bus is stuck. */
        BUS_FAULT,
        /** No thermometer is configured or fitted. */
        ABSENT
    }

    public ThermometerSample {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    public static ThermometerSample ok(int objectCentiCelsius, int ambientCentiCelsius) {
        return new ThermometerSample(Status.OK, objectCentiCelsius, ambientCentiCelsius, "");
    }

    public static ThermometerSample fault(Status status, String detail) {
        if (status == Status.OK) {
            throw new IllegalArgumentException("a fault needs a non-OK status");
        }
        return new ThermometerSample(status, 0, 0, detail);
    }

    public boolean ok() {
        return status == Status.OK;
    }

    public double objectCelsius() {
        return objectCentiCelsius / 100.0;
    }

    public double ambientCelsius() {
        return ambientCentiCelsius / 100.0;
    }
}
