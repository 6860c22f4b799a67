package ckp.drivers.lane;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.drivers.Await;
import ckp.drivers.lane.LaneOutputs.Light;
import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The GPIO lane outputs on Pi4J's mock GPIO providers: the real Pi4J output code runs, only the lines are fake. */
class GpioLaneOutputsTest {
    private static final LanePins PINS = new LanePins(17, 27, 22, 23, 24, false, OptionalInt.of(25), true);
    private final Context pi4j = Pi4J.newContextBuilder().noAutoDetect()
            .add(MockDigitalOutputProvider.newInstance(), MockDigitalInputProvider.newInstance()).build();

    @AfterEach
    void shutdown() {
        if (!pi4j.isShutdown()) {
            pi4j.shutdown();
        }
    }

    private GpioLaneOutputs outputs(LanePins pins) {
        return new GpioLaneOutputs(pi4j, MockDigitalOutputProvider.ID, MockDigitalInputProvider.ID, pins);
    }

    private DigitalState line(String id) {
        DigitalOutput out = pi4j.registry().get(id);
        return out.state();
    }

    private void assertSafe(DigitalState on, DigitalState off) {
        assertEquals(off, line("lane-barrier"), "barrier");
        assertEquals(off, line("lane-buzzer"), "buzzer");
        assertEquals(off, line("lane-green"), "green");
        assertEquals(on, line("lane-red"), "red");
        assertEquals(on, line("lane-amber"), "amber");
    }

    @Test
    void onStartTheBarrierIsClosedAndTheLightsShowOutOfService() {
        outputs(PINS);
        assertSafe(DigitalState.HIGH, DigitalState.LOW);
    }

    @Test
    void activeLowRelayBoardsGetInvertedLevelsSoTheSafeStateIsStillSafe() {
        outputs(new LanePins(17, 27, 22, 23, 24, true, OptionalInt.empty(), false));
        assertSafe(DigitalState.LOW, DigitalState.HIGH);
    }

    @Test
    void eachLightShowsAloneAndOutOfServiceIsRedWithAmber() {
        GpioLaneOutputs lane = outputs(PINS);
        lane.light(Light.GREEN);
        assertEquals(DigitalState.HIGH, line("lane-green"));
        assertEquals(DigitalState.LOW, line("lane-red"));
        assertEquals(DigitalState.LOW, line("lane-amber"));
        lane.light(Light.AMBER);
        assertEquals(DigitalState.LOW, line("lane-green"));
        assertEquals(DigitalState.HIGH, line("lane-amber"));
        lane.light(Light.OFF);
        assertEquals(DigitalState.LOW, line("lane-amber"));
        lane.light(Light.OUT_OF_SERVICE);
        assertSafe(DigitalState.HIGH, DigitalState.LOW);
    }

    @Test
    void aBeepAndABarrierPulseEndByThemselves() throws Exception {
        GpioLaneOutputs lane = outputs(PINS);
        // The lines' changes as they happen: a pulse may be over before this thread looks at the line again.
        List<DigitalState> buzzer = new CopyOnWriteArrayList<>();
        List<DigitalState> barrier = new CopyOnWriteArrayList<>();
        pi4j.registry().<DigitalOutput>get("lane-buzzer").addListener(e -> buzzer.add(e.state()));
        pi4j.registry().<DigitalOutput>get("lane-barrier").addListener(e -> barrier.add(e.state()));
        lane.beep(Duration.ofMillis(50));
        lane.openBarrier(Duration.ofMillis(80));
        Await.until("the buzzer's pulse ended", () -> buzzer.size() >= 2);
        Await.until("the barrier's pulse ended", () -> barrier.size() >= 2);
        assertEquals(List.of(DigitalState.HIGH, DigitalState.LOW), buzzer, "the buzzer went on, then off by itself");
        assertEquals(List.of(DigitalState.HIGH, DigitalState.LOW), barrier, "the barrier opened, then closed by itself");
    }

    @Test
    void closingMidPulseClosesTheBarrierAndShowsOutOfService() {
        GpioLaneOutputs lane = outputs(PINS);
        lane.light(Light.GREEN);
        lane.beep(Duration.ofSeconds(60));
        lane.openBarrier(Duration.ofSeconds(60));
        lane.close();
        assertSafe(DigitalState.HIGH, DigitalState.LOW);
        lane.openBarrier(Duration.ofSeconds(60));
        assertEquals(DigitalState.LOW, line("lane-barrier"), "a closed lane ignores late commands");
    }

    @Test
    void aPi4jShutdownWithoutCloseStillAppliesEachLinesShutdownState() {
        GpioLaneOutputs lane = outputs(PINS);
        lane.light(Light.GREEN);
        lane.openBarrier(Duration.ofSeconds(60));
        DigitalOutput barrier = pi4j.registry().get("lane-barrier");
        DigitalOutput green = pi4j.registry().get("lane-green");
        DigitalOutput red = pi4j.registry().get("lane-red");
        pi4j.shutdown();
        assertEquals(DigitalState.LOW, barrier.state());
        assertEquals(DigitalState.LOW, green.state());
        assertEquals(DigitalState.HIGH, red.state());
        assertDoesNotThrow(lane::close, "the kiosk's own close after Pi4J's shutdown hook");
    }

    @Test
    void theActiveLowPresenceSensorReadsAVehicleWhenItsLineIsLow() {
        GpioLaneOutputs lane = outputs(PINS);
        PresenceSensor presence = lane.presence().orElseThrow();
        MockDigitalInput input = pi4j.registry().get("lane-presence");
        input.mockState(DigitalState.HIGH);
        assertFalse(presence.present());
        input.mockState(DigitalState.LOW);
        assertTrue(presence.present());
    }

    @Test
    void aPinUsedTwiceIsRefusedNamingThePin() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LanePins(17, 17, 22, 23, 24, false, OptionalInt.empty(), false));
        assertTrue(e.getMessage().contains("17"), e.getMessage());
    }
}
