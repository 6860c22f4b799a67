package ckp.kiosk;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.config.ConfigKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docs/configuration.md is the technicians' contract: it lists exactly the keys the kiosk reads. */
class ConfigDocumentationTest {
    private static final Path ROOT = Path.of(System.getProperty("ckp.root", ".."));

    @Test
    void everyKeyTheKioskReadsIsDocumentedAndEveryDocumentedKeyIsRead() throws Exception {
        String doc = Files.readString(ROOT.resolve("docs/configuration.md"));
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("^\\| `([a-z0-9.]+)` \\|", Pattern.MULTILINE).matcher(doc);
        while (m.find()) {
            documented.add(m.group(1));
        }
        Set<String> read = new TreeSet<>();
        for (ConfigKey k : KioskConfig.keys()) {
            read.add(k.name());
        }
        Set<String> undocumented = new TreeSet<>(read);
        undocumented.removeAll(documented);
        Set<String> stale = new TreeSet<>(documented);
        stale.removeAll(read);
        assertTrue(undocumented.isEmpty(), "keys missing from docs/configuration.md: " + undocumented);
        assertTrue(stale.isEmpty(), "docs/configuration.md documents keys the kiosk does not read: " + stale);
    }

    @Test
    void theExampleConfigUsesOnlyRealKeys() throws Exception {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(ROOT.resolve("docs/kiosk.example.properties"))) {
            p.load(r);
        }
        List<String> known = KioskConfig.keys().stream().map(ConfigKey::name).toList();
        for (String k : p.stringPropertyNames()) {
            assertTrue(known.contains(k), "docs/kiosk.example.properties uses unknown key " + k);
        }
    }

    @Test
    void thePackagedExampleConfigNamesOnlyRealKeysEvenInItsComments() throws Exception {
        List<String> known = KioskConfig.keys().stream().map(ConfigKey::name).toList();
        Pattern keyLine = Pattern.compile("^#?([a-z][a-z0-9]*(\\.[a-z0-9]+)+)=.*$");
        for (String line : Files.readAllLines(ROOT.resolve("provisioning/src/deb/kiosk.example.properties"))) {
            Matcher m = keyLine.matcher(line);
            if (m.matches()) {
                assertTrue(known.contains(m.group(1)), "the packaged example config names unknown key " + m.group(1));
            }
        }
    }
}
