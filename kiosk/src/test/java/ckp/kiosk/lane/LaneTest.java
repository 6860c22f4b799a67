package ckp.kiosk.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.drivers.lane.LaneDevices;
import ckp.drivers.lane.LaneOutputs;
import ckp.drivers.lane.PresenceSensor;
import ckp.drivers.thermometer.SimulatedFault;
import ckp.drivers.thermometer.SimulatedThermometer;
import ckp.drivers.thermometer.Thermometers;
import ckp.drivers.thermometer.Thermometer;
import ckp.drivers.thermometer.ThermometerSample;
import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.config.KioskIdentity;
import ckp.kiosk.pass.DenyList;
import ckp.kiosk.pass.PassChecker;
import ckp.kiosk.pass.PlatePrivacy;
import ckp.kiosk.pass.SaltedHash;
import ckp.kiosk.pass.TrustStore;
import ckp.kiosk.message.Topics;
import ckp.kiosk.scan.Sighting;
import ckp.kiosk.screening.Screening;
import ckp.kiosk.screening.ScreeningConfig;
import ckp.kiosk.screening.ScreeningRules;
import ckp.kiosk.screening.VirtualTicker;
import ckp.kiosk.store.EventStore;
import ckp.kiosk.store.StoredMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lane end to end on one thread: simulated MLX90614 bytes in, a real SQLite event and lane signals out. */
class LaneTest {
    private static final KioskIdentity KIOSK = new KioskIdentity("k1", "site", "lane1");
    private static final ClockStatus CLOCK = ClockStatus.fixed(Clock.fixed(Instant.parse("2026-11-29T08:00:00Z"), ZoneOffset.UTC), true);

    @TempDir
    Path dir;
    private final VirtualTicker ticker = new VirtualTicker();
    private final List<String> signals = new ArrayList<>();
    private EventStore store;
    private PassChecker passes;

    /** Records what the lane shows, as the console outputs would print it. */
    private final LaneOutputs outputs = new LaneOutputs() {
        @Override
        public void light(Light light) {
            signals.add("light " + light);
        }

        @Override
        public void beep(Duration duration) {
            signals.add("beep " + duration.toMillis());
        }

        @Override
        public void openBarrier(Duration duration) {
            signals.add("barrier " + duration.toMillis());
        }

        @Override
        public void close() {
            signals.add("closed");
        }
    };

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private Lane lane(Thermometer thermometer, ScreeningConfig rules, LaneConfig config) {
        return lane(thermometer, rules, config, Optional.empty());
    }

    private Lane lane(Thermometer thermometer, ScreeningConfig rules, LaneConfig config,
                      Optional<PresenceSensor> presence) {
        store = EventStore.open(dir.resolve("events.db"));
        passes = new PassChecker(true, TrustStore.of(Map.of()), Optional.empty(), DenyList.EMPTY,
                Duration.ofMinutes(5), CLOCK, Optional.of(new SaltedHash(new byte[16])));
        return new Lane(new LaneChecks(passes, new Screening(thermometer, rules, ticker), new DecisionTable()),
                new LaneDevices(outputs, presence),
                new LaneRecording(store, new Topics("ckp/v1", KIOSK.site(), KIOSK.lane(), KIOSK.id()), CLOCK, "boot", KIOSK, PlatePrivacy.MASKED),
                config, ticker, () -> { });
    }

    private static LaneConfig config(int barrierMillis) {
        return new LaneConfig(Duration.ofMillis(1500), Duration.ofMillis(barrierMillis), Duration.ofSeconds(1),
                Duration.ofSeconds(5), "console", Optional.empty());
    }

    private Sighting sighting(String text, long seq) {
        return new Sighting(text, seq, ticker.nanos(), 1_000_000);
    }

    private JsonNode lastEvent() throws IOException {
        List<ckp.kiosk.store.PendingMessage> all = store.pending(0, 100, java.util.Set.of());
        return new ObjectMapper().readTree(all.get(all.size() - 1).payload());
    }

