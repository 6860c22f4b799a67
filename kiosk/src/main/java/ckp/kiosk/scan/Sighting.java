package ckp.kiosk.scan;

import java.util.List;
import java.util.Objects;

/**
 * A frame with a code newly in front of the camera, after repeats are filtered out: every code decoded in that frame,
 * so the lane can choose among them (a pass over a car park ticket), not only the new one.
 *
 * @param texts          every code decoded in the frame, each once, in the decoder's order; at least one
 * @param decodeNanos    time spent decoding that frame
 * @param frameNanos     {@link System#nanoTime()} when the frame was read from the camera
 */
public record Sighting(List<String> texts, long frameSequence, long frameNanos, long decodeNanos) {
    public Sighting {
        texts = List.copyOf(texts);
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("a sighting holds at least one code");
        }
    }

    /** A frame with one code. */
    public Sighting(String text, long frameSequence, long frameNanos, long decodeNanos) {
        this(List.of(Objects.requireNonNull(text, "text")), frameSequence, frameNanos, decodeNanos);
    }
}
