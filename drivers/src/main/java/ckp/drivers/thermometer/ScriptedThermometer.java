package ckp.drivers.thermometer;

import java.util.List;

/**
 * The simulated thermometer: one scripted forehead temperature per measured person, cycled, at a fixed ambient.
 * Every sample within a person's window returns that person's temperature.
 */
public final class ScriptedThermometer implements Thermometer {
    private final List<Integer> personCentiCelsius;
    private final int ambientCentiCelsius;
    private int person = -1;

    public ScriptedThermometer(List<Double> personCelsius, double ambientCelsius) {
        if (personCelsius.isEmpty()) {
            throw new IllegalArgumentException("the scripted thermometer needs at least one reading");
        }
        this.personCentiCelsius = personCelsius.stream().map(c -> (int) Math.round(c * 100)).toList();
        this.ambientCentiCelsius = (int) Math.round(ambientCelsius * 100);
    }

    @Override
    public synchronized void beginWindow() {
        person = (person + 1) % personCentiCelsius.size();
    }

    @Override
    public synchronized ThermometerSample sample() {
        int index = Math.max(person, 0);
        return ThermometerSample.ok(personCentiCelsius.get(index), ambientCentiCelsius);
    }

    @Override
    public String describe() {
        return "sim";
    }

    @Override
    public void close() {
    }
}
