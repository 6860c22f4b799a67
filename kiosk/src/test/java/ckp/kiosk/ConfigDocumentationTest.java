package ckp.kiosk;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.config.ConfigKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        for (ConfigKey<?> k : KioskConfig.keys()) {
            read.add(k.name());
        }
        Set<String> undocumented = new TreeSet<>(read);
        undocumented.removeAll(documented);
        Set<String> stale = new TreeSet<>(documented);
        stale.removeAll(read);
        assertTrue(undocumented.isEmpty(), "keys missing from docs/configuration.md: " + undocumented + "; their rows:\n"
                + String.join("\n", KioskConfig.keys().stream().filter(k -> undocumented.contains(k.name()))
                        .map(ConfigKey::docsRow).toList()));
        assertTrue(stale.isEmpty(), "docs/configuration.md documents keys the kiosk does not read: " + stale);
    }

    @Test
    void eachKeysRowShowsTheDefaultAndTheRangeItsDeclarationHolds() throws Exception {
        String doc = Files.readString(ROOT.resolve("docs/configuration.md"));
        List<String> wrong = new ArrayList<>();
        for (ConfigKey<?> k : KioskConfig.keys()) {
            Matcher row = Pattern.compile("^\\| `" + Pattern.quote(k.name()) + "` \\| ([^|]*) \\| (.*) \\|$",
                    Pattern.MULTILINE).matcher(doc);
            if (!row.find()) {
                continue; // reported by the test above
            }
            String cell = row.group(1);
            boolean defaultRight = switch (k.need()) {
                case REQUIRED -> cell.equals("required");
                case DEFAULTED -> cell.equals("`" + k.defaultValue().orElseThrow() + "`");
                // "none", "unset (automatic)", "required for `files`", "`denylist.json` beside `store.path`":
                // anything but one plain value (which would be a default) or plain "required"
                case OPTIONAL -> !cell.matches("`[^`]*`") && !cell.equals("required");
            };
            // A range shows as written ("1-3600"); a choice of words shows each word.
            boolean rangeShown = k.type().range().map(r -> List.of(r.split(" \\\\\\| ")).stream()
                    .allMatch(part -> row.group(2).contains(part))).orElse(true);
            if (!defaultRight || !rangeShown) {
                wrong.add(k.name() + ": the declaration's row is\n" + k.docsRow() + "\n  the document has\n"
                        + row.group());
            }
        }
        assertTrue(wrong.isEmpty(), "docs/configuration.md disagrees with the key declarations (default or range); "
                + "paste the declaration's row or fix the declaration:\n" + String.join("\n", wrong));
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
