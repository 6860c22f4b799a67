package ckp.drivers.camera;

import java.util.Objects;

/**
 * One camera frame's luma (Y) plane: {@code height} rows of {@code stride} bytes, of which the first {@code width}
 * are pixels. The stride is kept because Pi cameras pad rows (64-byte alignment on a Pi 4, 128 on a Pi 5) and the
 * decoder reads the plane in place rather than copying it.
 *
 * @param sequence       frame number from the source, starting at 0
 * @param monotonicNanos when the frame was read, on the kiosk's {@link ckp.drivers.time.Ticker} (process cameras:
 *                       the system ticker)
 */
public record Frame(byte[] luma, int width, int height, int stride, long sequence, long monotonicNanos) {
    public Frame {
        Objects.requireNonNull(luma, "luma");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive, got " + width + "x" + height);
        }
        if (stride < width) {
            throw new IllegalArgumentException("stride " + stride + " is narrower than width " + width);
        }
        if ((long) stride * height > luma.length) {
            throw new IllegalArgumentException("luma holds " + luma.length + " bytes, a " + stride + "x" + height
                    + " plane needs " + ((long) stride * height));
        }
    }
}
