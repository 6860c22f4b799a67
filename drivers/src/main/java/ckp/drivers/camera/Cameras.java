package ckp.drivers.camera;

import ckp.drivers.time.Ticker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The one way to get a camera: a folder of images played as frames, the Pi camera through rpicam-vid, or any command
 * that writes raw frames. The sources themselves are package-private, so the service sees only {@link FrameSource}.
 */
public final class Cameras {
    private Cameras() {
    }

    /**
     * The images of {@code dir} in name order, each held for {@code holdFrames} frames at {@code fps}, paced on
     * {@code ticker}; unreadable images are skipped and logged.
     *
     * @throws IOException the folder cannot be listed or holds no playable image
     */
    public static FrameSource imageFolder(Path dir, double fps, int holdFrames, boolean loop, Ticker ticker)
            throws IOException {
        return new ImageFolderSource(dir, fps, holdFrames, loop, ticker);
    }

    /** rpicam-vid as {@code command} sets it out, restarted by {@code policy}; started on the first frame asked for. */
    public static FrameSource rpicam(RpicamCommand command, RestartPolicy policy) {
        return ProcessFrameSource.rpicam(command, policy);
    }

    /** A program writing frames of {@code layout} to stdout (never through a shell), restarted by {@code policy}. */
    public static FrameSource command(List<String> argv, RawFrameLayout layout, RestartPolicy policy) {
        return ProcessFrameSource.command(argv, layout, policy);
    }
}
