package ckp.kiosk.scan;

import com.google.zxing.LuminanceSource;
import com.google.zxing.PlanarYUVLuminanceSource;
import java.util.ArrayList;
import java.util.List;

/**
 * A resampled copy of a frame's luma for one decode attempt, with the factor that maps its pixel coordinates back
 * to the frame's. ZXing's finder search assumes modules a few pixels wide: big photos (a 4032x3024 phone shot) are
 * shrunk so the code's modules fall in that range, and small crops are enlarged so one-pixel modules get a threshold.
 *
 * @param scale  frame pixels per plane pixel: 2 for a half-size plane, 0.5 for a doubled one
 * @param turned whether the plane is the frame turned a quarter clockwise
 */
record LumaPlane(byte[] luma, int width, int height, int stride, float scale, boolean turned) {

    /** The frame's own plane, read in place. */
    static LumaPlane of(byte[] luma, int width, int height, int stride) {
        return new LumaPlane(luma, width, height, stride, 1f, false);
    }

    LuminanceSource source() {
        return new PlanarYUVLuminanceSource(luma, stride, height, 0, 0, width, height, false);
    }

    /** This plane shrunk by an integer factor, each pixel the mean of a factor x factor block (which also averages out sensor noise and moiré). */
    LumaPlane shrunk(int factor) {
        int w = width / factor;
        int h = height / factor;
        byte[] out = new byte[w * h];
        int area = factor * factor;
        int[] sums = new int[w];
        for (int y = 0; y < h; y++) {
            java.util.Arrays.fill(sums, 0);
            for (int dy = 0; dy < factor; dy++) {
                int row = (y * factor + dy) * stride;
                for (int x = 0; x < w; x++) {
                    int base = row + x * factor;
                    int s = 0;
                    for (int dx = 0; dx < factor; dx++) {
                        s += luma[base + dx] & 0xff;
                    }
                    sums[x] += s;
                }
            }
            int o = y * w;
            for (int x = 0; x < w; x++) {
                out[o + x] = (byte) ((sums[x] + area / 2) / area);
            }
        }
        return new LumaPlane(out, w, h, w, scale * factor, turned);
    }

    /** This plane doubled in each direction by bilinear interpolation. */
    LumaPlane doubled() {
        int w = width * 2;
        int h = height * 2;
        byte[] out = new byte[w * h];
        for (int y = 0; y < h; y++) {
            // Sample centres: output pixel y covers source position (y + 0.5) / 2 - 0.5.
            int sy = Math.max(0, (y - 1) >> 1);
            int sy2 = Math.min(height - 1, sy + 1);
            int fy = (y == 0) ? 0 : ((y & 1) == 1 ? 1 : 3); // weight of the second row in quarters
            int r1 = sy * stride;
            int r2 = sy2 * stride;
            int o = y * w;
            for (int x = 0; x < w; x++) {
                int sx = Math.max(0, (x - 1) >> 1);
                int sx2 = Math.min(width - 1, sx + 1);
                int fx = (x == 0) ? 0 : ((x & 1) == 1 ? 1 : 3);
                int a = luma[r1 + sx] & 0xff;
                int b = luma[r1 + sx2] & 0xff;
                int c = luma[r2 + sx] & 0xff;
                int d = luma[r2 + sx2] & 0xff;
                int top = a * (4 - fx) + b * fx;
                int bottom = c * (4 - fx) + d * fx;
                out[o + x] = (byte) ((top * (4 - fy) + bottom * fy + 8) >> 4);
            }
        }
        return new LumaPlane(out, w, h, w, scale / 2, turned);
    }

    /**
     * This plane turned a quarter clockwise: pixel (x, y) of the result is (y, height - 1 - x) here. Only an
     * unturned plane may be turned.
     */
    LumaPlane quarterTurned() {
        if (turned) {
            throw new IllegalStateException("the plane is already turned");
        }
        int w = height;
        int h = width;
        byte[] out = new byte[w * h];
        for (int y = 0; y < h; y++) {
            int o = y * w;
            for (int x = 0; x < w; x++) {
                out[o + x] = luma[(height - 1 - x) * stride + y];
            }
        }
        return new LumaPlane(out, w, h, w, scale, true);
    }

    /** A point of this plane in the frame's pixel coordinates. */
    DecodedCode.Point toFrame(float x, float y) {
        if (turned) {
            return new DecodedCode.Point(y * scale, (width - 1 - x) * scale);
        }
        return new DecodedCode.Point(x * scale, y * scale);
    }

    /** A code whose corners are given in this plane's pixels, with its corners in the frame's. */
    DecodedCode codeInFrame(String text, float[][] corners) {
        List<DecodedCode.Point> points = new ArrayList<>(4);
        for (float[] c : corners) {
            points.add(toFrame(c[0], c[1]));
        }
        return new DecodedCode(text, points);
    }

    /** This plane smoothed with a 3x3 mean, at the same size: sensor noise averages out, small modules stay. */
    LumaPlane smoothed() {
        byte[] out = new byte[width * height];
        for (int y = 0; y < height; y++) {
            int y0 = Math.max(0, y - 1) * stride;
            int y1 = y * stride;
            int y2 = Math.min(height - 1, y + 1) * stride;
            for (int x = 0; x < width; x++) {
                int x0 = Math.max(0, x - 1);
                int x2 = Math.min(width - 1, x + 1);
                int sum = (luma[y0 + x0] & 0xff) + (luma[y0 + x] & 0xff) + (luma[y0 + x2] & 0xff)
                        + (luma[y1 + x0] & 0xff) + (luma[y1 + x] & 0xff) + (luma[y1 + x2] & 0xff)
                        + (luma[y2 + x0] & 0xff) + (luma[y2 + x] & 0xff) + (luma[y2 + x2] & 0xff);
                out[y * width + x] = (byte) ((sum + 4) / 9);
            }
        }
        return new LumaPlane(out, width, height, width, scale, turned);
    }
}
