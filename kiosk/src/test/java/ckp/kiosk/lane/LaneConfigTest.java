package ckp.kiosk.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.drivers.lane.LanePins;
import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class LaneConfigTest {

    private static LaneConfig from(String... keyValues) throws ConfigException {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return LaneConfig.from(new Settings(m, LaneConfig.KEYS, null));
    }

    private static final String[] GPIO = {"lane.outputs", "gpio", "lane.gpio.green", "17", "lane.gpio.red", "27",
            "lane.gpio.amber", "22", "lane.gpio.buzzer", "23", "lane.gpio.barrier", "24"};

    @Test
    void theDefaultIsConsoleOutputsWithAFiveSecondMeasurementTimeout() throws ConfigException {
        LaneConfig c = from();
        assertEquals("console", c.outputs());
        assertEquals(Optional.empty(), c.pins());
        assertEquals(Duration.ofSeconds(5), c.measureTimeout());
    }

    @Test
    void gpioOutputsReadEveryPinAndTheOptionalPresenceInput() throws ConfigException {
        String[] withPresence = java.util.Arrays.copyOf(GPIO, GPIO.length + 6);
        withPresence[GPIO.length] = "lane.gpio.presence";
        withPresence[GPIO.length + 1] = "25";
        withPresence[GPIO.length + 2] = "lane.gpio.presence.active.low";
        withPresence[GPIO.length + 3] = "true";
        withPresence[GPIO.length + 4] = "lane.gpio.active.low";
        withPresence[GPIO.length + 5] = "true";
        assertEquals(Optional.of(new LanePins(17, 27, 22, 23, 24, true, OptionalInt.of(25), true)),
                from(withPresence).pins());
        assertEquals(OptionalInt.empty(), from(GPIO).pins().orElseThrow().presence());
    }

    @Test
    void aMissingOrSharedPinIsRefusedNamingTheKey() {
        ConfigException missing = assertThrows(ConfigException.class, () -> from("lane.outputs", "gpio"));
        assertEquals("lane.gpio.green", missing.key());
        String[] shared = GPIO.clone();
        shared[GPIO.length - 1] = "17";
        ConfigException twice = assertThrows(ConfigException.class, () -> from(shared));
        assertTrue(twice.getMessage().contains("17"), twice.getMessage());
        assertEquals("lane.gpio.barrier", assertThrows(ConfigException.class,
                () -> from(java.util.stream.Stream.concat(java.util.Arrays.stream(GPIO).limit(GPIO.length - 1),
                        java.util.stream.Stream.of("28")).toArray(String[]::new))).key());
    }

    @Test
    void everyLaneAndScreeningKeyIsDocumentedInConfigurationMd() throws IOException {
        String doc = Files.readString(Path.of(System.getProperty("ckp.root", "..")).resolve("docs/configuration.md"));
        for (ConfigKey k : LaneConfig.KEYS) {
            assertTrue(doc.contains("| `" + k.name() + "` |"), k.name() + " is not in docs/configuration.md");
        }
        for (ConfigKey k : ckp.kiosk.screening.ScreeningConfig.KEYS) {
            assertTrue(doc.contains("| `" + k.name() + "` |"), k.name() + " is not in docs/configuration.md");
        }
    }
}
