package ckp.kiosk.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreConfigTest {

    @Test
    void theSizeLimitsDefaultToOneGibibyteAndAHundredMebibytesFree() throws ConfigException {
        StoreConfig c = StoreConfig.from(new Settings(Map.of(), StoreConfig.KEYS, Path.of(".")));
        assertEquals(1024L << 20, c.maxBytes());
        assertEquals(100L << 20, c.minFreeBytes());
        assertEquals(Duration.ofHours(24), c.retention());
    }

    @Test
    void limitsAreReadInMebibytes() throws ConfigException {
        StoreConfig c = StoreConfig.from(new Settings(Map.of("store.max.mb", "64", "store.min.free.mb", "0"),
                StoreConfig.KEYS, Path.of(".")));
        assertEquals(64L << 20, c.maxBytes());
        assertEquals(0, c.minFreeBytes());
    }

    @Test
    void aZeroCapIsRefusedNamingTheKey() throws ConfigException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> StoreConfig.from(new Settings(Map.of("store.max.mb", "0"), StoreConfig.KEYS, Path.of("."))));
        assertEquals("store.max.mb", e.key());
    }

    @Test
    void everyStoreKeyIsDocumentedInTheStoreSection() throws IOException {
        String doc = Files.readString(Path.of(System.getProperty("ckp.root", ".."), "docs", "configuration.md"));
        String section = doc.substring(doc.indexOf("## Store"), doc.indexOf("\n## ", doc.indexOf("## Store") + 1));
        for (ConfigKey key : StoreConfig.KEYS) {
            assertTrue(section.contains("| `" + key.name() + "` | `" + key.defaultValue().orElseThrow() + "` |"),
                    key.name() + " with its default is missing from the Store section of docs/configuration.md");
        }
    }
}
