package ckp.drivers.camera;

import java.io.IOException;
import java.util.Optional;

/** A camera as the kiosk sees it: a stream of luma frames, read by one thread. */
public interface FrameSource extends AutoCloseable {

    /**
     * Blocks until the next frame is available.
     *
     * @return the frame, or empty once the source has ended for good (a folder played without looping)
     * @throws IOException when the camera fails in a way the source could not recover from by itself
     */
    Optional<Frame> next() throws IOException, InterruptedException;

    /** What this source is, for logs and telemetry (never personal data). */
    String describe();

    /** Restarts and the last failure, for telemetry; a source with no process behind it never fails. */
    default CameraHealth health() {
        return CameraHealth.steady(0);
    }

    @Override
    void close();
}
