package ckp.kiosk.scan;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
import ckp.kiosk.config.ValueType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How frames become sightings.
 *
 * @param repeatWindow a code seen again within this time of its last sighting is the same sighting
 * @param decodeBudget no further decode step starts on a frame once this much of the decoding thread's CPU time has been spent on it
 */
public record ScanConfig(Duration repeatWindow, Duration decodeBudget) {
    /** Default per-frame decode budget: at 15 fps a frame arrives every 66 ms; see docs/performance.md. */
    public static final long DEFAULT_BUDGET_MILLIS = 60;

    static final ConfigKey<Duration> REPEAT = ConfigKey.withDefault("scan.repeat.seconds", ValueType.seconds(0, 3600),
            "10", "a code seen again within this many seconds of its last sighting is the same sighting");
    static final ConfigKey<Duration> BUDGET = ConfigKey.withDefault("scan.budget.ms", ValueType.millis(0, 10000),
            Long.toString(DEFAULT_BUDGET_MILLIS), "per-frame decode time budget in milliseconds: no further decode "
                    + "step starts after it (0: the first step only)");
    public static final List<ConfigKey<?>> KEYS = List.of(REPEAT, BUDGET);

    public ScanConfig {
        Objects.requireNonNull(repeatWindow, "repeatWindow");
        Objects.requireNonNull(decodeBudget, "decodeBudget");
    }

    public static ScanConfig from(Settings s) throws ConfigException {
        return new ScanConfig(s.get(REPEAT), s.get(BUDGET));
    }
}
