package ckp.kiosk.scan;

import com.google.zxing.ChecksumException;
import com.google.zxing.DecodeHintType;
import com.google.zxing.FormatException;
import com.google.zxing.ReaderException;
import com.google.zxing.ResultPoint;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.DecoderResult;
import com.google.zxing.common.DetectorResult;
import com.google.zxing.common.GridSampler;
import com.google.zxing.common.PerspectiveTransform;
import com.google.zxing.qrcode.decoder.Decoder;
import com.google.zxing.qrcode.decoder.QRCodeDecoderMetaData;
import com.google.zxing.qrcode.decoder.Version;
import com.google.zxing.qrcode.detector.AlignmentPattern;
import com.google.zxing.qrcode.detector.Detector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a QR code whose module grid ZXing's own detector places wrongly. ZXing fits the grid to the three finder
 * patterns and one alignment pattern, so on codes of version 7 and up (a 200-character pass) seen at a slant, one
 * misplaced point skews the far modules by a module or more and the checksum fails. This reader finds every alignment
 * pattern the version has and fits the grid's perspective to all of them by least squares, as zxing-cpp does.
 */
final class AlignedGridReader extends Detector {
    private final BitMatrix image;
    private final Decoder decoder = new Decoder();
    /** The soft-decision rescue on the same plane, tried when a fitted grid does not read; null for none. */
    private final SoftDecisionRescue soft;

    AlignedGridReader(BitMatrix image) {
        this(image, null);
    }

    AlignedGridReader(BitMatrix image, SoftDecisionRescue soft) {
        super(image);
        this.image = image;
        this.soft = soft;
    }