    private SimulatedThermometer sim(List<Double> readings, List<SimulatedFault> faults) {
        return Thermometers.simulated(readings, faults, 22, 0.05, 11, ticker);
    }

    @Test
    void aNormalDriverPassesWithGreenAShortBeepAndABarrierPulseThenTheLightGoesOff() throws IOException {
        Lane lane = lane(sim(List.of(36.6), List.of(SimulatedFault.NONE)), ScreeningRules.with(), config(3000));
        assertEquals(Optional.of(Decision.PASS), lane.handle(sighting("PLAIN-1", 1)));
        assertEquals(List.of("light GREEN", "beep 150", "barrier 3000", "light OFF"), signals);
        assertEquals(LaneCycle.State.IDLE, lane.state());
        JsonNode t = lastEvent().get("temperature");
        assertEquals("normal", t.get("result").asText());
        assertEquals(8, t.get("samples").asInt());
        assertEquals(22.01, t.get("ambientCelsius").asDouble(), 1e-9);
    }

    @Test
    void theEventsTimingsAreReadOnTheLanesTickerSoATestCanDriveThem() throws IOException {
        Lane lane = lane(sim(List.of(36.6), List.of(SimulatedFault.NONE)), ScreeningRules.with(), config(0));
        long capturedTwoSecondsAgo = ticker.nanos() - Duration.ofSeconds(2).toNanos();
        assertEquals(Optional.of(Decision.PASS), lane.handle(new Sighting("PLAIN-1", 1, capturedTwoSecondsAgo, 0)));
        JsonNode timings = lastEvent().get("timings");
        long measureMs = timings.get("measureMs").asLong();
        assertTrue(measureMs >= 500, "the measuring window is slept on the virtual ticker: " + timings);
        assertEquals(2000 + measureMs, timings.get("totalMs").asLong(), "from capture to decision: " + timings);
    }

    @Test
    void aPassIsPreferredOverAnotherCodeInTheSameFrameAndTheVehicleIsDecidedByIt() throws IOException {
        Lane lane = lane(sim(List.of(36.6), List.of(SimulatedFault.NONE)), ScreeningRules.with(), config(0));
        String pass = "CKP1:RECORDED-PASS";
        Sighting both = new Sighting(List.of("https://example.org/parking", pass), 1, ticker.nanos(), 1_000_000);
        assertEquals(Optional.of(Decision.PASS), lane.handle(both));
        JsonNode event = lastEvent();
        assertEquals(passes.check(pass).hash().orElseThrow(), event.get("pass").get("hash").asText(), "the pass's hash, not the URL's");
        assertEquals(0, event.get("reasons").size());
        assertEquals(1, store.pending(0, 100, java.util.Set.of()).size(), "one event for one vehicle");
    }

    @Test
    void twoDifferentPassesInViewAreOneManualDecisionWithReasonMultiplePasses() throws IOException {
        Lane lane = lane(sim(List.of(36.6), List.of(SimulatedFault.NONE)), ScreeningRules.with(), config(3000));
        Sighting two = new Sighting(List.of("CKP1:FIRST", "a flyer", "CKP1:SECOND"), 1, ticker.nanos(), 1_000_000);
        assertEquals(Optional.of(Decision.MANUAL), lane.handle(two));
        assertEquals(List.of("light AMBER", "light OFF"), signals, "no barrier for either pass");
        JsonNode event = lastEvent();
        assertEquals("manual", event.get("decision").asText());
        assertEquals("[\"multiple_passes\"]", event.get("reasons").toString());
        assertEquals(1, store.pending(0, 100, java.util.Set.of()).size(), "one event for one vehicle");
    }

    @Test
    void theSamePassTwiceInViewIsOnePass() {
        Lane lane = lane(sim(List.of(36.6), List.of(SimulatedFault.NONE)), ScreeningRules.with(), config(0));
        Sighting same = new Sighting(List.of("CKP1:SAME", "CKP1:SAME"), 1, ticker.nanos(), 1_000_000);
        assertEquals(Optional.of(Decision.PASS), lane.handle(same));
    }

