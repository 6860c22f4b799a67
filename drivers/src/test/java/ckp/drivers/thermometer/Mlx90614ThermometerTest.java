package ckp.drivers.thermometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.drivers.thermometer.ThermometerSample.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The forehead thermometer over the byte-level simulator: samples, faults as values, recovery, no idle polling. */
class Mlx90614ThermometerTest {
    private final VirtualTicker ticker = new VirtualTicker();
    private final SimulatedMlx90614 device = new SimulatedMlx90614(0x5A, ticker, 7);
    private final Mlx90614Thermometer thermometer =
            new Mlx90614Thermometer(new Mlx90614(device, ticker), ticker, "test");

    @Test
    void theFirstWindowWaitsAQuarterSecondAfterPowerUp() {
        long start = ticker.nanos();
        thermometer.beginWindow();
        assertEquals(Duration.ofMillis(250).toNanos(), ticker.nanos() - start);
        assertEquals(0, device.transfers());
    }

    @Test
    void aSampleCarriesObjectAndAmbientInHundredths() {
        device.scene(3675, 2400, 0);
        thermometer.beginWindow();
        ThermometerSample s = thermometer.sample();
        assertEquals(ThermometerSample.ok(3675, 2401), s, "2400 is not a 0.02 K step; the nearest step is 24.01");
    }

    @Test
    void anErrorFlagMakesTheSampleInvalid() {
        device.scene(3675, 2400, 0);
        device.fault(SimulatedFault.FLAG);
        thermometer.beginWindow();
        ThermometerSample s = thermometer.sample();
        assertEquals(Status.ERROR_FLAG, s.status());
        assertTrue(s.detail().contains("Tobj1"), s.detail());
    }

    @Test
    void aPersistentPecMismatchIsAPecErrorSample() {
        device.fault(SimulatedFault.PEC);
        thermometer.beginWindow();
        assertEquals(Status.PEC_ERROR, thermometer.sample().status());
    }

    @Test
    void anUnpluggedSensorGivesBusFaultSamplesAndRecoversByItselfAfterFirstDataTime() {
        device.scene(3651, 2300, 0);
        thermometer.beginWindow();
        assertTrue(thermometer.sample().ok());

        device.fault(SimulatedFault.DISCONNECT);
        ThermometerSample fault = thermometer.sample();
        assertEquals(Status.BUS_FAULT, fault.status());
        assertTrue(fault.detail().contains("no acknowledge"), fault.detail());
        assertEquals(Status.BUS_FAULT, thermometer.sample().status());

        device.fault(SimulatedFault.NONE);
        ThermometerSample answering = thermometer.sample();
        assertEquals(Status.BUS_FAULT, answering.status(), "the first answer after a fault may come from a sensor still powering up");
        long before = ticker.nanos();
        ThermometerSample back = thermometer.sample();
        assertEquals(ThermometerSample.ok(3651, 2301), back);
        assertEquals(Duration.ofMillis(250).toNanos(), ticker.nanos() - before);
    }

    @Test
    void theSimulatedThermometerPlaysItsScriptThroughTheRealDriverAndNeverPollsBetweenWindows() {
        SimulatedThermometer sim = new SimulatedThermometer(List.of(36.6, 38.4),
                List.of(SimulatedFault.NONE, SimulatedFault.NONE, SimulatedFault.DISCONNECT),
                24.0, 0.0, 1, ticker);
        sim.beginWindow();
        assertEquals(3661, sim.sample().objectCentiCelsius(), "every 0.02 K step is an odd hundredth: 36.60 reads 36.61");
        sim.endWindow();
        long idle = sim.transfers();
        ticker.advance(Duration.ofSeconds(30));
        assertEquals(idle, sim.transfers());
        sim.beginWindow();
        assertEquals(3841, sim.sample().objectCentiCelsius());
        sim.beginWindow();
        assertEquals(Status.BUS_FAULT, sim.sample().status());
        sim.beginWindow();
        assertEquals(Status.BUS_FAULT, sim.sample().status(), "answers again: waits for first data");
        assertEquals(ThermometerSample.ok(3841, 2401), sim.sample(), "the fourth person is the second reading again");
    }

    @Test
    void noiseSpreadsTheObjectReadingsAroundTheScriptedValue() {
        device.scene(3660, 2400, 0.2);
        thermometer.beginWindow();
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int i = 0; i < 50; i++) {
            int c = thermometer.sample().objectCentiCelsius();
            min = Math.min(min, c);
            max = Math.max(max, c);
        }
        assertTrue(max - min >= 20 && min > 3560 && max < 3760, min + ".." + max);
    }
}
