package ckp.drivers.thermometer;

/**
 * A contactless thermometer aimed at the driver's forehead. A single-spot sensor (MLX90614) returns its object
 * temperature; a thermal array (MLX90640 32x24, AMG8833 8x8) would return the maximum over the face region in the same
 * sample, so screening and the lane never need to know which kind is fitted. Samples are taken only when asked, only
 * between {@link #beginWindow()} and {@link #endWindow()}: bus traffic disturbs IR sensors' readings and there is
 * nothing to measure between vehicles.
 */
public interface Thermometer extends AutoCloseable {

    /**
     * Tells the sensor a person has stepped up and a measurement window starts now; returns when the sensor can give
     * its first sample (an MLX90614 just powered up needs 0.25 s).
     */
    void beginWindow();

    /** Takes one sample; a fault is a value ({@link ThermometerSample.Status}), never an exception. */
    ThermometerSample sample();

    /** The window is over; the sensor may rest until the next one. */
    default void endWindow() {
    }

    /** What is fitted, for telemetry: e.g. {@code mlx90614@0x5a} or {@code sim}. */
    String describe();

    @Override
    void close();
}
