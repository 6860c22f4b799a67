package ckp.kiosk.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The raw properties of one config file, checked against the declared keys: unknown keys and values their key's type
 * refuses stop the start, naming the key, the value and what is allowed. Values are read with {@link #get} and
 * {@link #find}; relative paths are resolved against the config file's folder, so a config and the files it names
 * can be moved together.
 */
public final class Settings {
    private final Map<String, String> values;
    private final Map<String, ConfigKey<?>> keys;
    private final Path baseDir;

    public Settings(Map<String, String> values, List<? extends ConfigKey<?>> declared, Path baseDir) throws ConfigException {
        this.keys = new LinkedHashMap<>();
        for (ConfigKey<?> k : declared) {
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
        // Every value set is checked against its key's type now, also keys the chosen kinds do not read (a typo in
        // the files camera's settings is reported while the kiosk runs rpicam, not on the day someone switches).
        for (ConfigKey<?> k : keys.values()) {
            String v = values.get(k.name());
            if (v != null && !v.isEmpty()) {
                k.parse(v, Optional.ofNullable(baseDir));
            }
        }
    }

    /** Reads a properties file (strict UTF-8, each key once: {@link ConfigFile}) and checks its keys. */
    public static Settings load(Path file, List<? extends ConfigKey<?>> declared) throws ConfigException {
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

    private ConfigKey<?> declared(String key) {
        ConfigKey<?> k = keys.get(key);
        if (k == null) {
            throw new IllegalStateException("the code reads undeclared config key " + key);
        }
        return k;
    }

    /**
     * The value of a required or defaulted key: as written, or the default; a missing required key or a value its
     * type refuses is a ConfigException naming the key, the value and what is allowed.
     */
    public <T> T get(ConfigKey<T> key) throws ConfigException {
        if (key.need() == ConfigKey.Need.OPTIONAL) {
            throw new IllegalStateException(key.name() + " is optional: read it with find()");
        }
        return key.parse(text(checked(key).name()), Optional.ofNullable(baseDir));
    }

    /** The value of an optional key, empty when the file leaves it out. */
    public <T> Optional<T> find(ConfigKey<T> key) throws ConfigException {
        Optional<String> v = optional(checked(key).name());
        return v.isEmpty() ? Optional.empty() : Optional.of(key.parse(v.get(), Optional.ofNullable(baseDir)));
    }

    private <T> ConfigKey<T> checked(ConfigKey<T> key) {
        if (keys.get(key.name()) != key) {
            throw new IllegalStateException("the code reads config key " + key.name() + " but it was not declared "
                    + "to these settings (add it to its stage's KEYS)");
        }
        return key;
    }

    /** The value as written, or the key's default; empty when neither. */
    public Optional<String> optional(String key) {
        ConfigKey<?> k = declared(key);
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

    public static ConfigException bad(String key, String value, String allowed) {
        return new ConfigException(key, "bad value '" + value + "'; allowed: " + allowed);
    }
}
