package ckp.kiosk.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
import ckp.kiosk.lane.DecisionConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassConfigTest {
    @TempDir
    Path dir;

    private PassConfig config(Map<String, String> values) throws ConfigException {
        return PassConfig.from(new Settings(values, PassConfig.KEYS, dir));
    }

    @Test
    void recordModeAndHashedPlatesNeedASaltOfAtLeast16Bytes() throws Exception {
        Files.createDirectory(dir.resolve("trust"));
        ConfigException noSalt = assertThrows(ConfigException.class, () -> config(Map.of("pass.mode", "record")));
        assertTrue(noSalt.getMessage().contains("pass.hash.salt.file"), noSalt.getMessage());
        ConfigException hashed = assertThrows(ConfigException.class,
                () -> config(Map.of("pass.trust.dir", "trust", "privacy.plate", "hashed")));
        assertTrue(hashed.getMessage().contains("privacy.plate"), hashed.getMessage());
        Files.writeString(dir.resolve("salt"), "too-short\n");
        ConfigException shortSalt = assertThrows(ConfigException.class,
                () -> config(Map.of("pass.mode", "record", "pass.hash.salt.file", "salt")));
        assertTrue(shortSalt.getMessage().contains("openssl rand"), shortSalt.getMessage());

        Files.writeString(dir.resolve("salt"), "0123456789abcdef0123456789abcdef\n");
        PassConfig record = config(Map.of("pass.mode", "record", "pass.hash.salt.file", "salt", "privacy.plate", "hashed"));
        assertTrue(record.recordMode());
        assertEquals(PlatePrivacy.Mode.HASHED, record.platePrivacy().mode());
        PassConfig verify = config(Map.of("pass.trust.dir", "trust", "pass.denylist.cache.file", "cache/deny.json"));
        assertEquals(PlatePrivacy.MASKED, verify.platePrivacy());
        assertEquals(dir.resolve("cache/deny.json"), verify.denylistCacheFile().orElseThrow());
    }

    @Test
    void everyPassAndDecisionKeyIsDocumentedInConfigurationMd() throws Exception {
        String root = System.getProperty("ckp.root", "..");
        String md = Files.readString(Path.of(root, "docs", "configuration.md"), StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        List<ConfigKey<?>> keys = new ArrayList<>(PassConfig.KEYS);
        keys.addAll(DecisionConfig.KEYS);
        for (ConfigKey k : keys) {
            String row = "| `" + k.name() + "` | " + k.defaultValue().map(d -> "`" + d + "`").orElse("");
            if (!md.contains("| `" + k.name() + "` |") || (k.defaultValue().isPresent() && !md.contains(row))) {
                missing.add(k.name());
            }
        }
        assertEquals(List.of(), missing, "keys not documented (or with another default) in docs/configuration.md");
        Map<String, String> none = new HashMap<>();
        assertEquals(DecisionConfig.DEFAULTS, DecisionConfig.from(new Settings(none, DecisionConfig.KEYS, dir)));
    }
}