    /**
     * The code ZXing's detector placed (its grid did not read), refitted to every alignment pattern; empty when the
     * version has none to refit to or the refitted grid does not read either.
     */
    Optional<ReadCode> read(DetectorResult detected, Map<DecodeHintType, ?> hints) {
        try {
            ResultPoint[] p = detected.getPoints();
            int dimension = detected.getBits().getWidth();
            if (Version.getProvisionalVersionForDimension(dimension).getAlignmentPatternCenters().length < 2) {
                // Version 1 has no alignment pattern to refit to: ZXing's grid is all there is, and it did not read.
                return Optional.empty();
            }
            return readAt(p[1], p[2], p[0], p.length > 3 ? p[3] : null, List.of(), dimension,
                    calculateModuleSize(p[1], p[2], p[0]), hints);
        } catch (ReaderException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads the code whose finder pattern centres are given (found by another detector: BoofCV), fitting the grid to
     * them, to {@code extraPairs} (module x, module y, pixel x, pixel y: e.g. a finder pattern's outer corner) and to
     * every alignment pattern found near where that fit puts it.
     *
     * @param alignment ZXing's bottom-right alignment pattern when its detector found one, else null
     */
    Optional<ReadCode> readAt(ResultPoint topLeft, ResultPoint topRight, ResultPoint bottomLeft, ResultPoint alignment,
                              List<double[]> extraPairs, int dimension, float moduleSize, Map<DecodeHintType, ?> hints) {
        try {
            Version version = Version.getProvisionalVersionForDimension(dimension);
            int[] centres = version.getAlignmentPatternCenters();
            List<double[]> pairs = new ArrayList<>();
            pairs.add(new double[] {3.5, 3.5, topLeft.getX(), topLeft.getY()});
            pairs.add(new double[] {dimension - 3.5, 3.5, topRight.getX(), topRight.getY()});
            pairs.add(new double[] {3.5, dimension - 3.5, bottomLeft.getX(), bottomLeft.getY()});
            pairs.addAll(extraPairs);
            int fixedPairs = pairs.size();
            // The first guess: the parallelogram of the finders, the fit to the extra points, or ZXing's own
            // four-point grid when it found its alignment pattern.
            double[] h = fixedPairs >= 4 ? fit(pairs) : affine(pairs, dimension);
            if (alignment != null) {
                pairs.add(new double[] {dimension - 6.5, dimension - 6.5, alignment.getX(), alignment.getY()});
                h = fit(pairs);
                pairs.remove(pairs.size() - 1);
            }
            if (h == null) {
                return Optional.empty();
            }
            // Two rounds: the second searches where the first fit predicts, which is closer than the first guess.
            for (int round = 0; round < 2 && centres.length >= 2; round++) {
                while (pairs.size() > fixedPairs) {
                    pairs.remove(pairs.size() - 1);
                }
                for (int cx : centres) {
                    for (int cy : centres) {
                        boolean underFinder = (cx == 6 && cy == 6) || (cx == 6 && cy == centres[centres.length - 1])
                                || (cy == 6 && cx == centres[centres.length - 1]);
                        if (underFinder) {
                            continue;
                        }
                        float[] est = apply(h, cx + 0.5, cy + 0.5);
                        try {
                            AlignmentPattern found = findAlignmentInRegion(moduleSize, (int) est[0], (int) est[1], 2.5f);
                            double dx = found.getX() - est[0];
                            double dy = found.getY() - est[1];
                            if (dx * dx + dy * dy <= 2.25 * moduleSize * moduleSize) {
                                pairs.add(new double[] {cx + 0.5, cy + 0.5, found.getX(), found.getY()});
                            }
                        } catch (ReaderException e) {
                            // This alignment pattern is hidden (glare, a finger); the others carry the fit.
                        }
                    }
                }
                if (pairs.size() < 5) {
                    if (fixedPairs >= 4) {
                        break;
                    }
                    return Optional.empty();
                }
                double[] refit = fit(pairs);
                if (refit == null) {
                    return Optional.empty();
                }
                h = refit;
            }
            float[] a = apply(h, 3.5, 3.5);
            float[] b = apply(h, dimension - 3.5, 3.5);
            float[] c = apply(h, dimension - 3.5, dimension - 3.5);
            float[] d = apply(h, 3.5, dimension - 3.5);
            PerspectiveTransform fitted = PerspectiveTransform.quadrilateralToQuadrilateral(
                    3.5f, 3.5f, dimension - 3.5f, 3.5f, dimension - 3.5f, dimension - 3.5f, 3.5f, dimension - 3.5f,
                    a[0], a[1], b[0], b[1], c[0], c[1], d[0], d[1]);
            BitMatrix bits = GridSampler.getInstance().sampleGrid(image, dimension, dimension, fitted);
            float[][] corners = {apply(h, 0, 0), apply(h, dimension, 0), apply(h, dimension, dimension), apply(h, 0, dimension)};
            DecoderResult result;
            try {
                result = decoder.decode(bits, hints);
            } catch (ChecksumException | FormatException e) {
                Optional<SoftDecisionRescue.Read> read = soft == null ? Optional.empty() : soft.read(fitted, dimension);
                return read.map(r -> new ReadCode(r.result().getText(), r.mirrored() ? mirrored(corners) : corners));
            }
            return Optional.of(new ReadCode(result.getText(), mirroredIfSo(corners, result)));
        } catch (ReaderException e) {
            return Optional.empty();
        }
    }

    /**
     * The corners in the code's own order: a mirrored code (read transposed) has its top-right and bottom-left
     * corners swapped relative to the grid that was sampled.
     */
    static float[][] mirroredIfSo(float[][] corners, DecoderResult result) {
        if (result.getOther() instanceof QRCodeDecoderMetaData meta && meta.isMirrored()) {
            return mirrored(corners);
        }
        return corners;
    }

    /** The corners of a code read transposed, in the code's own order (top-right and bottom-left swapped). */
    static float[][] mirrored(float[][] corners) {
        return new float[][] {corners[0], corners[3], corners[2], corners[1]};
    }

    /**
     * The four outer corners (top-left, top-right, bottom-right, bottom-left) of a code read through ZXing's own grid:
     * its finder centres and, when found, its alignment pattern, mapped as ZXing's detector maps them.
     */
    static float[][] corners(ResultPoint topLeft, ResultPoint topRight, ResultPoint bottomLeft, ResultPoint alignment, int dimension) {
        PerspectiveTransform t = zxingGrid(topLeft, topRight, bottomLeft, alignment, dimension);
        float[] pts = {0, 0, dimension, 0, dimension, dimension, 0, dimension};
        t.transformPoints(pts);
        return new float[][] {{pts[0], pts[1]}, {pts[2], pts[3]}, {pts[4], pts[5]}, {pts[6], pts[7]}};
    }

    /** The grid ZXing's detector samples (module coordinates to pixels): its finder centres and alignment pattern, mapped as it maps them. */
    static PerspectiveTransform zxingGrid(ResultPoint topLeft, ResultPoint topRight, ResultPoint bottomLeft, ResultPoint alignment, int dimension) {
        float dimMinusThree = dimension - 3.5f;
        float brX;
        float brY;
        float sourceBr;
        if (alignment != null) {
            brX = alignment.getX();
            brY = alignment.getY();
            sourceBr = dimMinusThree - 3.0f;
        } else {
            brX = topRight.getX() - topLeft.getX() + bottomLeft.getX();
            brY = topRight.getY() - topLeft.getY() + bottomLeft.getY();
            sourceBr = dimMinusThree;
        }
        return PerspectiveTransform.quadrilateralToQuadrilateral(
                3.5f, 3.5f, dimMinusThree, 3.5f, sourceBr, sourceBr, 3.5f, dimMinusThree,
                topLeft.getX(), topLeft.getY(), topRight.getX(), topRight.getY(), brX, brY, bottomLeft.getX(), bottomLeft.getY());
    }

    /** A decoded text and its four corners (top-left, top-right, bottom-right, bottom-left) in the binarized image's coordinates. */
    record ReadCode(String text, float[][] corners) {
    }

    /** The affine map through the three finder centres (module coordinates to pixels), as a homography with no perspective. */
    private static double[] affine(List<double[]> finders, int dimension) {
        double[] tl = finders.get(0);
        double[] tr = finders.get(1);
        double[] bl = finders.get(2);
        double span = dimension - 7.0;
        double ax = (tr[2] - tl[2]) / span;
        double ay = (tr[3] - tl[3]) / span;
        double bx = (bl[2] - tl[2]) / span;
        double by = (bl[3] - tl[3]) / span;
        return new double[] {ax, bx, tl[2] - 3.5 * ax - 3.5 * bx, ay, by, tl[3] - 3.5 * ay - 3.5 * by, 0, 0};
    }

    static float[] apply(double[] h, double x, double y) {
        double w = h[6] * x + h[7] * y + 1;
        return new float[] {(float) ((h[0] * x + h[1] * y + h[2]) / w), (float) ((h[3] * x + h[4] * y + h[5]) / w)};
    }

    /** The least-squares homography (h[8] = 1) from module coordinates to image pixels; null when degenerate. */
    static double[] fit(List<double[]> pairs) {
        double[][] ata = new double[8][8];
        double[] atb = new double[8];
        for (double[] q : pairs) {
            double x = q[0];
            double y = q[1];
            double u = q[2];
            double v = q[3];
            double[][] rows = {{x, y, 1, 0, 0, 0, -u * x, -u * y}, {0, 0, 0, x, y, 1, -v * x, -v * y}};
            double[] rhs = {u, v};
            for (int r = 0; r < 2; r++) {
                for (int i = 0; i < 8; i++) {
                    atb[i] += rows[r][i] * rhs[r];
                    for (int j = 0; j < 8; j++) {
                        ata[i][j] += rows[r][i] * rows[r][j];
                    }
                }
            }
        }
        for (int c = 0; c < 8; c++) {
            int piv = c;
            for (int r = c + 1; r < 8; r++) {
                if (Math.abs(ata[r][c]) > Math.abs(ata[piv][c])) {
                    piv = r;
                }
            }
            if (Math.abs(ata[piv][c]) < 1e-12) {
                return null;
            }
            double[] t = ata[c];
            ata[c] = ata[piv];
            ata[piv] = t;
            double tb = atb[c];
            atb[c] = atb[piv];
            atb[piv] = tb;
            for (int r = 0; r < 8; r++) {
                if (r != c) {
                    double f = ata[r][c] / ata[c][c];
                    for (int k = c; k < 8; k++) {
                        ata[r][k] -= f * ata[c][k];
                    }
                    atb[r] -= f * atb[c];
                }
            }
        }
        double[] h = new double[8];
        for (int i = 0; i < 8; i++) {
            h[i] = atb[i] / ata[i][i];
        }
        return h;
    }
}
