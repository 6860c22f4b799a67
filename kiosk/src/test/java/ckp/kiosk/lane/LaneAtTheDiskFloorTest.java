package ckp.kiosk.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ckp.drivers.lane.LaneDevices;
import ckp.drivers.lane.LaneOutputs;
import ckp.drivers.thermometer.SimulatedFault;
import ckp.drivers.thermometer.Thermometers;
import ckp.kiosk.config.Settings;
import ckp.kiosk.screening.ScreeningConfig;
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
import ckp.kiosk.screening.VirtualTicker;
import ckp.kiosk.store.EventStore;
import ckp.kiosk.message.MessageClass;
import ckp.kiosk.store.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaneAtTheDiskFloorTest {

    /** Records what the lane showed. */
    private static final class RecordingOutputs implements LaneOutputs {
        final List<Light> lights = new ArrayList<>();
        boolean barrierOpened;

        @Override
        public void light(Light light) {
            lights.add(light);
        }

        @Override
        public void beep(Duration duration) {
        }

        @Override
        public void openBarrier(Duration duration) {
            barrierOpened = true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aRefusedEventTurnsIntoManualCheckAndIsCounted(@TempDir Path dir) throws Exception {
        KioskIdentity kiosk = new KioskIdentity("k1", "site", "lane1");
        Topics topics = new Topics("ckp/v1", kiosk.site(), kiosk.lane(), kiosk.id());
        ClockStatus clock = ClockStatus.system(true);
        long free = Files.getFileStore(dir).getUsableSpace();
        StoreConfig floored = new StoreConfig(dir.resolve("events.db"), Duration.ofHours(24), 1L << 30,
                free + (1L << 40));
        RecordingOutputs outputs = new RecordingOutputs();
        try (EventStore store = EventStore.open(floored, topics, "boot", clock)) {
            VirtualTicker ticker = new VirtualTicker();
            Lane lane = new Lane(new LaneChecks(new PassChecker(true, TrustStore.of(Map.of()), Optional.empty(), DenyList.EMPTY,
                Duration.ofMinutes(5), clock, Optional.of(new SaltedHash(new byte[16]))),
                    new Screening(Thermometers.simulated(List.of(36.6), List.of(SimulatedFault.NONE), 22.0,
                            0, 1, ticker), screeningDefaults(), ticker), new DecisionTable()),
                    new LaneDevices(outputs),
                    new LaneRecording(store, topics, clock, "boot", kiosk, PlatePrivacy.MASKED),
                    new LaneConfig(Duration.ZERO, Duration.ofSeconds(5), Duration.ZERO), ticker, () -> { });

            assertEquals(Optional.of(Decision.MANUAL), lane.handle(new Sighting("any code", 1, ticker.nanos(), 0)));
            assertEquals(List.of(LaneOutputs.Light.AMBER, LaneOutputs.Light.OFF), outputs.lights);
            assertFalse(outputs.barrierOpened, "nobody is waved through without a record");
            assertEquals(1, store.health(clock.now()).droppedCount());
            assertEquals(0, store.stored(MessageClass.EVENT, 0, 10).size());
        }
    }

    private static ScreeningConfig screeningDefaults() throws Exception {
        return ScreeningConfig.from(new Settings(Map.of("thermometer.type", "sim"), ScreeningConfig.KEYS, null));
    }
}
