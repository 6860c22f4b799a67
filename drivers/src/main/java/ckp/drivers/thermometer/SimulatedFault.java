package ckp.drivers.thermometer;

import java.util.Locale;

/**
 * How the simulated MLX90614 misbehaves, one per person in {@code thermometer.sim.faults}: the fault paths of the real
 * driver run on the simulator exactly as on a bad bus.
 */
public enum SimulatedFault {
    /** Answers correctly. */
    NONE,
    /** Every second read has a corrupted PEC: the driver's retry recovers. */
    GLITCH,
    /** Every read has a corrupted PEC: the driver gives up with a PEC error. */
    PEC,
    /** Object temperature words carry the error flag (bit 15). */
    FLAG,
    /** Nothing acknowledges: the sensor is unplugged. */
    DISCONNECT;

    /** Parses a config word ({@code none}, {@code glitch}, {@code pec}, {@code flag}, {@code disconnect}). */
    public static SimulatedFault parse(String word) {
        try {
            return valueOf(word.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown simulated fault '" + word
                    + "'; use none, glitch, pec, flag or disconnect");
        }
    }
}
