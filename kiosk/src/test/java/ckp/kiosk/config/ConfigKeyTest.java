package ckp.kiosk.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A key's declaration is its type, range, default and docs row at once. */
class ConfigKeyTest {
    private static final ConfigKey<Integer> WIDTH = ConfigKey.withDefault("camera.width", ValueType.integer(16, 4096),
            "640", "frame width in pixels");
    private static final ConfigKey<Duration> DRAIN = ConfigKey.withDefault("shutdown.drain.seconds",
            ValueType.seconds(0, 600), "10", "how long to wait on stop");
    private static final ConfigKey<String> USER = ConfigKey.optional("mqtt.username", ValueType.text(), "user name");

    @Test
    void theDocsRowCarriesTheDefaultAndTheRangeFromTheDeclaration() {
        assertEquals("| `camera.width` | `640` | frame width in pixels; 16-4096 |", WIDTH.docsRow());
        assertEquals("| `mqtt.username` | none | user name |", USER.docsRow());
        assertEquals("| `screening.offset.celsius` | `0` | correction; -5 to 5 |", ConfigKey.withDefault(
                "screening.offset.celsius", ValueType.centiCelsius(-5, 5, 1), "0", "correction").docsRow());
    }

    @Test
    void aDefaultItsOwnTypeRefusesIsRefusedAtTheDeclaration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigKey.withDefault("camera.width", ValueType.integer(16, 4096), "8000", "width"));
        assertTrue(e.getMessage().contains("8000"), e.getMessage());
    }

    @Test
    void valuesAreReadTypedAndDefaultsApply() throws ConfigException {
        Settings s = new Settings(Map.of("camera.width", "1280"), List.of(WIDTH, DRAIN, USER), null);
        assertEquals(1280, s.get(WIDTH));
        assertEquals(Duration.ofSeconds(10), s.get(DRAIN));
        assertEquals(Optional.empty(), s.find(USER));
    }

    @Test
    void aValueOutOfRangeIsRefusedWhenTheFileIsLoadedNamingTheKeyAndTheRange() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new Settings(Map.of("shutdown.drain.seconds", "601"), List.of(WIDTH, DRAIN, USER), null));
        assertEquals("shutdown.drain.seconds", e.key());
        assertTrue(e.getMessage().contains("from 0 to 600"), e.getMessage());
    }

    @Test
    void readingAKeyThatWasNotDeclaredToTheSettingsIsAProgrammingError() throws ConfigException {
        Settings s = new Settings(Map.of(), List.of(WIDTH), null);
        assertThrows(IllegalStateException.class, () -> s.get(DRAIN));
    }
}
