package ckp.drivers.camera;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A camera's state for telemetry: how often its process had to be restarted and why it last failed. A source that
 * cannot fail (a folder of images) reports zero restarts and no error.
 *
 * @param running     whether a camera process is up and being read right now
 * @param framesRead  whole frames delivered since the source was opened
 * @param restarts    times the camera process died, stalled or could not start and was (or will be) started again
 * @param lastError   the last failure in words (exit status, last stderr line, truncated bytes); never image data
 * @param nextBackoff how long the source waits before the next restart if the current process fails
 */
public record CameraHealth(boolean running, long framesRead, long restarts, Optional<String> lastError,
                           Duration nextBackoff) {
    public CameraHealth {
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(nextBackoff, "nextBackoff");
        if (framesRead < 0 || restarts < 0) {
            throw new IllegalArgumentException("counters cannot be negative: frames " + framesRead + ", restarts "
                    + restarts);
        }
    }

    /** The health of a source with no process behind it. */
    public static CameraHealth steady(long framesRead) {
        return new CameraHealth(true, framesRead, 0, Optional.empty(), Duration.ZERO);
    }
}
