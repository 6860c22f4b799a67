package ckp.kiosk.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.lane.LaneCycle.State;
import ckp.kiosk.lane.LaneCycle.Step;
import ckp.kiosk.screening.TemperatureResult;
import ckp.kiosk.screening.TemperatureResult.Kind;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LaneCycleTest {
    private static final long MS = 1_000_000L;
    private static final TemperatureResult NORMAL = TemperatureResult.of(Kind.NORMAL, 3661, 2201, 8, 4, "");
    private static final TemperatureResult UNSTABLE = TemperatureResult.of(Kind.RETEST, 3661, 2201, 8, 90, "unstable");
    private static final TemperatureResult BUS_FAULT = TemperatureResult.without(Kind.INVALID, "bus_fault in 8 of 8 samples");

    private final LaneCycle cycle = new LaneCycle(Duration.ofMillis(5000), Duration.ofMillis(1500), Duration.ofMillis(1000), false);

    @Test
    void aVehicleGoesFromIdleThroughMeasuringAndDecidedToClearAndBackToIdle() {
        assertEquals(State.IDLE, cycle.state());
        assertTrue(cycle.codeSeen("A", 0));
        assertEquals(State.MEASURING, cycle.state());
        assertEquals(new Step.Decide(NORMAL), cycle.measured(NORMAL, 1200 * MS));
        assertEquals(State.DECIDED, cycle.state());
        cycle.tick(2000 * MS);
        assertEquals(State.DECIDED, cycle.state(), "shown for 800 ms of 1500");
        cycle.tick(2700 * MS);
        assertEquals(State.CLEAR, cycle.state());
        cycle.tick(2720 * MS);
        assertEquals(State.IDLE, cycle.state());
        assertEquals("", cycle.code());
    }

    @Test
    void aCodeSeenWhileAVehicleIsMeasuredOrShownIsIgnoredSoEachSightingGetsOneDecision() {
        assertTrue(cycle.codeSeen("A", 0));
        assertFalse(cycle.codeSeen("A", 100 * MS));
        assertFalse(cycle.codeSeen("B", 100 * MS));
        cycle.measured(NORMAL, 1000 * MS);
        assertFalse(cycle.codeSeen("A", 1100 * MS));
        assertEquals("A", cycle.code());
        assertInstanceOf(Step.Ignore.class, cycle.measured(NORMAL, 1200 * MS), "a second result for A decides nothing");
        cycle.tick(3000 * MS);
        assertTrue(cycle.codeSeen("B", 3000 * MS), "a clear lane takes the next vehicle");
    }

    @Test
    void anUnstableWindowIsMeasuredAgainWhileAnotherWindowFitsBeforeTheTimeout() {
        cycle.codeSeen("A", 0);
        assertInstanceOf(Step.MeasureAgain.class, cycle.measured(UNSTABLE, 1000 * MS));
        assertInstanceOf(Step.MeasureAgain.class, cycle.measured(UNSTABLE, 4000 * MS));
        Step last = cycle.measured(UNSTABLE, 4100 * MS);
        assertEquals(new Step.Decide(UNSTABLE), last, "4.1 s + a 1 s window would pass the 5 s timeout");
    }

    @Test
    void aResultAfterTheTimeoutIsDecidedAsRetestEvenIfItLooksNormal() {
        cycle.codeSeen("A", 0);
        Step step = cycle.measured(NORMAL, 5001 * MS);
        TemperatureResult t = ((Step.Decide) step).temperature();
        assertEquals(Kind.RETEST, t.kind());
        assertTrue(t.detail().startsWith("no valid temperature within 5000 ms"), t.detail());
    }

    @Test
    void aCodeWithNoMeasurementAtAllIsDecidedByTheClockAndTheLateResultIsIgnored() {
        cycle.codeSeen("A", 0);
        assertEquals(Optional.empty(), cycle.tick(4999 * MS));
        TemperatureResult timeout = cycle.tick(5001 * MS).orElseThrow();
        assertEquals(Kind.RETEST, timeout.kind());
        assertEquals(State.DECIDED, cycle.state());
        assertInstanceOf(Step.Ignore.class, cycle.measured(NORMAL, 5100 * MS));
    }

    @Test
    void aSensorFaultIsDecidedAtOnceAndStaysInvalidWhenLate() {
        cycle.codeSeen("A", 0);
        assertEquals(new Step.Decide(BUS_FAULT), cycle.measured(BUS_FAULT, 1000 * MS));
        LaneCycle late = new LaneCycle(Duration.ofMillis(500), Duration.ZERO, Duration.ofMillis(1000), false);
        late.codeSeen("A", 0);
        assertEquals(Kind.INVALID, ((Step.Decide) late.measured(BUS_FAULT, 1000 * MS)).temperature().kind());
    }

    @Test
    void withAPresenceSensorTheDecisionStaysUpUntilTheVehicleHasLeft() {
        LaneCycle lane = new LaneCycle(Duration.ofMillis(5000), Duration.ofMillis(1500), Duration.ofMillis(1000), true);
        lane.presence(true, 0);
        assertEquals(State.SCANNING, lane.state());
        lane.codeSeen("A", 100 * MS);
        lane.measured(NORMAL, 1100 * MS);
        lane.presence(true, 10_000 * MS);
        lane.tick(10_000 * MS);
        assertEquals(State.DECIDED, lane.state(), "still there");
        lane.presence(false, 11_000 * MS);
        lane.tick(11_000 * MS);
        assertEquals(State.CLEAR, lane.state());
        lane.tick(11_020 * MS);
        assertEquals(State.IDLE, lane.state());
    }

    @Test
    void aStuckPresenceSensorCannotHoldADecisionForever() {
        LaneCycle lane = new LaneCycle(Duration.ofMillis(5000), Duration.ofMillis(1500), Duration.ofMillis(1000), true);
        lane.presence(true, 0);
        lane.codeSeen("A", 0);
        lane.measured(NORMAL, 1000 * MS);
        lane.tick((1000 + 1500 + 60_000) * MS);
        assertEquals(State.CLEAR, lane.state());
        lane.tick((1000 + 1500 + 60_020) * MS);
        assertEquals(State.SCANNING, lane.state(), "the sensor still says a vehicle is there");
    }

    @Test
    void aVehicleThatLeavesWithoutShowingACodeTakesTheLaneBackToIdle() {
        LaneCycle lane = new LaneCycle(Duration.ofMillis(5000), Duration.ofMillis(1500), Duration.ofMillis(1000), true);
        lane.presence(true, 0);
        lane.presence(false, 3000 * MS);
        assertEquals(State.IDLE, lane.state());
    }
}
