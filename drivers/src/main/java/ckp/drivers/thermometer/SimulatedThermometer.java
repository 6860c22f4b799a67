package ckp.drivers.thermometer;

import ckp.drivers.time.Ticker;
import java.util.List;

/**
 * The simulated forehead thermometer for {@code thermometer.type=sim}: the real MLX90614 driver talking to the
 * byte-level simulator. Each window is the next person of a script (a temperature and a fault, each list cycled on its
 * own), so the demo and tests go through PECs, retries, error flags and disconnects exactly as the real bus would.
 */
public final class SimulatedThermometer implements Thermometer {
    private final List<Integer> personCentiCelsius;
    private final List<SimulatedFault> personFaults;
    private final int ambientCentiCelsius;
    private final double noiseCelsius;
    private final SimulatedMlx90614 device;
    private final Mlx90614Thermometer driver;
    private int person = -1;

    /**
     * @param personCelsius one forehead temperature per person, cycled
     * @param personFaults  one fault per person, cycled independently of the temperatures
     * @param noiseCelsius  standard deviation of the noise on each object read
     */
    SimulatedThermometer(List<Double> personCelsius, List<SimulatedFault> personFaults,
                                double ambientCelsius, double noiseCelsius, long seed, Ticker ticker) {
        if (personCelsius.isEmpty()) {
            throw new IllegalArgumentException("the simulated thermometer needs at least one reading");
        }
        if (personFaults.isEmpty()) {
            throw new IllegalArgumentException("the simulated thermometer needs at least one fault entry (none)");
        }
        this.personCentiCelsius = personCelsius.stream().map(c -> (int) Math.round(c * 100)).toList();
        this.personFaults = List.copyOf(personFaults);
        this.ambientCentiCelsius = (int) Math.round(ambientCelsius * 100);
        this.noiseCelsius = noiseCelsius;
        this.device = new SimulatedMlx90614(Mlx90614.DEFAULT_ADDRESS, ticker, seed);
        device.scene(personCentiCelsius.get(0), ambientCentiCelsius, noiseCelsius);
        this.driver = new Mlx90614Thermometer(new Mlx90614(device, ticker), ticker, "sim mlx90614@0x5a");
    }

    @Override
    public synchronized void beginWindow() {
        person++;
        device.scene(personCentiCelsius.get(person % personCentiCelsius.size()), ambientCentiCelsius, noiseCelsius);
        device.fault(personFaults.get(person % personFaults.size()));
        driver.beginWindow();
    }

    @Override
    public synchronized ThermometerSample sample() {
        return driver.sample();
    }

    @Override
    public void endWindow() {
        driver.endWindow();
    }

    /** Bus transfers the simulated sensor has seen, so tests can check nothing polls between windows. */
    public long transfers() {
        return device.transfers();
    }

    @Override
    public String describe() {
        return driver.describe();
    }

    @Override
    public void close() {
        driver.close();
    }
}
