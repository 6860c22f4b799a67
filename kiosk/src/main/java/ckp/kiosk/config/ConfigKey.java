package ckp.kiosk.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One documented configuration key: its name, its type (which holds the allowed range), whether it is required,
 * optional or has a default, and one sentence for technicians. Each key is declared once, as a constant beside the
 * settings it feeds, and that declaration is the whole truth about it: {@link Settings} reads and checks values
 * with it, unknown keys are refused against the declared list, and {@link #docsRow()} writes its row of the table in
 * {@code docs/configuration.md} (ConfigDocumentationTest holds the document to these rows).
 *
 * <p>Adding a key is a one-place change: declare it, e.g.
 * {@code static final ConfigKey<Integer> WIDTH = ConfigKey.withDefault("camera.width", ValueType.integer(16, 4096),
 * "640", "frame width in pixels");}, add it to its stage's {@code KEYS} list, read it with
 * {@code settings.get(WIDTH)}, and paste its {@link #docsRow()} into docs/configuration.md (the test prints the row
 * when it is missing). Do not write the range in the description: the type writes it.
 *
 * @param need         required, optional (absent is a valid setting) or defaulted
 * @param defaultValue the default as written in a config file; present exactly when {@code need} is DEFAULTED
 */
public record ConfigKey<T>(String name, ValueType<T> type, Need need, Optional<String> defaultValue,
                           String description) {

    /** Whether a config file must set the key. */
    public enum Need {
        /** The kiosk cannot start without it. */
        REQUIRED,
        /** Absent means "not used" (e.g. no TLS client certificate). */
        OPTIONAL,
        /** Absent means the default. */
        DEFAULTED
    }

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(need, "need");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
        if (!name.matches("[a-z][a-z0-9]*(\\.[a-z][a-z0-9]*)+")) {
            throw new IllegalArgumentException("config key names are dotted lower-case words, got '" + name + "'");
        }
        if (defaultValue.isPresent() != (need == Need.DEFAULTED)) {
            throw new IllegalArgumentException(name + ": a default goes with Need.DEFAULTED and only with it");
        }
        if (description.isBlank() || description.contains("|")) {
            throw new IllegalArgumentException(name + ": the description is one sentence without '|' (a table cell)");
        }
        if (defaultValue.isPresent()) {
            try {
                type.parse(defaultValue.get(), Optional.empty());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": the default '" + defaultValue.get()
                        + "' is not allowed by its own type: " + type.allowed(), e);
            }
        }
    }

    /** A key the kiosk cannot start without. */
    public static <T> ConfigKey<T> required(String name, ValueType<T> type, String description) {
        return new ConfigKey<>(name, type, Need.REQUIRED, Optional.empty(), description);
    }

    /** A key that may be left out; read with {@link Settings#find}. */
    public static <T> ConfigKey<T> optional(String name, ValueType<T> type, String description) {
        return new ConfigKey<>(name, type, Need.OPTIONAL, Optional.empty(), description);
    }

    /** A key with a default, written as in a config file (and checked against the type here). */
    public static <T> ConfigKey<T> withDefault(String name, ValueType<T> type, String defaultValue,
                                               String description) {
        return new ConfigKey<>(name, type, Need.DEFAULTED, Optional.of(defaultValue), description);
    }

    /** The value of {@code text} for this key, or a ConfigException naming the key, the value and what is allowed. */
    T parse(String text, Optional<Path> baseDir) throws ConfigException {
        try {
            return type.parse(text, baseDir);
        } catch (IllegalArgumentException e) {
            throw Settings.bad(name, text, e.getMessage() == null ? type.allowed() : e.getMessage());
        }
    }

    /** The key's row of the table in docs/configuration.md: name, default, description and range. */
    public String docsRow() {
        String fallback = switch (need) {
            case REQUIRED -> "required";
            case OPTIONAL -> "none";
            case DEFAULTED -> "`" + defaultValue.get() + "`";
        };
        String meaning = description + type.range().map(r -> "; " + r).orElse("");
        return "| `" + name + "` | " + fallback + " | " + meaning + " |";
    }
}
