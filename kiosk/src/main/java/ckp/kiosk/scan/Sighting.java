package ckp.kiosk.scan;

import java.util.Objects;

/**
 * A code newly in front of the camera: the first frame it was decoded in, after repeats are filtered out.
 *
 * @param decodeNanos    time spent decoding that frame
 * @param frameNanos     {@link System#nanoTime()} when the frame was read from the camera
 */
public record Sighting(String text, long frameSequence, long frameNanos, long decodeNanos) {
    public Sighting {
        Objects.requireNonNull(text, "text");
    }
}
