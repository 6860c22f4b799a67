package ckp.kiosk.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.drivers.lane.LaneDevices;
import ckp.drivers.lane.LaneOutputs;
import ckp.drivers.thermometer.SimulatedFault;
import ckp.drivers.thermometer.Thermometers;
import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.config.KioskIdentity;
import ckp.kiosk.config.Settings;
import ckp.kiosk.pass.DenyList;
import ckp.kiosk.pass.PassChecker;
import ckp.kiosk.pass.PlatePrivacy;
import ckp.kiosk.pass.SaltedHash;
import ckp.kiosk.pass.TrustStore;
import ckp.kiosk.message.Topics;
import ckp.kiosk.scan.Sighting;
import ckp.kiosk.screening.Screening;
import ckp.kiosk.screening.VirtualTicker;
import ckp.kiosk.screening.ScreeningConfig;
import ckp.kiosk.store.EventStore;
import ckp.kiosk.message.MessageClass;
import ckp.kiosk.store.StoreConfig;
import ckp.kiosk.store.StoredMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile tester's run: the store's folder deleted under a running lane with no broker to deliver to. Every
 * vehicle the lane showed green or red must be in the file at {@code store.path} at the next start.
 */
class LaneWithAVanishedStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyVehicleSignalledGreenOrRedIsInTheStoreAtTheNextStartAndSeqGoesOn(@TempDir Path dir) throws Exception {
        KioskIdentity kiosk = new KioskIdentity("k1", "site", "lane1");
        Topics topics = new Topics("ckp/v1", kiosk.site(), kiosk.lane(), kiosk.id());
        ClockStatus clock = ClockStatus.system(true);
        Path folder = dir.resolve("var").resolve("checkpoint-kiosk");
        StoreConfig config = new StoreConfig(folder.resolve("events.db"), Duration.ofHours(24), 1L << 30, 0);
        List<Decision> shown = new ArrayList<>();
        try (EventStore store = EventStore.open(config, topics, "boot", clock)) {
            VirtualTicker ticker = new VirtualTicker();
            Lane lane = new Lane(new LaneChecks(new PassChecker(true, TrustStore.of(Map.of()), Optional.empty(),
                    DenyList.EMPTY, Duration.ofMinutes(5), clock, Optional.of(new SaltedHash(new byte[16]))),
                    new Screening(Thermometers.simulated(List.of(36.6, 38.5), List.of(SimulatedFault.NONE),
                            22.0, 0, 1, ticker), screening(), ticker), new DecisionTable()),
                    new LaneDevices(new SilentOutputs()),
                    new LaneRecording(store, topics, clock, "boot", kiosk, PlatePrivacy.MASKED),
                    new LaneConfig(Duration.ZERO, Duration.ofSeconds(5), Duration.ZERO), ticker, () -> { });
            for (int vehicle = 0; vehicle < 8; vehicle++) {
                if (vehicle == 3) {
                    try (Stream<Path> files = Files.walk(dir.resolve("var"))) {
                        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(p);
                        }
                    }
                }
                shown.add(lane.handle(new Sighting("vehicle " + vehicle, 1, ticker.nanos(), 0)).orElseThrow());
            }
        }
        assertEquals(Decision.MANUAL, shown.get(3), "the commit that found the file gone fails: manual check");
        long signalled = shown.stream().filter(d -> d == Decision.PASS || d == Decision.STOP).count();
        assertTrue(shown.subList(4, 8).stream().allMatch(d -> d == Decision.PASS || d == Decision.STOP),
                "the lane records again once the store has reopened: " + shown);

        try (EventStore restarted = EventStore.open(config, topics, "boot", clock)) {
            List<StoredMessage> events = restarted.stored(MessageClass.EVENT, 0, 100);
            assertEquals(LongStream.rangeClosed(1, signalled).boxed().toList(),
                    events.stream().map(StoredMessage::seq).toList(),
                    "every green or red vehicle is there, seq continuous");
            List<String> decisions = new ArrayList<>();
            for (StoredMessage m : events) {
                JsonNode e = JSON.readTree(m.payload());
                decisions.add(e.path("decision").asText());
            }
            assertEquals(shown.stream().filter(d -> d != Decision.MANUAL).map(Decision::wire).toList(), decisions);
        }
    }

    private static ScreeningConfig screening() throws Exception {
        return ScreeningConfig.from(new Settings(Map.of("thermometer.type", "sim", "screening.window.ms", "200"),
                ScreeningConfig.KEYS, null));
    }

    /** The lane's outputs, discarded: the decisions are what {@link Lane#handle} returns. */
    private static final class SilentOutputs implements LaneOutputs {
        @Override
        public void light(Light light) {
        }

        @Override
        public void beep(Duration duration) {
        }

        @Override
        public void openBarrier(Duration duration) {
        }

        @Override
        public void close() {
        }
    }
}
