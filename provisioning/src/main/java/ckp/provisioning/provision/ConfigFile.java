package ckp.provisioning.provision;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kiosk's properties file edited in place: provisioning sets its keys and keeps every other line and comment the
 * technician wrote, so running it again never loses hand edits.
 */
final class ConfigFile {
    private ConfigFile() {
    }

    /** The key=value lines of a properties file (empty when absent). */
    static Map<String, String> read(Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String t = line.strip();
                int eq = t.indexOf('=');
                if (!t.startsWith("#") && eq > 0) {
                    out.put(t.substring(0, eq).strip(), t.substring(eq + 1).strip());
                }
            }
        } catch (IOException absent) {
            return out;
        }
        return out;
    }

    /**
     * Sets {@code values} in {@code file}, starting from {@code example} when the file does not exist yet; replaces a
     * key's line (also a commented-out {@code #key=} line), appends the rest. Written to a temp file, then renamed.
     */
    static void update(Path file, Path example, Map<String, String> values) throws IOException {
        List<String> lines = new ArrayList<>();
        if (Files.exists(file)) {
            lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
        } else if (Files.exists(example)) {
            lines.addAll(Files.readAllLines(example, StandardCharsets.UTF_8));
        }
        Map<String, String> left = new LinkedHashMap<>(values);
        // Live lines first, so a commented example of a key never shadows its real line.
        for (boolean commented : new boolean[] {false, true}) {
            for (int i = 0; i < lines.size(); i++) {
                String t = lines.get(i).strip();
                if (t.startsWith("#") != commented) {
                    continue;
                }
                String body = commented ? t.substring(1).strip() : t;
                int eq = body.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String key = body.substring(0, eq).strip();
                if (left.containsKey(key)) {
                    lines.set(i, key + "=" + left.remove(key));
                }
            }
        }
        if (!left.isEmpty()) {
            lines.add("# set by kioskctl provision");
            left.forEach((k, v) -> lines.add(k + "=" + v));
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
