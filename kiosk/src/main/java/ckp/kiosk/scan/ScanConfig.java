package ckp.kiosk.scan;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
import java.time.Duration;
import java.util.List;

/**
 * How frames become sightings.
 *
 * @param repeatWindow a code seen again within this time of its last sighting is the same sighting
 */
public record ScanConfig(Duration repeatWindow) {
    public static final List<ConfigKey> KEYS = List.of(
            ConfigKey.withDefault("scan.repeat.seconds", "10", "a code seen again within this many seconds of its last sighting is the same sighting (0-3600)"));

    public static ScanConfig from(Settings s) throws ConfigException {
        return new ScanConfig(s.seconds("scan.repeat.seconds", 0, 3600));
    }
}
