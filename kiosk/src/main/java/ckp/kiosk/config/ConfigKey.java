package ckp.kiosk.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One documented configuration key: its name, its default (empty when the key is required or optional without a
 * default) and one sentence for technicians. Every key the kiosk reads is declared once, so that unknown keys can be
 * refused and {@code docs/configuration.md} can be checked against the code.
 */
public record ConfigKey(String name, Optional<String> defaultValue, String description) {
    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
        if (!name.matches("[a-z][a-z0-9]*(\\.[a-z][a-z0-9]*)+")) {
            throw new IllegalArgumentException("config key names are dotted lower-case words, got '" + name + "'");
        }
    }

    public static ConfigKey required(String name, String description) {
        return new ConfigKey(name, Optional.empty(), description);
    }

    public static ConfigKey optional(String name, String description) {
        return new ConfigKey(name, Optional.empty(), description);
    }

    public static ConfigKey withDefault(String name, String defaultValue, String description) {
        return new ConfigKey(name, Optional.of(defaultValue), description);
    }
}
