package ckp.kiosk.scan;

import com.google.zxing.Binarizer;
import com.google.zxing.LuminanceSource;
import com.google.zxing.common.BitMatrix;

/**
 * Calls a pixel dark when it dips measurably below a clipped (saturated) white around it, and elsewhere when it is
 * below the midpoint of the darkest and brightest pixels around it. An over-exposed code (sun on a paper pass, a
 * phone screen at full brightness) clips its light modules at the sensor's top value, and the blur spreads that white
 * into the dark modules, which become light grey and thin: the true white level, and with it the midpoint any mean
 * threshold aims for, lies above the clip, so the mean calls the thinned dark modules light. On a clipped plateau
 * nothing but a dark module's blurred edge pulls a pixel below the clip (clipping also flattens the sensor noise), so
 * the threshold belongs just under it, where a dark module is as wide as the clipping left it.
 */
final class ClippedWhiteBinarizer extends WholePlaneBinarizer {
    /** The window around each pixel in which its white and dark levels are taken: more than a module or two. */
    static final int WINDOW_RADIUS = 16;
    /** How far below the clipped white a pixel must be to count as dark (JPEG ringing and noise stay above it). */
    static final int CLIP_MARGIN = 6;
    /**
     * The share of the plane at its top value that makes that value a clipped white (a plateau, not a few highlights).
     * Below it nothing is clipped and the binarizer is the min-max midpoint throughout.
     */
    static final double CLIPPED_SHARE = 0.05;
    /**
     * The lowest top value taken for a sensor's clip: 8-bit full range clips at 255, video range at 235. A plane
     * whose whites are all one lower value is lit evenly, not clipped, and gets the midpoint.
     */
    static final int LOWEST_CLIP = 230;

    private final int radius;
    private final int margin;

    ClippedWhiteBinarizer(LuminanceSource source, int radius, int margin) {
        super(source);
        this.radius = radius;
        this.margin = margin;
    }

    /** The value the plane's light areas are clipped at, or -1 when no plateau of at least {@link #CLIPPED_SHARE} is at its top value. */
    static int clipLevel(byte[] luma, int w, int h, int stride) {
        int top = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0, i = y * stride; x < w; x++, i++) {
                top = Math.max(top, luma[i] & 0xff);
            }
        }
        long atTop = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0, i = y * stride; x < w; x++, i++) {
                if ((luma[i] & 0xff) >= top - 1) {
                    atTop++;
                }
            }
        }
        return atTop >= CLIPPED_SHARE * w * h && top >= LOWEST_CLIP ? top : -1;
    }

    @Override
    BitMatrix threshold(byte[] luma, int w, int h) {
        int clip = clipLevel(luma, w, h, w);
        int[] values = new int[w * h];
        for (int i = 0; i < values.length; i++) {
            values[i] = luma[i] & 0xff;
        }
        int[] peak = filtered(values, w, h, false);
        int[] trough = filtered(values, w, h, true);
        BitMatrix out = new BitMatrix(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int v = values[i];
                boolean dark = clip >= 0 && peak[i] >= clip - 1
                        ? v < clip - margin
                        : 2 * v < peak[i] + trough[i];
                if (dark) {
                    out.set(x, y);
                }
            }
        }
        return out;
    }

    /** The separable maximum (or, with {@code min}, minimum) over the square window around each pixel. */
    private int[] filtered(int[] values, int w, int h, boolean min) {
        int sign = min ? -1 : 1;
        int[] rows = new int[w * h];
        int[] in = new int[Math.max(w, h)];
        int[] out = new int[Math.max(w, h)];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                in[x] = sign * values[y * w + x];
            }
            LocalPeakBinarizer.slidingMax(in, w, radius, out);
            System.arraycopy(out, 0, rows, y * w, w);
        }
        int[] result = new int[w * h];
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                in[y] = rows[y * w + x];
            }
            LocalPeakBinarizer.slidingMax(in, h, radius, out);
            for (int y = 0; y < h; y++) {
                result[y * w + x] = sign * out[y];
            }
        }
        return result;
    }

    @Override
    public Binarizer createBinarizer(LuminanceSource source) {
        return new ClippedWhiteBinarizer(source, radius, margin);
    }
}
