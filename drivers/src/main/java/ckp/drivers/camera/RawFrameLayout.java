package ckp.drivers.camera;

import java.util.Objects;

/**
 * How raw frames sit in a byte stream with no header and no delimiter: {@code height} rows of {@code stride} bytes of
 * luma, followed for {@code YUV420} by the U and V planes ({@code stride/2} bytes by {@code height/2} rows each), so a
 * frame is exactly {@link #frameBytes()} long and the stream cannot resynchronise by itself once a size is wrong.
 */
public record RawFrameLayout(PixelFormat format, int width, int height, int stride) {

    /** The pixel formats a raw stream may carry; only the luma plane is kept. */
    public enum PixelFormat {
        /** 8-bit luma only (ffmpeg {@code gray}). */
        GRAY,
        /** Planar 4:2:0, I420 order (ffmpeg {@code yuv420p}, rpicam-vid {@code --codec yuv420}). */
        YUV420
    }

    /** Frames larger than this are refused: 4096 x 4096 is beyond any camera the kiosk runs with. */
    public static final int MAX_SIDE = 8192;

    public RawFrameLayout {
        Objects.requireNonNull(format, "format");
        if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("frame size " + width + "x" + height + " is outside 1.." + MAX_SIDE);
        }
        if (stride < width || stride > 2 * MAX_SIDE) {
            throw new IllegalArgumentException("stride " + stride + " must be at least the width " + width);
        }
        if (format == PixelFormat.YUV420 && (stride % 2 != 0 || height % 2 != 0 || width % 2 != 0)) {
            // Chroma planes are half the luma plane in both directions; an odd size has no exact half.
            throw new IllegalArgumentException("yuv420 needs an even width, height and stride, got " + width + "x"
                    + height + " stride " + stride);
        }
    }

    /** A layout whose rows are exactly as wide as the image. */
    public static RawFrameLayout unpadded(PixelFormat format, int width, int height) {
        return new RawFrameLayout(format, width, height, width);
    }

    public int lumaBytes() {
        return stride * height;
    }

    /** Bytes after the luma plane that belong to the same frame: both chroma planes, or none for gray. */
    public int chromaBytes() {
        return format == PixelFormat.YUV420 ? 2 * (stride / 2) * (height / 2) : 0;
    }

    public int frameBytes() {
        return lumaBytes() + chromaBytes();
    }

    @Override
    public String toString() {
        return width + "x" + height + " " + format.name().toLowerCase(java.util.Locale.ROOT) + " stride " + stride;
    }
}
