package ckp.kiosk.scan;

import java.util.List;

/**
 * A code the detector found in a frame (finder patterns, an outline) but could not read, with its four outer corners
 * in frame pixels in the same order as {@link DecodedCode#corners()}: the aiming view outlines it in amber, so the
 * technician sees that the camera finds the code but the picture is not good enough to read it.
 */
public record UnreadCode(List<DecodedCode.Point> corners) {
    public UnreadCode {
        corners = List.copyOf(corners);
        if (corners.size() != 4) {
            throw new IllegalArgumentException("an unread code has 4 corners, got " + corners.size() + ": " + corners);
        }
    }

    /** The mean of the four corners. */
    public DecodedCode.Point centre() {
        float x = 0;
        float y = 0;
        for (DecodedCode.Point p : corners) {
            x += p.x();
            y += p.y();
        }
        return new DecodedCode.Point(x / 4, y / 4);
    }
}
