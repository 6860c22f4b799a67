package ckp.kiosk.scan;

import com.google.zxing.DecodeHintType;
import com.google.zxing.ReaderException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.DecoderResult;
import com.google.zxing.qrcode.decoder.Decoder;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Reads a code whose modules do not lie on one homography (paper bent over a hand or a bottle, a crumpled printout,
 * lens distortion near the frame's edge) by bending a fitted grid to where the code's own module edges are. A fitted
 * homography is right near the points it was fitted to (finder and alignment patterns) and off by a fraction of a
 * module far from them, enough for the checksum to fail. Every module edge of the code (timing patterns, finders,
 * alignment patterns and the data itself) lies on a whole module coordinate, so where the bit changes along each row
 * and column of the grid measures how far the grid is off there: the mean phase of those changes, per block of
 * modules, is unwrapped from the top-left finder outwards and fitted by a smooth cubic offset in each module
 * direction, twice, and the modules are sampled where the bent grid puts them. ZXing's decoder (its Reed-Solomon
 * check) decides whether the result is the code.
 */
final class BentGridReader {
    /** Blocks per side over which edge phases are averaged: about 8 gives a cubic fit 40-64 points. */
    static final int BLOCKS_PER_SIDE = 8;
    /** Measure-and-fit rounds: the second measures the first's residue (and the far blocks the first could not unwrap). */
    static final int ROUNDS = 2;
    /** Edges a block needs (its coherent count, the length of its phase resultant) to count in the fit. */
    static final double MIN_BLOCK_EDGES = 3;
    /**
     * The least share of a direction's edges that must agree on their phase (the blocks' resultants over the edges):
     * a code's edges agree, noise's do not (about one over the square root of a block's edges). Measured on the curved
     * sets' ZXing grids: 0.3 reads all 19 that none reads, and the mean rescue costs 1.3 ms against 1.8 ms; 0.4 reads 18, 0.5 11.
     */
    static final double MIN_COHERENCE = 0.3;
    private static final int TERMS = BlockPhaseFit.TERMS;

    private final BitMatrix image;
    private final double[] h;
    private final int dimension;
    private final double step;
    /** Offsets, in modules, along u (columns) and v (rows): polynomial coefficients over the normalised code. */
    private final double[] offsetU = new double[TERMS];
    private final double[] offsetV = new double[TERMS];
    /**
     * The bent grid's pixel at each whole module coordinate from -1 to dimension + 1 (index + 1), remade after each
     * fit: within one module the map is as good as bilinear, and interpolating is far cheaper than the polynomial.
     */
    private final int nodes;
    private final double[] nodeX;
    private final double[] nodeY;
    private final double[] lineX;
    private final double[] lineY;

    private BentGridReader(BitMatrix image, double[] h, int dimension, double modulePx) {
        this.image = image;
        this.h = h;
        this.dimension = dimension;
        // About one sample per pixel, at least four per module, at most eight.
        this.step = 1.0 / Math.max(4, Math.min(8, Math.ceil(modulePx)));
        this.nodes = dimension + 3;
        this.nodeX = new double[nodes * nodes];
        this.nodeY = new double[nodes * nodes];
        this.lineX = new double[nodes];
        this.lineY = new double[nodes];
    }

    /** Remakes the node lattice from the homography and the current offsets. */
    private void placeNodes() {
        double s = 2.0 / dimension;
        double[] cu = new double[4];
        double[] cv = new double[4];
        for (int j = 0; j < nodes; j++) {
            double v = j - 1;
            double y = v * s - 1;
            // Along a row the cubic is a cubic in x alone: its four coefficients once, then Horner's rule per node.
            BlockPhaseFit.rowCubic(offsetU, y, cu);
            BlockPhaseFit.rowCubic(offsetV, y, cv);
            for (int i = 0; i < nodes; i++) {
                double u = i - 1;
                double x = u * s - 1;
                double pu = u + ((cu[3] * x + cu[2]) * x + cu[1]) * x + cu[0];
                double pv = v + ((cv[3] * x + cv[2]) * x + cv[1]) * x + cv[0];
                double w = h[6] * pu + h[7] * pv + 1;
                nodeX[j * nodes + i] = (h[0] * pu + h[1] * pv + h[2]) / w;
                nodeY[j * nodes + i] = (h[3] * pu + h[4] * pv + h[5]) / w;
            }
        }
    }

