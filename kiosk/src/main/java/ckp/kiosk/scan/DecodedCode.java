package ckp.kiosk.scan;

import java.util.List;
import java.util.Objects;

/**
 * One QR code found in a frame.
 *
 * @param text   the decoded text (UTF-8 unless the code's ECI said otherwise)
 * @param points the finder pattern centres (and alignment pattern when found) in the frame's pixel coordinates
 */
public record DecodedCode(String text, List<Point> points) {
    public DecodedCode {
        Objects.requireNonNull(text, "text");
        points = List.copyOf(points);
    }

    /** A position in frame pixels. */
    public record Point(float x, float y) {
    }
}
