package ckp.kiosk.scan;

import com.google.zxing.common.PerspectiveTransform;

/**
 * Reads every module of a QR grid from the luma plane with how sure the reading is: the mean luma of five points
 * around the module's centre against the mean of the 7x7 modules around it, the confidence being the smaller of that
 * distance and the centre's over the local spread of module lumas. A binarized image says only dark or light; the soft-decision rescue needs to know
 * which modules a glare, a shadow's edge, blur or a scratch left near the threshold, to treat their codewords as
 * erasures.
 */
final class ModuleSampler {
    /** Half the side, in modules, of the window whose mean is a module's threshold. */
    static final int WINDOW_RADIUS = 3;
    /** Offsets, in modules, of the points averaged for one module: its centre and four points a quarter module off. */
    private static final float[][] OFFSETS = {{0.5f, 0.5f}, {0.25f, 0.25f}, {0.75f, 0.25f}, {0.25f, 0.75f}, {0.75f, 0.75f}};

    /** A sampled grid, row-major: each module's hard reading and its confidence (0 at the threshold, 1 or more when clear). */
    record Grid(int dimension, boolean[] dark, float[] confidence) {
        /** The same grid transposed: a mirrored code reads right when its rows are taken as columns. */
        Grid transposed() {
            boolean[] d = new boolean[dark.length];
            float[] c = new float[confidence.length];
            for (int r = 0; r < dimension; r++) {
                for (int col = 0; col < dimension; col++) {
                    d[col * dimension + r] = dark[r * dimension + col];
                    c[col * dimension + r] = confidence[r * dimension + col];
                }
            }
            return new Grid(dimension, d, c);
        }
    }

    private ModuleSampler() {
    }

    /**
     * Samples the grid that {@code moduleToPlane} maps (module coordinates, a module's corner at integers, to the
     * plane's pixels); modules that fall off the plane read light with confidence 0.
     */
    static Grid sample(LumaPlane plane, boolean inverted, PerspectiveTransform moduleToPlane, int dimension) {
        int n = dimension * dimension;
        float[] points = new float[n * OFFSETS.length * 2];
        int k = 0;
        for (int r = 0; r < dimension; r++) {
            for (int c = 0; c < dimension; c++) {
                for (float[] o : OFFSETS) {
                    points[k++] = c + o[0];
                    points[k++] = r + o[1];
                }
            }
        }
        moduleToPlane.transformPoints(points);
        float[] luma = new float[n];
        float[] centre = new float[n];
        boolean[] inside = new boolean[n];
        byte[] bytes = plane.luma();
        int w = plane.width();
        int h = plane.height();
        k = 0;
        for (int m = 0; m < n; m++) {
            int sum = 0;
            boolean all = true;
            for (int o = 0; o < OFFSETS.length; o++) {
                float x = points[k++];
                float y = points[k++];
                if (!(x >= 0 && y >= 0 && x < w && y < h)) {
                    all = false;
                    continue;
                }
                int px = bytes[(int) y * plane.stride() + (int) x] & 0xff;
                sum += px;
                if (o == 0) {
                    centre[m] = inverted ? 255 - px : px;
                }
            }
            inside[m] = all;
            float v = all ? sum / (float) OFFSETS.length : 255;
            luma[m] = inverted ? 255 - v : v;
        }
        // Integral images of luma and its square over the module grid: each module's window mean and spread.
        int side = dimension + 1;
        double[] s1 = new double[side * side];
        double[] s2 = new double[side * side];
        for (int r = 0; r < dimension; r++) {
            for (int c = 0; c < dimension; c++) {
                double v = luma[r * dimension + c];
                int i = (r + 1) * side + c + 1;
                s1[i] = v + s1[i - 1] + s1[i - side] - s1[i - side - 1];
                s2[i] = v * v + s2[i - 1] + s2[i - side] - s2[i - side - 1];
            }
        }
        boolean[] dark = new boolean[n];
        float[] confidence = new float[n];
        for (int r = 0; r < dimension; r++) {
            int r0 = Math.max(0, r - WINDOW_RADIUS);
            int r1 = Math.min(dimension, r + WINDOW_RADIUS + 1);
            for (int c = 0; c < dimension; c++) {
                int m = r * dimension + c;
                int c0 = Math.max(0, c - WINDOW_RADIUS);
                int c1 = Math.min(dimension, c + WINDOW_RADIUS + 1);
                double count = (double) (r1 - r0) * (c1 - c0);
                double mean = (s1[r1 * side + c1] - s1[r0 * side + c1] - s1[r1 * side + c0] + s1[r0 * side + c0]) / count;
                double square = (s2[r1 * side + c1] - s2[r0 * side + c1] - s2[r1 * side + c0] + s2[r0 * side + c0]) / count;
                double spread = Math.sqrt(Math.max(0, square - mean * mean));
                dark[m] = luma[m] < mean;
                // A module whose centre and five-point mean fall on either side of the threshold straddles an edge (the
                // grid is off there, or blur): unsure whatever the mean says.
                double near = Math.abs(luma[m] - mean);
                if ((centre[m] < mean) != dark[m]) {
                    near = 0;
                } else {
                    near = Math.min(near, Math.abs(centre[m] - mean));
                }
                // Balanced dark and light modules sit about one spread from the mean: a clear module scores about 1.
                // A flat window (a saturated glare, an erased patch) has no spread, and its modules score 0.
                confidence[m] = inside[m] && spread >= 4 ? (float) (near / spread) : 0f;
            }
        }
        return new Grid(dimension, dark, confidence);
    }
}
