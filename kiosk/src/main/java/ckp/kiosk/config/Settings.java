package ckp.kiosk.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The raw properties of one config file, checked against the declared keys, with typed readers that refuse bad values
 * by naming the key, the value and what is allowed. Relative paths are resolved against the config file's folder, so
 * a config and the files it names can be moved together.
 */
public final class Settings {
    private static final Pattern ASCII_INTEGER = Pattern.compile("[+-]?[0-9]{1,10}");
    private static final Pattern ASCII_DECIMAL = Pattern.compile("[+-]?[0-9]{1,12}(\\.[0-9]{1,12})?");
    private final Map<String, String> values;
    private final Map<String, ConfigKey> keys;
    private final Path baseDir;

    public Settings(Map<String, String> values, List<ConfigKey> declared, Path baseDir) throws ConfigException {
        this.keys = new LinkedHashMap<>();
        for (ConfigKey k : declared) {
            if (keys.put(k.name(), k) != null) {
                throw new IllegalStateException("config key declared twice: " + k.name());
            }
        }
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(keys.keySet());
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            throw new ConfigException(first, "unknown key (misspelt?); the keys are listed in docs/configuration.md"
                    + nearest(first));
        }
        this.values = Map.copyOf(values);
        this.baseDir = baseDir;
    }

    /** Reads a properties file (strict UTF-8, each key once: {@link ConfigFile}) and checks its keys. */
    public static Settings load(Path file, List<ConfigKey> declared) throws ConfigException {
        Map<String, String> m = ConfigFile.read(file);
        Path dir = file.toAbsolutePath().getParent();
        return new Settings(m, declared, dir);
    }

    private String nearest(String unknown) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : keys.keySet()) {
            int d = distance(unknown, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= 3 ? "; did you mean '" + best + "'?" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private ConfigKey declared(String key) {
        ConfigKey k = keys.get(key);
        if (k == null) {
            throw new IllegalStateException("the code reads undeclared config key " + key);
        }
        return k;
    }

    /** The value as written, or the key's default; empty when neither. */
    public Optional<String> optional(String key) {
        ConfigKey k = declared(key);
        String v = values.get(key);
        if (v != null && !v.isEmpty()) {
            return Optional.of(v);
        }
        return k.defaultValue();
    }

    /** The value or the default; a missing required key is a ConfigException. */
    public String text(String key) throws ConfigException {
        return optional(key).orElseThrow(() -> new ConfigException(key, "missing; it is required ("
                + declared(key).description() + ")"));
    }

    /** A value matching a pattern, described in words for the message. */
    public String matching(String key, Pattern pattern, String allowed) throws ConfigException {
        String v = text(key);
        if (!pattern.matcher(v).matches()) {
            throw bad(key, v, allowed);
        }
        return v;
    }

    public int integer(String key, int min, int max) throws ConfigException {
        String v = text(key);
        if (!ASCII_INTEGER.matcher(v).matches()) {
            // Integer.parseInt takes any Unicode digit (full-width １０, Arabic-Indic ٣٠): the kiosk reads ASCII only.
            throw bad(key, v, "an integer from " + min + " to " + max + " in ASCII digits");
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw bad(key, v, "an integer from " + min + " to " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw bad(key, v, "an integer from " + min + " to " + max);
        }
    }

    public double decimal(String key, double min, double max) throws ConfigException {
        String v = text(key);
        if (!ASCII_DECIMAL.matcher(v).matches()) {
            // Double.parseDouble also takes 1e3, 10d and hex floats: the kiosk reads plain decimals only.
            throw bad(key, v, "a number from " + min + " to " + max + " in ASCII digits, e.g. 12.5");
        }
        try {
            double d = Double.parseDouble(v);
            if (!(d >= min && d <= max)) {
                throw bad(key, v, "a number from " + min + " to " + max);
            }
            return d;
        } catch (NumberFormatException e) {
            throw bad(key, v, "a number from " + min + " to " + max);
        }
    }

    public boolean bool(String key) throws ConfigException {
        String v = text(key);
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw bad(key, v, "true or false");
        };
    }

    /** One of a fixed set of words. */
    public String choice(String key, String... allowed) throws ConfigException {
        String v = text(key);
        if (!Arrays.asList(allowed).contains(v)) {
            throw bad(key, v, "one of " + String.join(", ", allowed));
        }
        return v;
    }

    /** A comma-separated list with empty items removed. */
    public List<String> list(String key) throws ConfigException {
        List<String> out = new ArrayList<>();
        for (String s : text(key).split(",")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        if (out.isEmpty()) {
            throw bad(key, text(key), "a comma-separated list with at least one item");
        }
        return out;
    }

    public Duration seconds(String key, int min, int max) throws ConfigException {
        return Duration.ofSeconds(integer(key, min, max));
    }

    public Duration millis(String key, int min, int max) throws ConfigException {
        return Duration.ofMillis(integer(key, min, max));
    }

    /** A path, resolved against the config file's folder when relative. */
    public Path path(String key) throws ConfigException {
        return resolve(text(key));
    }

    public Optional<Path> optionalPath(String key) {
        return optional(key).map(this::resolve);
    }

    /** A path that must name an existing readable file. */
    public Path readableFile(String key) throws ConfigException {
        Path p = path(key);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw bad(key, p.toString(), "a readable file");
        }
        return p;
    }

    /** A path that must name an existing folder. */
    public Path folder(String key) throws ConfigException {
        Path p = path(key);
        if (!Files.isDirectory(p)) {
            throw bad(key, p.toString(), "an existing folder");
        }
        return p;
    }

    private Path resolve(String v) {
        Path p = Path.of(v);
        return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p).normalize();
    }

    public static ConfigException bad(String key, String value, String allowed) {
        return new ConfigException(key, "bad value '" + value + "'; allowed: " + allowed);
    }
}
