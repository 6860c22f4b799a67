package ckp.kiosk.store;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where and how long events are kept.
 *
 * @param path      the SQLite file
 * @param retention how long delivered rows are kept after the broker acknowledged them
 */
public record StoreConfig(Path path, Duration retention) {
    public static final List<ConfigKey> KEYS = List.of(
            ConfigKey.withDefault("store.path", "/var/lib/checkpoint-kiosk/events.db", "the SQLite file that holds every event until delivered"),
            ConfigKey.withDefault("store.retention.hours", "24", "hours delivered events are kept after the broker acknowledged them (0-8760)"));

    public StoreConfig {
        Objects.requireNonNull(path);
        Objects.requireNonNull(retention);
    }

    public static StoreConfig from(Settings s) throws ConfigException {
        return new StoreConfig(s.path("store.path"), Duration.ofHours(s.integer("store.retention.hours", 0, 8760)));
    }
}