    /**
     * The code on {@code image} whose grid the homography {@code h} (module coordinates to pixels, h[8] = 1) places
     * nearly right, read on that grid bent to the code's module edges; empty when the bent grid does not read either,
     * or when {@code stop} says the frame's time is up.
     */
    static Optional<AlignedGridReader.ReadCode> read(BitMatrix image, double[] h, int dimension, double modulePx,
                                                     Decoder decoder, Map<DecodeHintType, ?> hints, BooleanSupplier stop) {
        if (h == null || !(modulePx > 0.5) || stop.getAsBoolean()) {
            return Optional.empty();
        }
        BentGridReader grid = new BentGridReader(image, h, dimension, modulePx);
        if (!grid.formatReadable()) {
            // Beside the finders the grid is right even on a bent code: no format information there, no code there.
            return Optional.empty();
        }
        for (int round = 0; round < ROUNDS; round++) {
            if (!grid.refine()) {
                return Optional.empty();
            }
        }
        try {
            DecoderResult result = decoder.decode(grid.sample(), hints);
            float[][] corners = {grid.corner(0, 0), grid.corner(dimension, 0), grid.corner(dimension, dimension),
                    grid.corner(0, dimension)};
            return Optional.of(new AlignedGridReader.ReadCode(result.getText(), AlignedGridReader.mirroredIfSo(corners, result)));
        } catch (ReaderException e) {
            return Optional.empty();
        }
    }

    /** The pixel of whole module coordinate (u, v) on the bent grid (from the lattice {@link #sample} placed last). */
    private float[] corner(int u, int v) {
        int n = (v + 1) * nodes + u + 1;
        return new float[] {(float) nodeX[n], (float) nodeY[n]};
    }

    /** The modules sampled at their centres on the bent grid, as ZXing's grid sampler does (light outside the image). */
    private BitMatrix sample() {
        placeNodes();
        BitMatrix bits = new BitMatrix(dimension);
        for (int y = 0; y < dimension; y++) {
            for (int x = 0; x < dimension; x++) {
                int n = (y + 1) * nodes + x + 1;
                double px = (nodeX[n] + nodeX[n + 1] + nodeX[n + nodes] + nodeX[n + nodes + 1]) / 4;
                double py = (nodeY[n] + nodeY[n + 1] + nodeY[n + nodes] + nodeY[n + nodes + 1]) / 4;
                if (dark(px, py) == 1) {
                    bits.set(x, y);
                }
            }
        }
        return bits;
    }

    /**
     * Whether either copy of the format information beside the finders, read on the unbent grid (as is or mirrored),
     * lies within 3 bits of a valid one, as ZXing's decoder accepts it: a finder triple that is not a code's (clutter,
     * a wrong pairing) is not worth bending, and most failed grids on frames with no code have none.
     */
    private boolean formatReadable() {
        placeNodes();
        for (boolean mirrored : new boolean[] {false, true}) {
            int first = 0;
            int second = 0;
            for (int i = 0; i < 6; i++) {
                first = (first << 1) | module(i, 8, mirrored);
            }
            first = (first << 1) | module(7, 8, mirrored);
            first = (first << 1) | module(8, 8, mirrored);
            first = (first << 1) | module(8, 7, mirrored);
            for (int j = 5; j >= 0; j--) {
                first = (first << 1) | module(8, j, mirrored);
            }
            for (int j = dimension - 1; j >= dimension - 7; j--) {
                second = (second << 1) | module(8, j, mirrored);
            }
            for (int i = dimension - 8; i < dimension; i++) {
                second = (second << 1) | module(i, 8, mirrored);
            }
            for (int data = 0; data < 32; data++) {
                int code = BlockPhaseFit.formatCode(data);
                if (Integer.bitCount(first ^ code) <= 3 || Integer.bitCount(second ^ code) <= 3) {
                    return true;
                }
            }
        }
        return false;
    }

    /** 1 for a dark module (i, j) of the unbent grid (column i, row j; transposed when mirrored), else 0. */
    private int module(int i, int j, boolean mirrored) {
        int x = mirrored ? j : i;
        int y = mirrored ? i : j;
        int n = (y + 1) * nodes + x + 1;
        return dark((nodeX[n] + nodeX[n + 1] + nodeX[n + nodes] + nodeX[n + nodes + 1]) / 4,
                (nodeY[n] + nodeY[n + 1] + nodeY[n + nodes] + nodeY[n + nodes + 1]) / 4) == 1 ? 1 : 0;
    }

    /** 1 for a dark pixel at (x, y), 0 for light, -1 outside the image. */
    private int dark(double x, double y) {
        int px = (int) Math.floor(x);
        int py = (int) Math.floor(y);
        if (px < 0 || py < 0 || px >= image.getWidth() || py >= image.getHeight()) {
            return -1;
        }
        return image.get(px, py) ? 1 : 0;
    }

    /**
     * One round: measures how far the current grid is off along each direction and adds it to the offsets; false when
     * too few blocks hold edges to fit (not a code, or not this grid).
     */
    private boolean refine() {
        // Columns are measured on the grid their rows' fit has already moved: both on one grid read 14, not 17.
        for (boolean alongU : new boolean[] {true, false}) {
            placeNodes();
            double[] fitted = measure(alongU);
            if (fitted == null) {
                return false;
            }
            double[] offset = alongU ? offsetU : offsetV;
            for (int i = 0; i < TERMS; i++) {
                offset[i] += fitted[i];
            }
        }
        return true;
    }

