package ckp.kiosk.scan;

import java.util.List;
import java.util.Objects;

/**
 * One QR code found in a frame.
 *
 * @param text    the decoded text (UTF-8 unless the code's ECI said otherwise)
 * @param corners the code's four outer corners in the frame's pixel coordinates, in the code's own order: top-left,
 *                top-right, bottom-right, bottom-left (the three finder patterns sit at the first, second and fourth)
 */
public record DecodedCode(String text, List<Point> corners) {
    public DecodedCode {
        Objects.requireNonNull(text, "text");
        corners = List.copyOf(corners);
        if (corners.size() != 4) {
            throw new IllegalArgumentException("a decoded code has 4 corners (top-left, top-right, bottom-right, bottom-left), got "
                    + corners.size() + ": " + corners);
        }
    }

    /** The mean of the four corners: where the code is in the frame. */
    public Point centre() {
        float x = 0;
        float y = 0;
        for (Point p : corners) {
            x += p.x();
            y += p.y();
        }
        return new Point(x / 4, y / 4);
    }

    /** Whether {@code p} lies inside the quadrilateral of the corners (any winding). */
    public boolean contains(Point p) {
        int sign = 0;
        for (int i = 0; i < 4; i++) {
            Point a = corners.get(i);
            Point b = corners.get((i + 1) % 4);
            double cross = (b.x() - a.x()) * (double) (p.y() - a.y()) - (b.y() - a.y()) * (double) (p.x() - a.x());
            int s = cross > 0 ? 1 : cross < 0 ? -1 : 0;
            if (s != 0) {
                if (sign != 0 && s != sign) {
                    return false;
                }
                sign = s;
            }
        }
        return true;
    }

    /** A position in frame pixels. */
    public record Point(float x, float y) {
        public Point {
            if (!Float.isFinite(x) || !Float.isFinite(y)) {
                throw new IllegalArgumentException("a point in frame pixels must be finite, got (" + x + ", " + y + ")");
            }
        }
    }
}
