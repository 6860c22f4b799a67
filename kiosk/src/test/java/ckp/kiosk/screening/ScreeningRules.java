package ckp.kiosk.screening;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.Settings;
import java.util.HashMap;
import java.util.Map;

/** Screening configs for tests, built through the same key parsing a config file goes through. */
public final class ScreeningRules {
    private ScreeningRules() {
    }

    /** The defaults plus the given key/value pairs. */
    public static ScreeningConfig with(String... keyValues) {
        Map<String, String> m = new HashMap<>();
        m.put("thermometer.type", "sim");
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        try {
            return ScreeningConfig.from(new Settings(m, ScreeningConfig.KEYS, null));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