    @Test
    void aFeverStopsTheVehicleWithRedAndALongBeep() throws IOException {
        Lane lane = lane(sim(List.of(38.4), List.of(SimulatedFault.NONE)), ScreeningRules.with(), config(0));
        assertEquals(Optional.of(Decision.STOP), lane.handle(sighting("PLAIN-1", 1)));
        assertEquals(List.of("light RED", "beep 1200", "light OFF"), signals);
        assertEquals("fever", lastEvent().get("temperature").get("result").asText());
    }

    @Test
    void anUnpluggedSensorSendsTheVehicleToManualCheckAndTheNextVehiclePassesOnceItAnswersAgain() throws IOException {
        Lane lane = lane(sim(List.of(36.6), List.of(SimulatedFault.DISCONNECT, SimulatedFault.NONE)), ScreeningRules.with(), config(0));
        assertEquals(Optional.of(Decision.MANUAL), lane.handle(sighting("PLAIN-1", 1)));
        assertEquals(List.of("light AMBER", "light OFF"), signals);
        JsonNode event = lastEvent();
        assertEquals("invalid", event.get("temperature").get("result").asText());
        assertTrue(event.get("temperature").get("celsius").isNull());
        assertEquals(Optional.of(Decision.PASS), lane.handle(sighting("PLAIN-2", 2)));
        assertEquals("normal", lastEvent().get("temperature").get("result").asText());
    }

    @Test
    void anUnstableWindowIsRetestedWithinTheTimeoutBeforeTheLaneDecides() {
        int[] windows = new int[1];
        Thermometer wobbly = new Thermometer() {
            private int window;
            private int sample;

            @Override
            public void beginWindow() {
                window++;
                windows[0] = window;
            }

            @Override
            public ThermometerSample sample() {
                sample++;
                int wobble = window == 1 ? (sample % 2) * 150 : 0;
                return ThermometerSample.ok(3661 + wobble, 2201);
            }

            @Override
            public String describe() {
                return "wobbly";
            }

            @Override
            public void close() {
            }
        };
        Lane lane = lane(wobbly, ScreeningRules.with(), config(0));
        assertEquals(Optional.of(Decision.PASS), lane.handle(sighting("PLAIN-1", 1)));
        assertEquals(2, windows[0], "the first window wobbled, the second was stable");
        assertEquals(1, store.pending(0, 100, java.util.Set.of()).size(), "one event for one sighting");
    }

    @Test
    void aSensorThatNeverSettlesGivesManualCheckAfterTheTimeoutWithOneEvent() throws IOException {
        Lane noisy = lane(Thermometers.simulated(List.of(36.6), List.of(SimulatedFault.NONE), 22, 1.5, 11, ticker),
                ScreeningRules.with(), config(0));
        assertEquals(Optional.of(Decision.MANUAL), noisy.handle(sighting("PLAIN-1", 1)));
        assertEquals(1, store.pending(0, 100, java.util.Set.of()).size());
        JsonNode t = lastEvent().get("temperature");
        assertEquals("retest", t.get("result").asText());
        assertEquals(List.of("light AMBER", "light OFF"), signals);
    }

    @Test
    void withAPresenceSensorTheDecisionStaysShownUntilTheVehicleHasDriven() {
        long leavesAt = ticker.nanos() + Duration.ofSeconds(20).toNanos();
        PresenceSensor loop = new PresenceSensor() {
            @Override
            public boolean present() {
                return ticker.nanos() < leavesAt;
            }

            @Override
            public void close() {
            }
        };
        Lane lane = lane(sim(List.of(36.6), List.of(SimulatedFault.NONE)), ScreeningRules.with(), config(0), Optional.of(loop));
        assertEquals(Optional.of(Decision.PASS), lane.handle(sighting("PLAIN-1", 1)));
        assertTrue(ticker.nanos() >= leavesAt, "the green light stayed up until the vehicle left");
        assertEquals(List.of("light GREEN", "beep 150", "light OFF"), signals);
        assertEquals(LaneCycle.State.IDLE, lane.state());
    }
}
