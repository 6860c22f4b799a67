package ckp.kiosk.publish;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What the other stages report for telemetry, sampled once per {@code telemetry.interval.seconds} on the telemetry
 * thread: it must answer quickly and must not block on hardware.
 */
@FunctionalInterface
public interface TelemetrySource {

    StageFigures sample();

    /** How a device is doing, as the stage that owns it judges. */
    enum Health {
        OK, DEGRADED, FAILED, UNKNOWN;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The plate watch rules in force, as telemetry shows them.
     *
     * @param version the site's signed rules version in force (0: none)
     * @param entries watch rules in force (site and {@code rules.file})
     * @param refused rules messages refused since the start (unsigned, badly signed, bad document)
     */
    record RulesFigures(long version, int entries, long refused) {
        public static final RulesFigures NONE = new RulesFigures(0, 0, 0);

        public RulesFigures {
            if (version < 0 || entries < 0 || refused < 0) {
                throw new IllegalArgumentException("rules figures cannot be negative: version " + version
                        + ", entries " + entries + ", refused " + refused);
            }
        }
    }

    /**
     * One sample of the other stages' figures.
     *
     * @param decodeFramesPerSecond frames the scanner decoded per second over the last interval, when known
     * @param evictedTelemetry      telemetry rows the store evicted to stay under its cap (persisted counter)
     * @param droppedEvents         messages the store could not keep at all (persisted counter; should stay 0)
     * @param alarms                alarm codes the stages hold raised now
     * @param rules                 the plate watch rules in force
     */
    record StageFigures(Health sensor, Health camera, OptionalDouble decodeFramesPerSecond, long evictedTelemetry,
                        long droppedEvents, List<String> alarms, RulesFigures rules) {
        public StageFigures(Health sensor, Health camera, OptionalDouble decodeFramesPerSecond, long evictedTelemetry,
                            long droppedEvents, List<String> alarms) {
            this(sensor, camera, decodeFramesPerSecond, evictedTelemetry, droppedEvents, alarms, RulesFigures.NONE);
        }

        public StageFigures {
            Objects.requireNonNull(rules);
            Objects.requireNonNull(sensor);
            Objects.requireNonNull(camera);
            Objects.requireNonNull(decodeFramesPerSecond);
            alarms = List.copyOf(alarms);
            if (evictedTelemetry < 0 || droppedEvents < 0) {
                throw new IllegalArgumentException("counters cannot be negative: evicted " + evictedTelemetry
                        + ", dropped " + droppedEvents);
            }
        }
    }

    /** Nothing known yet: the placeholder until a stage supplies its figures. */
    static TelemetrySource unknown() {
        return () -> new StageFigures(Health.UNKNOWN, Health.UNKNOWN, OptionalDouble.empty(), 0, 0, List.of());
    }
}
