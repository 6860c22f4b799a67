package ckp.drivers.thermometer;

/**
 * A contactless thermometer aimed at the driver's forehead. A single-spot sensor (MLX90614) returns its object
 * temperature; a thermal array (MLX90640, AMG8833) would return the maximum over the face region, so the lane never
 * needs to know which kind is fitted.
 */
public interface Thermometer extends AutoCloseable {

    /** Tells the sensor a person has stepped up and a measurement window starts now. */
    void beginWindow();

    /** Takes one sample; a fault is a value ({@link ThermometerSample.Status}), never an exception. */
    ThermometerSample sample();

    /** What is fitted, for telemetry: e.g. {@code mlx90614@0x5a} or {@code sim}. */
    String describe();

    @Override
    void close();
}
