package ckp.drivers.thermometer;

import ckp.drivers.time.Ticker;
import java.util.List;

/**
 * The one way to get a thermometer: the MLX90614 on the Pi's I2C bus, its byte-level simulator, or none fitted. The
 * drivers themselves (the MLX90614 protocol, the Pi4J bus) are package-private, so the service sees only
 * {@link Thermometer}.
 */
public final class Thermometers {
    private Thermometers() {
    }

    /** The MLX90614 at {@code address} on I2C bus {@code bus}, its datasheet waits taken on {@code ticker}. */
    public static Thermometer mlx90614(int bus, int address, Ticker ticker) {
        return Mlx90614Thermometer.open(bus, address, ticker);
    }

    /**
     * The real MLX90614 driver on the byte-level simulator: each measuring window is the next person of a script.
     *
     * @param personCelsius one forehead temperature per person, cycled
     * @param personFaults  one fault per person, cycled independently of the temperatures
     * @param noiseCelsius  standard deviation of the noise on each object read
     * @param seed          seed of that noise, so a run is repeatable
     */
    public static SimulatedThermometer simulated(List<Double> personCelsius, List<SimulatedFault> personFaults,
                                                 double ambientCelsius, double noiseCelsius, long seed,
                                                 Ticker ticker) {
        return new SimulatedThermometer(personCelsius, personFaults, ambientCelsius, noiseCelsius, seed, ticker);
    }

    /** No thermometer fitted: every window is unavailable, and the lane decides without a temperature. */
    public static Thermometer absent() {
        return new AbsentThermometer();
    }
}
