package ckp.kiosk.screening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.drivers.thermometer.Thermometers;
import ckp.drivers.thermometer.SimulatedFault;
import ckp.drivers.thermometer.SimulatedThermometer;
import ckp.drivers.thermometer.ThermometerSample;
import ckp.drivers.thermometer.ThermometerSample.Status;
import ckp.kiosk.screening.TemperatureResult.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ScreeningTest {
    private static final ScreeningConfig DEFAULTS = ScreeningRules.with();

    private static List<ThermometerSample> samples(int ambient, int... objects) {
        List<ThermometerSample> out = new ArrayList<>();
        for (int o : objects) {
            out.add(ThermometerSample.ok(o, ambient));
        }
        return out;
    }

    private static ThermometerSample fault(Status status) {
        return ThermometerSample.fault(status, status + " detail");
    }

    @Test
    void aStableWindowBelowTheThresholdIsNormalAndCarriesMedianAmbientCountAndSpread() {
        TemperatureResult r = Screening.classify(samples(2201, 3659, 3661, 3663, 3661, 3665), DEFAULTS);
        assertEquals(Kind.NORMAL, r.kind());
        assertEquals(OptionalDouble.of(36.61), r.celsius());
        assertEquals(OptionalDouble.of(22.01), r.ambientCelsius());
        assertEquals(5, r.samples());
        assertEquals(0.06, r.spreadCelsius(), 1e-9);
    }

    @Test
    void exactlyTheThresholdIsFeverAndOneHundredthBelowIsNormal() {
        assertEquals(Kind.FEVER, Screening.classify(samples(2201, 3729, 3731), DEFAULTS).kind(), "median 37.30");
        assertEquals(Kind.NORMAL, Screening.classify(samples(2201, 3729, 3729), DEFAULTS).kind());
        assertEquals(Kind.FEVER, Screening.classify(samples(2201, 3651), ScreeningRules.with("screening.fever.celsius", "36.5")).kind());
    }

    @Test
    void theKioskOffsetIsAddedBeforeTheFeverRule() {
        ScreeningConfig rules = ScreeningRules.with("screening.offset.celsius", "0.5");
        TemperatureResult r = Screening.classify(samples(2201, 3681, 3681, 3681), rules);
        assertEquals(Kind.FEVER, r.kind());
        assertEquals(OptionalDouble.of(37.31), r.celsius());
    }

    @Test
    void aSingleSpikeIsDroppedAsAnOutlier() {
        TemperatureResult r = Screening.classify(samples(2201, 3661, 3661, 3663, 4201, 3661, 3659, 3661, 3661), DEFAULTS);
        assertEquals(Kind.NORMAL, r.kind());
        assertEquals(7, r.samples(), "one of eight dropped");
        assertEquals(OptionalDouble.of(36.61), r.celsius());
    }

    @Test
    void manyOutliersMakeTheWindowUnstableSoItIsRetested() {
        TemperatureResult r = Screening.classify(samples(2201, 3661, 3661, 3661, 3661, 3661, 3401, 3401, 3901), DEFAULTS);
        assertEquals(Kind.RETEST, r.kind());
        assertTrue(r.detail().startsWith("unstable: 3 of 8"), r.detail());
    }

    @Test
    void twoEqualClustersLeaveNoSampleNearTheMedianAndAreRetestedNotACrash() {
        TemperatureResult r = Screening.classify(samples(2201, 3661, 3811, 3661, 3811), DEFAULTS);
        assertEquals(Kind.RETEST, r.kind());
        assertTrue(r.detail().startsWith("unstable: 4 of 4"), r.detail());
        assertEquals(1.5, r.spreadCelsius(), 1e-9);
    }

    @Test
    void aDriftWiderThanTheMaximumSpreadIsRetested() {
        TemperatureResult r = Screening.classify(samples(2201, 3601, 3621, 3641, 3661, 3681, 3701), DEFAULTS);
        assertEquals(Kind.RETEST, r.kind());
        assertEquals(1.0, r.spreadCelsius(), 1e-9);
        assertTrue(r.detail().contains("spread 1.0"), r.detail());
        assertEquals(Kind.NORMAL, Screening.classify(samples(2201, 3601, 3621, 3641, 3661, 3681, 3701),
                ScreeningRules.with("screening.max.spread.celsius", "1.0")).kind());
    }

    @Test
    void aColdAmbientIsOutOfEnvelopeAndStillCarriesTheTemperature() {
        TemperatureResult r = Screening.classify(samples(1201, 3501, 3501, 3501), DEFAULTS);
        assertEquals(Kind.OUT_OF_ENVELOPE, r.kind());
        assertEquals(OptionalDouble.of(35.01), r.celsius());
        assertEquals(OptionalDouble.of(12.01), r.ambientCelsius());
        assertEquals(Kind.OUT_OF_ENVELOPE, Screening.classify(samples(3301, 3661), DEFAULTS).kind());
        assertEquals(Kind.NORMAL, Screening.classify(samples(1201, 3661), ScreeningRules.with("screening.ambient.min.celsius", "10")).kind());
    }

    @Test
    void aReadingThatCannotBeAForeheadIsRetested() {
        TemperatureResult r = Screening.classify(samples(2201, 2401, 2401, 2403), DEFAULTS);
        assertEquals(Kind.RETEST, r.kind());
        assertTrue(r.detail().contains("no forehead"), r.detail());
    }

    @Test
    void mostlyFaultySamplesAreInvalidNamingTheFault() {
        List<ThermometerSample> window = new ArrayList<>(samples(2201, 3661));
        window.add(fault(Status.BUS_FAULT));
        window.add(fault(Status.BUS_FAULT));
        TemperatureResult r = Screening.classify(window, DEFAULTS);
        assertEquals(Kind.INVALID, r.kind());
        assertTrue(r.detail().startsWith("bus_fault in 2 of 3 samples"), r.detail());
        assertTrue(r.celsius().isEmpty());
    }

    @Test
    void aFewFaultySamplesAmongValidOnesStillGiveAResult() {
        List<ThermometerSample> window = new ArrayList<>(samples(2201, 3661, 3661, 3663));
        window.add(fault(Status.PEC_ERROR));
        window.add(fault(Status.ERROR_FLAG));
        assertEquals(Kind.NORMAL, Screening.classify(window, DEFAULTS).kind());
    }

    @Test
    void noSensorIsUnavailable() {
        assertEquals(Kind.UNAVAILABLE, Screening.classify(List.of(fault(Status.ABSENT)), DEFAULTS).kind());
        Screening screening = new Screening(Thermometers.absent(), DEFAULTS, new VirtualTicker());
        assertEquals(Kind.UNAVAILABLE, screening.measure().kind());
    }

    @Test
    void aWindowTakesRateTimesWindowSamplesOnTheSimulatedSensor() {
        VirtualTicker ticker = new VirtualTicker();
        SimulatedThermometer sim = Thermometers.simulated(List.of(36.6), List.of(SimulatedFault.NONE), 24, 0.05, 3, ticker);
        Screening screening = new Screening(sim, ScreeningRules.with("screening.window.ms", "500", "screening.rate.hz", "10"), ticker);
        long start = ticker.nanos();
        TemperatureResult r = screening.measure();
        assertEquals(Kind.NORMAL, r.kind());
        assertEquals(5, r.samples());
        assertEquals(Duration.ofMillis(250 + 400).toNanos(), ticker.nanos() - start, "first data, then 4 periods of 100 ms");
        long transfers = sim.transfers();
        assertEquals(5 * 2, transfers, "Ta and Tobj1 per sample, nothing else");
    }

    @Test
    void eachSimulatedFaultGivesItsResultAndTheSensorRecoversInTheNextWindow() {
        VirtualTicker ticker = new VirtualTicker();
        SimulatedThermometer sim = Thermometers.simulated(List.of(36.6),
                List.of(SimulatedFault.GLITCH, SimulatedFault.PEC, SimulatedFault.FLAG, SimulatedFault.DISCONNECT, SimulatedFault.NONE), 24, 0.0, 3, ticker);
        Screening screening = new Screening(sim, DEFAULTS, ticker);
        assertEquals(Kind.NORMAL, screening.measure().kind(), "glitches are retried");
        TemperatureResult pec = screening.measure();
        assertEquals(Kind.INVALID, pec.kind());
        assertTrue(pec.detail().startsWith("pec_error"), pec.detail());
        assertEquals(Status.PEC_ERROR, screening.health().status());
        TemperatureResult flag = screening.measure();
        assertTrue(flag.detail().startsWith("error_flag"), flag.detail());
        TemperatureResult gone = screening.measure();
        assertEquals(Kind.INVALID, gone.kind());
        assertEquals(Status.BUS_FAULT, screening.health().status());
        assertEquals("bus_fault", screening.health().wire());
        TemperatureResult back = screening.measure();
        assertEquals(Kind.NORMAL, back.kind(), back.detail());
        assertEquals(Status.OK, screening.health().status());
    }
}
