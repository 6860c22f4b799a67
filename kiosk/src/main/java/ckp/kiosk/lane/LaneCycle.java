package ckp.kiosk.lane;

import ckp.kiosk.screening.TemperatureResult;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The lane's state machine, pure and driven by the caller's clock (monotonic nanoseconds): idle → scanning (a vehicle
 * is present, no code yet) → measuring (a code was seen) → decided (the decision is shown) → clear (the decision is
 * taken down) → idle. It guarantees one decision per sighting: a code seen while a vehicle is being measured or shown
 * is ignored, a measurement that comes back after the decision is ignored, and a vehicle that gets no valid
 * temperature in time is decided anyway, with a retest result (manual check).
 */
public final class LaneCycle {

    /** Where the lane is. */
    public enum State { IDLE, SCANNING, MEASURING, DECIDED, CLEAR }

    /** What the lane does next with a measurement. */
    public sealed interface Step {
        /** The window was unstable and there is time for another one. */
        record MeasureAgain(String why) implements Step { }

        /** Decide now with this temperature. */
        record Decide(TemperatureResult temperature) implements Step { }

        /** Not for this vehicle's decision (already decided, or no vehicle is being measured). */
        record Ignore(String why) implements Step { }
    }

    /** The longest a decision stays up while the presence sensor still reports a vehicle, in case the sensor sticks. */
    static final Duration PRESENCE_HOLD_CAP = Duration.ofSeconds(60);

    private final Duration measureTimeout;
    private final Duration signalHold;
    private final Duration window;
    private final boolean presenceFitted;
    private State state = State.IDLE;
    private long since;
    private long deadline;
    private boolean present;
    private String code = "";

    /**
     * @param measureTimeout from the code's sighting to a valid temperature; past it the vehicle is decided as retest
     * @param signalHold     how long a decision stays shown at least
     * @param window         one screening window, to tell whether another one fits before the timeout
     * @param presenceFitted with a presence sensor, a decision stays shown until the vehicle has left
     */
    public LaneCycle(Duration measureTimeout, Duration signalHold, Duration window, boolean presenceFitted) {
        this.measureTimeout = Objects.requireNonNull(measureTimeout);
        this.signalHold = Objects.requireNonNull(signalHold);
        this.window = Objects.requireNonNull(window);
        this.presenceFitted = presenceFitted;
        if (measureTimeout.isNegative() || measureTimeout.isZero()) {
            throw new IllegalArgumentException("measureTimeout must be positive, got " + measureTimeout);
        }
    }

    public State state() {
        return state;
    }

    private void enter(State next, long nowNanos) {
        state = next;
        since = nowNanos;
    }

    /** The presence sensor's reading; without a sensor this is never called. */
    public void presence(boolean vehicle, long nowNanos) {
        present = vehicle;
        if (state == State.IDLE && vehicle) {
            enter(State.SCANNING, nowNanos);
        } else if (state == State.SCANNING && !vehicle) {
            enter(State.IDLE, nowNanos);
        }
    }

    /** A code was decoded: returns whether it starts a new vehicle's measurement (false: this sighting is ignored). */
    public boolean codeSeen(String text, long nowNanos) {
        Objects.requireNonNull(text);
        if (state == State.MEASURING || state == State.DECIDED) {
            return false;
        }
        code = text;
        deadline = nowNanos + measureTimeout.toNanos();
        enter(State.MEASURING, nowNanos);
        return true;
    }

    /** The code of the vehicle being handled, empty when idle. */
    public String code() {
        return code;
    }

    /** A screening window came back. */
    public Step measured(TemperatureResult result, long nowNanos) {
        if (state != State.MEASURING) {
            return new Step.Ignore("a measurement arrived in state " + state + "; the vehicle has its decision");
        }
        if (nowNanos > deadline) {
            return timeout(result, nowNanos);
        }
        if (result.kind() == TemperatureResult.Kind.RETEST && nowNanos + window.toNanos() <= deadline) {
            return new Step.MeasureAgain(result.detail());
        }
        enter(State.DECIDED, nowNanos);
        return new Step.Decide(result);
    }

    /**
     * Time passes: a measurement past its deadline is decided as retest (the returned temperature); a decision that
     * has been shown long enough (and, with a presence sensor, whose vehicle has left) is cleared; a clear lane goes
     * back to idle.
     */
    public Optional<TemperatureResult> tick(long nowNanos) {
        switch (state) {
            case MEASURING -> {
                if (nowNanos > deadline) {
                    Step.Decide d = timeout(TemperatureResult.without(TemperatureResult.Kind.RETEST, "no result"), nowNanos);
                    return Optional.of(d.temperature());
                }
            }
            case DECIDED -> {
                long shown = nowNanos - since;
                boolean held = shown >= signalHold.toNanos();
                boolean gone = !presenceFitted || !present || shown >= signalHold.plus(PRESENCE_HOLD_CAP).toNanos();
                if (held && gone) {
                    enter(State.CLEAR, nowNanos);
                }
            }
            case CLEAR -> {
                code = "";
                enter(presenceFitted && present ? State.SCANNING : State.IDLE, nowNanos);
            }
            default -> { }
        }
        return Optional.empty();
    }

    /** Late: a sensor fault stays what it is (invalid, unavailable); anything else becomes retest. */
    private Step.Decide timeout(TemperatureResult last, long nowNanos) {
        enter(State.DECIDED, nowNanos);
        if (last.kind() == TemperatureResult.Kind.INVALID || last.kind() == TemperatureResult.Kind.UNAVAILABLE) {
            return new Step.Decide(last);
        }
        String why = "no valid temperature within " + measureTimeout.toMillis() + " ms"
                + (last.detail().isEmpty() ? "" : " (" + last.kind().wire() + ": " + last.detail() + ")");
        return new Step.Decide(new TemperatureResult(TemperatureResult.Kind.RETEST, last.celsius(),
                last.ambientCelsius(), last.samples(), last.spreadCelsius(), why));
    }
}
