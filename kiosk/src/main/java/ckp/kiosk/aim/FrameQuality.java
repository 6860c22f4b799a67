package ckp.kiosk.aim;

import ckp.drivers.camera.Frame;
import ckp.kiosk.scan.DecodedCode;
import java.util.List;

/**
 * How good a frame is for reading codes, measured in a region (the codes' bounding box when any was found, else the
 * whole frame), on at most about 100 000 sampled pixels so a 4K frame costs no more than a VGA one.
 *
 * @param brightness      mean luma, 0-255
 * @param sharpnessPercent the strongest neighbour-to-neighbour steps (99th percentile) as a share of the region's
 *                        contrast (95th minus 5th percentile of luma): near 100 a dark-light edge crosses in one
 *                        pixel; under {@link #BLURRED_BELOW_PERCENT} it is smeared over several, whatever the code's
 *                        size in the frame
 * @param glarePercent    share of pixels at 250 or more (blown out: specular reflection on a phone or a laminated pass)
 * @param contrast        95th minus 5th percentile of luma, 0-255
 */
public record FrameQuality(double brightness, double sharpnessPercent, double glarePercent, int contrast) {
    static final double TOO_DARK_BELOW = 50;
    static final double BLURRED_BELOW_PERCENT = 35;
    static final double GLARE_ABOVE_PERCENT = 3;
    static final int SATURATED = 250;
    private static final int MAX_SAMPLES = 100_000;

    /** The quality of the frame in the box around {@code outlines} (each four corners), or of the whole frame. */
    public static FrameQuality of(Frame frame, List<List<DecodedCode.Point>> outlines) {
        int x0 = 0;
        int y0 = 0;
        int x1 = frame.width();
        int y1 = frame.height();
        if (!outlines.isEmpty()) {
            float minX = Float.MAX_VALUE;
            float minY = Float.MAX_VALUE;
            float maxX = -Float.MAX_VALUE;
            float maxY = -Float.MAX_VALUE;
            for (List<DecodedCode.Point> o : outlines) {
                for (DecodedCode.Point p : o) {
                    minX = Math.min(minX, p.x());
                    minY = Math.min(minY, p.y());
                    maxX = Math.max(maxX, p.x());
                    maxY = Math.max(maxY, p.y());
                }
            }
            x0 = clamp((int) Math.floor(minX), 0, frame.width() - 1);
            y0 = clamp((int) Math.floor(minY), 0, frame.height() - 1);
            x1 = clamp((int) Math.ceil(maxX) + 1, x0 + 1, frame.width());
            y1 = clamp((int) Math.ceil(maxY) + 1, y0 + 1, frame.height());
        }
        long area = (long) (x1 - x0) * (y1 - y0);
        int step = (int) Math.max(1, Math.ceil(Math.sqrt(area / (double) MAX_SAMPLES)));
        int[] lumaHistogram = new int[256];
        int[] stepHistogram = new int[256];
        long sum = 0;
        long n = 0;
        long saturated = 0;
        byte[] luma = frame.luma();
        int stride = frame.stride();
        for (int y = y0; y < y1; y += step) {
            int row = y * stride;
            for (int x = x0; x < x1; x += step) {
                int v = luma[row + x] & 0xff;
                lumaHistogram[v]++;
                sum += v;
                n++;
                if (v >= SATURATED) {
                    saturated++;
                }
                // Steps to the right and below neighbours of the full-resolution plane: blur shows at pixel scale.
                if (x + 1 < x1) {
                    stepHistogram[Math.abs(v - (luma[row + x + 1] & 0xff))]++;
                }
                if (y + 1 < y1) {
                    stepHistogram[Math.abs(v - (luma[row + stride + x] & 0xff))]++;
                }
            }
        }
        int contrast = percentile(lumaHistogram, 0.95) - percentile(lumaHistogram, 0.05);
        int strongStep = percentile(stepHistogram, 0.99);
        double sharpness = contrast == 0 ? 0 : Math.min(100, 100.0 * strongStep / contrast);
        return new FrameQuality(n == 0 ? 0 : sum / (double) n, sharpness, n == 0 ? 0 : 100.0 * saturated / n, contrast);
    }

    private static int percentile(int[] histogram, double q) {
        long total = 0;
        for (int c : histogram) {
            total += c;
        }
        if (total == 0) {
            return 0;
        }
        long target = (long) Math.ceil(q * total);
        long seen = 0;
        for (int v = 0; v < histogram.length; v++) {
            seen += histogram[v];
            if (seen >= target) {
                return v;
            }
        }
        return histogram.length - 1;
    }

    private static int clamp(int v, int min, int max) {
        return Math.max(min, Math.min(max, v));
    }
}