    /**
     * Measures where the bit changes along every module row ({@code alongU}) or column of the grid, averages the
     * phase of those changes per block, and fits the unwrapped phases; null when too few blocks hold edges to fit.
     */
    private double[] measure(boolean alongU) {
        int blocks = BLOCKS_PER_SIDE;
        double blockSize = (double) dimension / blocks;
        double[] sumCos = new double[blocks * blocks];
        double[] sumSin = new double[blocks * blocks];
        int edges = 0;
        int samples = (int) Math.floor((dimension + 1) / step) - 1;
        // Edge k lies between samples k - 1 and k, at -0.5 + (k - 0.5 + shift) * step: its phase is the table's
        // angle turned by the line's shift, which differs from line to line so that the sampling's own lattice
        // does not bias every line's edges the same way.
        double[] cos = new double[samples + 1];
        double[] sin = new double[samples + 1];
        for (int k = 1; k <= samples; k++) {
            double t = -0.5 + (k - 0.5) * step;
            cos[k] = Math.cos(2 * Math.PI * t);
            sin[k] = Math.sin(2 * Math.PI * t);
        }
        for (int line = 0; line < dimension; line++) {
            double across = line + 0.5;
            int acrossBlock = Math.min(blocks - 1, (int) (across / blockSize));
            for (int k = 0; k < nodes; k++) {
                int a = alongU ? (line + 1) * nodes + k : k * nodes + line + 1;
                int b = alongU ? a + nodes : a + 1;
                lineX[k] = (nodeX[a] + nodeX[b]) / 2;
                lineY[k] = (nodeY[a] + nodeY[b]) / 2;
            }
            double shift = (line * 0.6180339887) % 1.0;
            double turnCos = Math.cos(2 * Math.PI * shift * step);
            double turnSin = Math.sin(2 * Math.PI * shift * step);
            int previous = -1;
            for (int k = 0; k <= samples; k++) {
                double t = -0.5 + (k + shift) * step;
                int node = (int) Math.floor(t);
                double f = t - node;
                int n = node + 1;
                int bit = dark(lineX[n] + f * (lineX[n + 1] - lineX[n]), lineY[n] + f * (lineY[n + 1] - lineY[n]));
                if (previous >= 0 && bit >= 0 && bit != previous) {
                    double at = t - step / 2;
                    int alongBlock = Math.max(0, Math.min(blocks - 1, (int) Math.floor(at / blockSize)));
                    int blockIndex = alongU ? acrossBlock * blocks + alongBlock : alongBlock * blocks + acrossBlock;
                    sumCos[blockIndex] += cos[k] * turnCos - sin[k] * turnSin;
                    sumSin[blockIndex] += sin[k] * turnCos + cos[k] * turnSin;
                    edges++;
                }
                previous = bit;
            }
        }
        double[] phase = new double[blocks * blocks];
        double[] weight = new double[blocks * blocks];
        double coherent = 0;
        for (int b = 0; b < phase.length; b++) {
            // Edges into and out of dark runs together: measured apart (a threshold thins or thickens dark runs, and
            // the module's centre lies halfway), 14 of the curved frames' grids read against 18 together.
            double resultant = Math.hypot(sumCos[b], sumSin[b]);
            weight[b] = resultant >= MIN_BLOCK_EDGES ? resultant : 0;
            phase[b] = Math.atan2(sumSin[b], sumCos[b]) / (2 * Math.PI);
            coherent += weight[b];
        }
        if (coherent < MIN_COHERENCE * edges) {
            return null;
        }
        unwrap(phase, weight, blocks);
        return BlockPhaseFit.fit(phase, weight, blocks, blockSize, dimension);
    }

    /**
     * Unwraps the block phases (each known up to a whole module) outwards from the top-left block, where the finder the
     * grid was fitted to holds the grid right: each block takes the value nearest the weighted mean of its unwrapped
     * neighbours, so a grid off by more than half a module far from the finders is followed as long as it drifts less
     * than half a module from block to block.
     */
    private static void unwrap(double[] phase, double[] weight, int blocks) {
        boolean[] done = new boolean[phase.length];
        double[] reference = new double[phase.length];
        // Rings of growing distance from the top-left block, so each block has unwrapped neighbours when it comes.
        for (int ring = 0; ring < 2 * blocks - 1; ring++) {
            for (int by = 0; by < blocks; by++) {
                int bx = ring - by;
                if (bx < 0 || bx >= blocks) {
                    continue;
                }
                int b = by * blocks + bx;
                double sum = 0;
                double sumWeight = 0;
                for (int[] d : new int[][] {{-1, 0}, {0, -1}, {-1, -1}, {1, -1}}) {
                    int nx = bx + d[0];
                    int ny = by + d[1];
                    if (nx >= 0 && ny >= 0 && nx < blocks && ny < blocks && done[ny * blocks + nx]) {
                        double w = weight[ny * blocks + nx] + 0.1;
                        sum += w * reference[ny * blocks + nx];
                        sumWeight += w;
                    }
                }
                double near = sumWeight > 0 ? sum / sumWeight : 0;
                if (weight[b] > 0) {
                    phase[b] += Math.rint(near - phase[b]);
                    reference[b] = phase[b];
                } else {
                    reference[b] = near;
                }
                done[b] = true;
            }
        }
    }
}
