package ckp.kiosk.screening;

import ckp.drivers.thermometer.SimulatedFault;
import java.util.List;

/**
 * Which thermometer is fitted ({@code thermometer.type}), each kind with only the settings it uses: the byte-level
 * simulator with its script of people, a real MLX90614 on the I2C bus, or none.
 */
public sealed interface ThermometerChoice {

    /** Which {@code thermometer.type} word this is. */
    enum Kind { SIM, MLX90614, NONE }

    /**
     * The simulated MLX90614.
     *
     * @param readingsCelsius forehead temperatures, one per person, cycled
     * @param faults          the sensor's misbehaviour, one per person, cycled on its own
     * @param noiseCelsius    standard deviation of the noise on each object read
     */
    record Simulated(List<Double> readingsCelsius, List<SimulatedFault> faults, double noiseCelsius,
                     double ambientCelsius) implements ThermometerChoice {
        public Simulated {
            readingsCelsius = List.copyOf(readingsCelsius);
            faults = List.copyOf(faults);
            if (readingsCelsius.isEmpty() || faults.isEmpty()) {
                throw new IllegalArgumentException("the simulated thermometer needs at least one reading and one "
                        + "fault entry");
            }
        }
    }

    /**
     * A real MLX90614.
     *
     * @param i2cBus     the Linux I2C bus number ({@code /dev/i2c-N})
     * @param i2cAddress the sensor's 7-bit address
     */
    record Mlx90614(int i2cBus, int i2cAddress) implements ThermometerChoice {
        public Mlx90614 {
            if (i2cBus < 0 || i2cAddress < 0x03 || i2cAddress > 0x77) {
                throw new IllegalArgumentException("bus " + i2cBus + " address " + i2cAddress + " out of range");
            }
        }
    }

    /** No thermometer: every vehicle is decided without a temperature. */
    record None() implements ThermometerChoice {
    }
}
