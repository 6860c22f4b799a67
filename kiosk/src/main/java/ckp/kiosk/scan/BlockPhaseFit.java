package ckp.kiosk.scan;

/**
 * The smooth offset a {@link BentGridReader} bends its grid by in one module direction: a cubic in the code's
 * normalised coordinates (x and y in [-1, 1] over the code), fitted to the phases of the module edges measured per
 * block. Kept apart from the edge measuring so each reads on its own: this is the arithmetic of the fit.
 */
final class BlockPhaseFit {
    /** Terms of the cubic in (x, y): 1, x, y, x^2, xy, y^2, x^3, x^2y, xy^2, y^3. */
    static final int TERMS = 10;

    private BlockPhaseFit() {
    }

    /**
     * The masked 15-bit format information of a QR code for its 5 data bits (error correction level and mask): the
     * BCH(15, 5) code with generator 0x537, XORed with 0x5412 (ISO/IEC 18004, 7.9). Here because the bent grid's
     * check that a grid is a code's reads it.
     */
    static int formatCode(int data) {
        int remainder = data << 10;
        for (int bit = 14; bit >= 10; bit--) {
            if ((remainder >> bit & 1) != 0) {
                remainder ^= 0x537 << (bit - 10);
            }
        }
        return ((data << 10) | remainder) ^ 0x5412;
    }

    /** The coefficients of x^0..x^3 of a cubic (in the order of {@link #fillTerms}) at a fixed y. */
    static void rowCubic(double[] c, double y, double[] out) {
        out[0] = c[0] + c[2] * y + c[5] * y * y + c[9] * y * y * y;
        out[1] = c[1] + c[4] * y + c[8] * y * y;
        out[2] = c[3] + c[7] * y;
        out[3] = c[6];
    }

    /** The cubic's terms at normalised (x, y). */
    private static void fillTerms(double x, double y, double[] terms) {
        terms[0] = 1;
        terms[1] = x;
        terms[2] = y;
        terms[3] = x * x;
        terms[4] = x * y;
        terms[5] = y * y;
        terms[6] = x * x * x;
        terms[7] = x * x * y;
        terms[8] = x * y * y;
        terms[9] = y * y * y;
    }

    /**
     * The cubic through the unwrapped block phases, refitted after each block whose phase lies a whole module or more
     * from the cubic is turned to the nearest (a block the unwrapping took the wrong way round), up to four times.
     */
    static double[] fit(double[] phase, double[] weight, int blocks, double blockSize, int dimension) {
        double[] terms = new double[TERMS];
        double s = 2.0 / dimension;
        for (int iteration = 0; iteration < 4; iteration++) {
            double[] c = leastSquares(phase, weight, blocks, blockSize, dimension, terms);
            if (c == null) {
                return null;
            }
            boolean changed = false;
            for (int by = 0; by < blocks; by++) {
                for (int bx = 0; bx < blocks; bx++) {
                    int b = by * blocks + bx;
                    if (weight[b] <= 0) {
                        continue;
                    }
                    fillTerms((bx + 0.5) * blockSize * s - 1, (by + 0.5) * blockSize * s - 1, terms);
                    double predicted = 0;
                    for (int i = 0; i < TERMS; i++) {
                        predicted += c[i] * terms[i];
                    }
                    double turn = Math.rint(predicted - phase[b]);
                    if (turn != 0) {
                        phase[b] += turn;
                        changed = true;
                    }
                }
            }
            if (!changed) {
                return c;
            }
        }
        return leastSquares(phase, weight, blocks, blockSize, dimension, terms);
    }

    /**
     * The cubic (weighted least squares, lightly damped towards zero so that sparse blocks cannot swing the far
     * corners) through the block phases at the blocks' centres; null when fewer than a cubic's worth of blocks hold edges.
     */
    private static double[] leastSquares(double[] phase, double[] weight, int blocks, double blockSize, int dimension,
                                         double[] terms) {
        double[][] a = new double[TERMS][TERMS + 1];
        int used = 0;
        double total = 0;
        double s = 2.0 / dimension;
        for (int by = 0; by < blocks; by++) {
            for (int bx = 0; bx < blocks; bx++) {
                int b = by * blocks + bx;
                double w = weight[b];
                if (w <= 0) {
                    continue;
                }
                used++;
                total += w;
                fillTerms((bx + 0.5) * blockSize * s - 1, (by + 0.5) * blockSize * s - 1, terms);
                for (int i = 0; i < TERMS; i++) {
                    for (int j = 0; j < TERMS; j++) {
                        a[i][j] += w * terms[i] * terms[j];
                    }
                    a[i][TERMS] += w * terms[i] * phase[b];
                }
            }
        }
        if (used < 2 * TERMS) {
            return null;
        }
        for (int i = 0; i < TERMS; i++) {
            a[i][i] += 1e-3 * total;
        }
        return solve(a);
    }

    /** Gauss-Jordan elimination with partial pivoting on an augmented matrix; null when singular. */
    private static double[] solve(double[][] a) {
        int n = a.length;
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
                    pivot = r;
                }
            }
            if (Math.abs(a[pivot][c]) < 1e-12) {
                return null;
            }
            double[] t = a[c];
            a[c] = a[pivot];
            a[pivot] = t;
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = a[r][c] / a[c][c];
                    for (int k = c; k <= n; k++) {
                        a[r][k] -= f * a[c][k];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = a[i][n] / a[i][i];
        }
        return x;
    }

}
