package ckp.drivers.thermometer;

/** No thermometer fitted ({@code thermometer.type=none}): every sample says so, and screening reports unavailable. */
final class AbsentThermometer implements Thermometer {

    @Override
    public void beginWindow() {
    }

    @Override
    public ThermometerSample sample() {
        return ThermometerSample.fault(ThermometerSample.Status.ABSENT, "no thermometer configured");
    }

    @Override
    public String describe() {
        return "none";
    }

    @Override
    public void close() {
    }
}
