package ckp.kiosk.lane;

import ckp.drivers.lane.LanePins;
import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
import ckp.kiosk.config.ValueType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Lane timing and signalling hardware.
 *
 * @param signalHold     how long a decision stays shown before the lane is ready for the next vehicle
 * @param barrierOpen    how long the barrier opens on pass (zero: no barrier fitted)
 * @param shutdownDrain  how long a stopping kiosk waits for the outbox to drain before exiting
 * @param measureTimeout from a code's sighting to a valid temperature; past it the vehicle goes to manual check
 * @param outputs        {@code console} (text lines) or {@code gpio}
 * @param pins           the GPIO lines, present exactly when {@code outputs} is {@code gpio}
 */
public record LaneConfig(Duration signalHold, Duration barrierOpen, Duration shutdownDrain, Duration measureTimeout,
                         String outputs, Optional<LanePins> pins) {
    static final ConfigKey<Duration> SIGNAL = ConfigKey.withDefault("lane.signal.ms", ValueType.millis(0, 60000),
            "1500", "how long a decision stays shown, in ms");
    static final ConfigKey<Duration> BARRIER_OPEN = ConfigKey.withDefault("lane.barrier.open.ms",
            ValueType.millis(0, 60000), "0", "how long the barrier opens on pass, in ms; 0: no barrier");
    static final ConfigKey<Duration> MEASURE_TIMEOUT = ConfigKey.withDefault("lane.measure.timeout.ms",
            ValueType.millis(500, 60000), "5000",
            "from a code's sighting to a valid temperature, in ms; past it: manual check");
    static final ConfigKey<String> OUTPUTS = ConfigKey.withDefault("lane.outputs", ValueType.words("console", "gpio"),
            "console", "console (lights and beeps as text lines) or gpio");
    static final ConfigKey<Integer> GREEN = pin("lane.gpio.green", "the green light");
    static final ConfigKey<Integer> RED = pin("lane.gpio.red", "the red light");
    static final ConfigKey<Integer> AMBER = pin("lane.gpio.amber", "the amber light");
    static final ConfigKey<Integer> BUZZER = pin("lane.gpio.buzzer", "the buzzer");
    static final ConfigKey<Integer> BARRIER = pin("lane.gpio.barrier", "the barrier relay");
    static final ConfigKey<Boolean> ACTIVE_LOW = ConfigKey.withDefault("lane.gpio.active.low", ValueType.bool(),
            "false", "outputs are on when their line is low (most relay boards)");
    static final ConfigKey<Integer> PRESENCE = ConfigKey.optional("lane.gpio.presence", ValueType.integer(0, 27),
            "BCM line of the vehicle presence sensor input, when one is fitted");
    static final ConfigKey<Boolean> PRESENCE_ACTIVE_LOW = ConfigKey.withDefault("lane.gpio.presence.active.low",
            ValueType.bool(), "false", "the presence input reads low when a vehicle is there");
    static final ConfigKey<Duration> SHUTDOWN_DRAIN = ConfigKey.withDefault("shutdown.drain.seconds",
            ValueType.seconds(0, 600), "10", "on stop, how long to wait for undelivered events to reach the broker");
    public static final List<ConfigKey<?>> KEYS = List.of(SIGNAL, BARRIER_OPEN, MEASURE_TIMEOUT, OUTPUTS, GREEN, RED,
            AMBER, BUZZER, BARRIER, ACTIVE_LOW, PRESENCE, PRESENCE_ACTIVE_LOW, SHUTDOWN_DRAIN);

    public LaneConfig {
        Objects.requireNonNull(signalHold);
        Objects.requireNonNull(barrierOpen);
        Objects.requireNonNull(shutdownDrain);
        Objects.requireNonNull(measureTimeout);
        Objects.requireNonNull(pins);
        if (!outputs.equals("console") && !outputs.equals("gpio")) {
            throw new IllegalArgumentException("lane outputs are console or gpio, got " + outputs);
        }
        if (outputs.equals("gpio") != pins.isPresent()) {
            throw new IllegalArgumentException("GPIO pins are given exactly when the outputs are gpio");
        }
    }

    /** Console outputs and the default measurement timeout. */
    public LaneConfig(Duration signalHold, Duration barrierOpen, Duration shutdownDrain) {
        this(signalHold, barrierOpen, shutdownDrain, Duration.ofSeconds(5), "console", Optional.empty());
    }

    public static LaneConfig from(Settings s) throws ConfigException {
        String outputs = s.get(OUTPUTS);
        Optional<LanePins> pins = Optional.empty();
        if (outputs.equals("gpio")) {
            OptionalInt presence = s.find(PRESENCE).map(OptionalInt::of).orElse(OptionalInt.empty());
            int green = pin(s, GREEN);
            int red = pin(s, RED);
            int amber = pin(s, AMBER);
            int buzzer = pin(s, BUZZER);
            int barrier = pin(s, BARRIER);
            try {
                pins = Optional.of(new LanePins(green, red, amber, buzzer, barrier, s.get(ACTIVE_LOW), presence,
                        s.get(PRESENCE_ACTIVE_LOW)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(GREEN.name(), e.getMessage() + " (lane.gpio.* keys)");
            }
        }
        return new LaneConfig(s.get(SIGNAL), s.get(BARRIER_OPEN), s.get(SHUTDOWN_DRAIN), s.get(MEASURE_TIMEOUT),
                outputs, pins);
    }

    /** A BCM output line, required when lane.outputs=gpio. */
    private static ConfigKey<Integer> pin(String name, String what) {
        return ConfigKey.optional(name, ValueType.integer(0, 27), "BCM line of " + what + " (required for gpio)");
    }

    private static int pin(Settings s, ConfigKey<Integer> key) throws ConfigException {
        return s.find(key).orElseThrow(() -> new ConfigException(key.name(),
                "missing; required when lane.outputs=gpio (a BCM line number 0-27)"));
    }
}
