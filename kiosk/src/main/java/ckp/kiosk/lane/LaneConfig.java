package ckp.kiosk.lane;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
import java.time.Duration;
import java.util.List;

/**
 * Lane timing.
 *
 * @param signalHold   how long a decision stays shown before the lane is ready for the next vehicle
 * @param barrierOpen  how long the barrier opens on pass (zero: no barrier fitted)
 * @param shutdownDrain how long a stopping kiosk waits for the outbox to drain before exiting
 */
public record LaneConfig(Duration signalHold, Duration barrierOpen, Duration shutdownDrain) {
    public static final List<ConfigKey> KEYS = List.of(
            ConfigKey.withDefault("lane.signal.ms", "1500", "how long a decision stays shown, in ms (0-60000)"),
            ConfigKey.withDefault("lane.barrier.open.ms", "0", "how long the barrier opens on pass, in ms; 0: no barrier (0-60000)"),
            ConfigKey.withDefault("shutdown.drain.seconds", "10", "on stop, how long to wait for undelivered events to reach the broker (0-600)"));

    public static LaneConfig from(Settings s) throws ConfigException {
        return new LaneConfig(s.millis("lane.signal.ms", 0, 60000), s.millis("lane.barrier.open.ms", 0, 60000),
                s.seconds("shutdown.drain.seconds", 0, 600));
    }
}
