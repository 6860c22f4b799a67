package ckp.kiosk.store;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
import ckp.kiosk.config.ValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where and how long events are kept, and how much room they may take.
 *
 * @param path          the SQLite file
 * @param retention     how long delivered rows are kept after the broker acknowledged them
 * @param maxBytes      the live size the store aims to stay under by evicting telemetry and delivered rows; undelivered
 *                      checkpoint events, alarms and lifecycle messages are never evicted to meet it
 * @param minFreeBytes  free disk below which checkpoint events are refused (and counted) instead of filling the disk
 */
public record StoreConfig(Path path, Duration retention, long maxBytes, long minFreeBytes) {
    private static final long MB = 1024L * 1024L;
    public static final long DEFAULT_MAX_BYTES = 1024 * MB;
    public static final long DEFAULT_MIN_FREE_BYTES = 100 * MB;

    static final ConfigKey<Path> PATH = ConfigKey.withDefault("store.path", ValueType.path(),
            "/var/lib/checkpoint-kiosk/events.db", "the SQLite file that holds every event until delivered");
    static final ConfigKey<Integer> RETENTION_HOURS = ConfigKey.withDefault("store.retention.hours",
            ValueType.integer(0, 8760), "24", "hours delivered events are kept after the broker acknowledged them");
    static final ConfigKey<Integer> MAX_MB = ConfigKey.withDefault("store.max.mb", ValueType.integer(1, 1_048_576),
            "1024", "size in MiB the store keeps under by evicting telemetry, then delivered rows; undelivered "
                    + "events are never evicted");
    static final ConfigKey<Integer> MIN_FREE_MB = ConfigKey.withDefault("store.min.free.mb",
            ValueType.integer(0, 1_048_576), "100", "free disk in MiB below which checkpoint events are refused and "
                    + "counted, and the lane shows manual check");
    public static final List<ConfigKey<?>> KEYS = List.of(PATH, RETENTION_HOURS, MAX_MB, MIN_FREE_MB);

    public StoreConfig {
        Objects.requireNonNull(path);
        Objects.requireNonNull(retention);
        if (retention.isNegative()) {
            throw new IllegalArgumentException("store retention must not be negative, got " + retention);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("store max bytes must be positive, got " + maxBytes);
        }
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("store min free bytes must not be negative, got " + minFreeBytes);
        }
    }

    /** The store at {@code path} with the default size limits. */
    public StoreConfig(Path path, Duration retention) {
        this(path, retention, DEFAULT_MAX_BYTES, DEFAULT_MIN_FREE_BYTES);
    }

    public static StoreConfig from(Settings s) throws ConfigException {
        return new StoreConfig(writableFile(s.get(PATH)), Duration.ofHours(s.get(RETENTION_HOURS)),
                s.get(MAX_MB) * MB, s.get(MIN_FREE_MB) * MB);
    }

    /**
     * Checks at start what would otherwise fail at the first open with a less helpful message: the store path must
     * not be a folder, and the file (when there) and the nearest existing folder above it must be writable (SQLite
     * writes its -wal and -shm next to the file).
     */
    private static Path writableFile(Path path) throws ConfigException {
        if (Files.isDirectory(path)) {
            throw Settings.bad("store.path", path.toString(), "the path of a file, not a folder (e.g. "
                    + path.resolve("events.db") + ")");
        }
        if (Files.exists(path) && !Files.isWritable(path)) {
            throw Settings.bad("store.path", path.toString(), "a file the kiosk can write (this one is read-only)");
        }
        Path folder = path.toAbsolutePath().getParent();
        while (folder != null && !Files.exists(folder)) {
            folder = folder.getParent();
        }
        if (folder == null || !Files.isDirectory(folder) || !Files.isWritable(folder)) {
            throw Settings.bad("store.path", path.toString(), "a file in a folder the kiosk can write ("
                    + (folder == null ? "no folder above it exists" : folder + " is not a writable folder") + ")");
        }
        return path;
    }
}
