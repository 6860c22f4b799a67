package ckp.kiosk.scan;

import com.google.zxing.Binarizer;
import com.google.zxing.LuminanceSource;
import com.google.zxing.common.BitMatrix;

/**
 * Calls a pixel dark when it is below a fixed fraction of the brightest pixel in the window around it. A phone screen
 * filmed by a camera shows moiré, a beat that scales its light by 0.3-1 in stripes finer than two modules: light
 * modules dip in the stripes' troughs, but dark pixels stay dark whatever the factor, so a low fraction of the
 * local peak still parts them where any mean-based threshold follows the stripes.
 */
final class LocalPeakBinarizer extends WholePlaneBinarizer {
    /**
     * The screen-moiré threshold: dark below this percentage of the brightest pixel within this radius. Measured
     * (kiosk seeds 1/2, moiré folders): 10 px and 35% read 11/9 of 20; 14 px 35% 11/9; 8 px 40% 10/6; 8 or 10 px
     * 30% 7/11; 12 px 45% 7/5; 6 px 50% 5/5. The radius must exceed a stripe's period (10-20 px) so the window
     * holds a stripe's crest.
     */
    static final int WINDOW_RADIUS = 10;
    static final int PERCENT_OF_PEAK = 35;

    private final int radius;
    private final int percentOfPeak;

    LocalPeakBinarizer(LuminanceSource source, int radius, int percentOfPeak) {
        super(source);
        this.radius = radius;
        this.percentOfPeak = percentOfPeak;
    }

    @Override
    BitMatrix threshold(byte[] luma, int w, int h) {
        // Separable maximum filter, rows then columns, each in constant time per pixel whatever the radius.
        int[] values = new int[w * h];
        for (int i = 0; i < values.length; i++) {
            values[i] = luma[i] & 0xff;
        }
        int[] rowPeak = new int[w * h];
        int[] scratchIn = new int[Math.max(w, h)];
        int[] scratchOut = new int[Math.max(w, h)];
        for (int y = 0; y < h; y++) {
            System.arraycopy(values, y * w, scratchIn, 0, w);
            slidingMax(scratchIn, w, radius, scratchOut);
            System.arraycopy(scratchOut, 0, rowPeak, y * w, w);
        }
        BitMatrix out = new BitMatrix(w, h);
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                scratchIn[y] = rowPeak[y * w + x];
            }
            slidingMax(scratchIn, h, radius, scratchOut);
            for (int y = 0; y < h; y++) {
                if (values[y * w + x] * 100 < scratchOut[y] * percentOfPeak) {
                    out.set(x, y);
                }
            }
        }
        return out;
    }

    /**
     * out[i] = the largest of in[i - radius .. i + radius] (clipped to the array), by van Herk's method: running maxima
     * forward and backward within blocks of the window's width, so each output is the larger of two lookups.
     */
    static void slidingMax(int[] in, int n, int radius, int[] out) {
        int width = 2 * radius + 1;
        int[] forward = new int[n];
        int[] backward = new int[n];
        for (int i = 0; i < n; i++) {
            forward[i] = i % width == 0 ? in[i] : Math.max(forward[i - 1], in[i]);
        }
        for (int i = n - 1; i >= 0; i--) {
            backward[i] = (i == n - 1 || (i + 1) % width == 0) ? in[i] : Math.max(backward[i + 1], in[i]);
        }
        for (int i = 0; i < n; i++) {
            int lo = Math.max(0, i - radius);
            int hi = Math.min(n - 1, i + radius);
            if (lo / width == hi / width) {
                // A window clipped by the array's end lies within one block: the block's running maxima overshoot it.
                int m = in[lo];
                for (int k = lo + 1; k <= hi; k++) {
                    m = Math.max(m, in[k]);
                }
                out[i] = m;
            } else {
                out[i] = Math.max(backward[lo], forward[hi]);
            }
        }
    }

    @Override
    public Binarizer createBinarizer(LuminanceSource source) {
        return new LocalPeakBinarizer(source, radius, percentOfPeak);
    }
}
