package ckp.kiosk.lane;

import ckp.drivers.lane.LanePins;
import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
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
    public static final List<ConfigKey> KEYS = List.of(
            ConfigKey.withDefault("lane.signal.ms", "1500", "how long a decision stays shown, in ms (0-60000)"),
            ConfigKey.withDefault("lane.barrier.open.ms", "0", "how long the barrier opens on pass, in ms; 0: no barrier (0-60000)"),
            ConfigKey.withDefault("lane.measure.timeout.ms", "5000", "from a code's sighting to a valid temperature, in ms; past it: manual check (500-60000)"),
            ConfigKey.withDefault("lane.outputs", "console", "console (lights and beeps as text lines) or gpio"),
            ConfigKey.optional("lane.gpio.green", "BCM line of the green light (required for gpio)"),
            ConfigKey.optional("lane.gpio.red", "BCM line of the red light (required for gpio)"),
            ConfigKey.optional("lane.gpio.amber", "BCM line of the amber light (required for gpio)"),
            ConfigKey.optional("lane.gpio.buzzer", "BCM line of the buzzer (required for gpio)"),
            ConfigKey.optional("lane.gpio.barrier", "BCM line of the barrier relay (required for gpio)"),
            ConfigKey.withDefault("lane.gpio.active.low", "false", "outputs are on when their line is low (most relay boards): true or false"),
            ConfigKey.optional("lane.gpio.presence", "BCM line of the vehicle presence sensor input, when one is fitted"),
            ConfigKey.withDefault("lane.gpio.presence.active.low", "false", "the presence input reads low when a vehicle is there: true or false"),
            ConfigKey.withDefault("shutdown.drain.seconds", "10", "on stop, how long to wait for undelivered events to reach the broker (0-600)"));

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
        String outputs = s.choice("lane.outputs", "console", "gpio");
        Optional<LanePins> pins = Optional.empty();
        if (outputs.equals("gpio")) {
            OptionalInt presence = s.optional("lane.gpio.presence").isPresent()
                    ? OptionalInt.of(s.integer("lane.gpio.presence", 0, 27)) : OptionalInt.empty();
            int green = pin(s, "lane.gpio.green");
            int red = pin(s, "lane.gpio.red");
            int amber = pin(s, "lane.gpio.amber");
            int buzzer = pin(s, "lane.gpio.buzzer");
            int barrier = pin(s, "lane.gpio.barrier");
            try {
                pins = Optional.of(new LanePins(green, red, amber, buzzer, barrier, s.bool("lane.gpio.active.low"),
                        presence, s.bool("lane.gpio.presence.active.low")));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("lane.gpio.green", e.getMessage() + " (lane.gpio.* keys)");
            }
        }
        return new LaneConfig(s.millis("lane.signal.ms", 0, 60000), s.millis("lane.barrier.open.ms", 0, 60000),
                s.seconds("shutdown.drain.seconds", 0, 600), s.millis("lane.measure.timeout.ms", 500, 60000), outputs, pins);
    }

    private static int pin(Settings s, String key) throws ConfigException {
        if (s.optional(key).isEmpty()) {
            throw new ConfigException(key, "missing; required when lane.outputs=gpio (a BCM line number 0-27)");
        }
        return s.integer(key, 0, 27);
    }
}
