package ckp.drivers.lane;

import java.time.Duration;

/**
 * The lane's signalling hardware: a three-colour light, a buzzer and the barrier relay. Implementations set a known
 * state in their constructor and in {@link #close()} (barrier closed, out-of-service light) so that a start, a stop
 * or a crash never leaves the barrier open.
 */
public interface LaneOutputs extends AutoCloseable {

    /** Shows one light (or none, for {@link Light#OFF}); the others go dark. */
    void light(Light light);

    /** Sounds the buzzer for the given time without blocking the caller. */
    void beep(Duration duration);

    /** Opens the barrier for the given time, then closes it, without blocking the caller. */
    void openBarrier(Duration duration);

    @Override
    void close();

    /** The lights a lane has; OUT_OF_SERVICE is how a lane that cannot decide looks (red and amber together). */
    enum Light { OFF, GREEN, AMBER, RED, OUT_OF_SERVICE }
}
