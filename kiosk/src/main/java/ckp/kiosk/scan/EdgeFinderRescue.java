package ckp.kiosk.scan;

import com.google.zxing.ChecksumException;
import com.google.zxing.DecodeHintType;
import com.google.zxing.ReaderException;
import com.google.zxing.ResultPoint;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.DecoderResult;
import com.google.zxing.common.GridSampler;
import com.google.zxing.common.PerspectiveTransform;
import com.google.zxing.qrcode.decoder.Decoder;
import com.google.zxing.qrcode.detector.Detector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rescue in a ZXing step whose own finder search found nothing it could read: the triples {@link EdgeToEdgeFinder}
 * finds by like-edge spacing are checked on their timing patterns, sampled at the likely sizes and decoded, so that
 * blurred, glared and glowing finder patterns (dark-mode phones) are read, while frames with no code stay cheap.
 */
final class EdgeFinderRescue extends Detector {
    /** The least share of timing-pattern modules a grid must match before it is sampled whole (see {@link #timingAgreement}). */
    static final double MIN_TIMING_AGREEMENT = 0.7;
    /** Rows a candidate must be seen on to be combined into triples. */
    static final int MIN_ROWS = 2;
    /** At most this many triples are sampled and decoded per search: each costs a grid and a Reed-Solomon decode. */
    static final int MAX_TRIPLES = 4;

    private final BitMatrix image;
    private final Decoder decoder = new Decoder();

    EdgeFinderRescue(BitMatrix image) {
        super(image);
        this.image = image;
    }

    /** Where a rescue's reads go: the step runner's account of a code found in a polarity. */
    interface Found {
        void add(FrameFindings findings, DecodedCode code, boolean inverted);
    }

    /**
     * The rescue in a ZXing step whose own finder search found nothing it could read: searches the same binarized
     * plane and adds every code read (corners in the frame's pixels).
     *
     * @return whether it read a code
     */
    static boolean rescue(BitMatrix matrix, LumaPlane plane, boolean inverted, Map<DecodeHintType, ?> hints,
                          FrameFindings findings, StepBudget budget, Found found) {
        Search search = new EdgeFinderRescue(matrix).read(hints, p -> {
            DecodedCode.Point where = plane.toFrame(p.getX(), p.getY());
            return findings.codes.values().stream().anyMatch(c -> c.contains(where));
        }, budget::spent);
        for (AlignedGridReader.ReadCode r : search.read()) {
            if (finite(r.corners())) {
                found.add(findings, plane.codeInFrame(r.text(), r.corners()), inverted);
            }
        }
        // A triple that did not read gets no outline and starts no later steps: on frames with no code, text and
        // texture make such triples now and then, and the later steps would cost the median frame. Where codes were
        // read, it is counted as unread, so that BoofCV looks once more for another code (a multi-code frame).
        for (float[][] corners : search.unread()) {
            if (finite(corners)) {
                findings.unread.add(plane.codeInFrame("", corners).centre());
            }
        }
        return !search.read().isEmpty();
    }

    /**
     * Whether every corner is a finite point: three finder centres on a line (a degenerate triple) make the grid's
     * perspective map singular and its corners NaN, which a frame's coordinates refuse.
     */
    static boolean finite(float[][] corners) {
        for (float[] c : corners) {
            if (!Float.isFinite(c[0]) || !Float.isFinite(c[1])) {
                return false;
            }
        }
        return true;
    }

    /** The result of one search: the codes read, and the corners of each triple tried that did not read. */
    record Search(List<AlignedGridReader.ReadCode> read, List<float[][]> unread) {
    }

    /**
     * Finds finder patterns (dark centre), combines them into triples and reads each of the best few.
     *
     * @param skip a point inside a code already read: triples centred there are not tried again
     * @param stop whether to stop (the frame's wall-clock cut-off), asked before each triple
     */
    Search read(Map<DecodeHintType, ?> hints, java.util.function.Predicate<ResultPoint> skip,
                java.util.function.BooleanSupplier stop) {
        List<AlignedGridReader.ReadCode> read = new ArrayList<>();
        List<float[][]> unread = new ArrayList<>();
        // Only patterns seen on two rows or more are combined: a true finder's three-module centre spans at least
        // three searched rows, and texture or noise that mimics one row of it rarely repeats on the next.
        List<EdgeToEdgeFinder.Candidate> found = new EdgeToEdgeFinder(image).candidates().stream().filter(c -> c.count() >= MIN_ROWS).toList();
        if (found.size() < 3) {
            return new Search(read, unread);
        }
        int tried = 0;
        for (ResultPoint[] t : EdgeToEdgeFinder.triples(found)) {
            if (tried >= MAX_TRIPLES || stop.getAsBoolean()) {
                break;
            }
            ResultPoint bl = t[0];
            ResultPoint tl = t[1];
            ResultPoint tr = t[2];
            ResultPoint centre = new ResultPoint((bl.getX() + tr.getX()) / 2, (bl.getY() + tr.getY()) / 2);
            if (skip.test(centre) || read.stream().anyMatch(r -> inside(r.corners(), centre))) {
                continue;
            }
            tried++;
            float module = ((EdgeToEdgeFinder.Candidate3) t[3]).module;
            Optional<AlignedGridReader.ReadCode> code = readTriple(tl, tr, bl, module, hints);
            if (code.isPresent()) {
                read.add(code.get());
            } else {
                unread.add(AlignedGridReader.corners(tl, tr, bl, null, dimensions(tl, tr, bl, module)[0]));
            }
        }
        return new Search(read, unread);
    }

    /**
     * The code's likely dimensions from the finders' spacing, nearest first: the two valid sizes (4k+1) around the
     * estimate, and from version 7 (45 modules) up the two beyond them as well: a module size measured on a slanted,
     * blurred pattern is off by a tenth, four modules at version 15, and a wrong size costs little there, the version
     * information (error-corrected, beside the finders) rejecting it before any codeword is read.
     */
    static int[] dimensions(ResultPoint tl, ResultPoint tr, ResultPoint bl, float module) {
        double apart = (ResultPoint.distance(tl, tr) + ResultPoint.distance(tl, bl)) / 2 / module;
        double estimate = apart + 7;
        int below = Math.max(21, Math.min(177, 4 * (int) Math.floor((estimate - 1) / 4) + 1));
        int above = Math.min(177, below + 4);
        boolean belowFirst = estimate - below <= above - estimate;
        List<Integer> out = new ArrayList<>(List.of(belowFirst ? below : above, belowFirst ? above : below));
        if (below >= 45) {
            out.add(belowFirst ? below - 4 : above + 4);
            out.add(belowFirst ? above + 4 : below - 4);
        }
        return out.stream().filter(d -> d >= 21 && d <= 177).distinct().mapToInt(Integer::intValue).toArray();
    }

    /** Samples and decodes the grid on a triple, at each likely dimension; with every alignment pattern for version 7 and up. */
    private Optional<AlignedGridReader.ReadCode> readTriple(ResultPoint tl, ResultPoint tr, ResultPoint bl, float module,
                                                            Map<DecodeHintType, ?> hints) {
        int[] dimensions = dimensions(tl, tr, bl, module);
        // One look for the bottom-right alignment pattern, where the likeliest size puts it: the other sizes move it
        // by a fraction of a module.
        ResultPoint alignment = alignment(tl, tr, bl, module, dimensions[0]);
        for (int dimension : dimensions) {
            if (dimension <= 21) {
                alignment = null;
            }
            try {
                float far = dimension - 3.5f;
                float brX = alignment != null ? alignment.getX() : tr.getX() - tl.getX() + bl.getX();
                float brY = alignment != null ? alignment.getY() : tr.getY() - tl.getY() + bl.getY();
                float sourceBr = alignment != null ? far - 3 : far;
                PerspectiveTransform t = PerspectiveTransform.quadrilateralToQuadrilateral(
                        3.5f, 3.5f, far, 3.5f, sourceBr, sourceBr, 3.5f, far,
                        tl.getX(), tl.getY(), tr.getX(), tr.getY(), brX, brY, bl.getX(), bl.getY());
                if (timingAgreement(t, dimension) < MIN_TIMING_AGREEMENT) {
                    continue;
                }
                BitMatrix bits = GridSampler.getInstance().sampleGrid(image, dimension, dimension, t);
                DecoderResult result = decoder.decode(bits, hints);
                float[][] corners = AlignedGridReader.corners(tl, tr, bl, alignment, dimension);
                return Optional.of(new AlignedGridReader.ReadCode(result.getText(), AlignedGridReader.mirroredIfSo(corners, result)));
            } catch (ChecksumException e) {
                // The format and version information read, so the size is right and the grid nearly so: from
                // version 7 up, refit it to every alignment pattern. (A FormatException says the size or the triple
                // is wrong: nothing to refit, and on frames with no code that is the usual outcome, kept cheap.)
                if (dimension >= 45) {
                    try {
                        Optional<AlignedGridReader.ReadCode> refit = new AlignedGridReader(image)
                                .readAt(tl, tr, bl, alignment, List.of(), dimension, module, hints);
                        if (refit.isPresent()) {
                            return refit;
                        }
                    } catch (IllegalArgumentException notADimension) {
                        // Not a valid size after all: the next estimate may be.
                    }
                }
            } catch (ReaderException e) {
                // Not this size, or not a code: the next size may read.
            }
        }
        return Optional.empty();
    }

    /**
     * The share of the two timing patterns' modules (row 6 and column 6, between the finders: dark, light, dark ...)
     * that the grid puts on pixels of the right colour. The timing patterns are the code's own ruler: at the right
     * size most modules agree, at a size four modules off the phase slips and half do, as on a triple that is not a
     * code; checking them costs a few hundred pixels where sampling and decoding a grid costs its whole area.
     */
    private double timingAgreement(PerspectiveTransform t, int dimension) {
        float[] points = new float[4 * (dimension - 16)];
        for (int i = 8, k = 0; i < dimension - 8; i++) {
            points[k++] = i + 0.5f;
            points[k++] = 6.5f;
            points[k++] = 6.5f;
            points[k++] = i + 0.5f;
        }
        t.transformPoints(points);
        int agree = 0;
        int seen = 0;
        for (int k = 0; k < points.length; k += 2) {
            int x = (int) points[k];
            int y = (int) points[k + 1];
            if (x >= 0 && y >= 0 && x < image.getWidth() && y < image.getHeight()) {
                seen++;
                boolean darkModule = ((k / 4) & 1) == 0; // module 8, 10, ... of a timing pattern is dark
                if (image.get(x, y) == darkModule) {
                    agree++;
                }
            }
        }
        return seen == 0 ? 0 : agree / (double) seen;
    }

    /** The bottom-right alignment pattern where the finders put it (versions 2 and up), or null when none is found there. */
    private ResultPoint alignment(ResultPoint tl, ResultPoint tr, ResultPoint bl, float module, int dimension) {
        if (dimension <= 21) {
            return null;
        }
        float correction = 1 - 3f / (dimension - 7);
        float x = tl.getX() + correction * (tr.getX() - tl.getX() + bl.getX() - tl.getX());
        float y = tl.getY() + correction * (tr.getY() - tl.getY() + bl.getY() - tl.getY());
        try {
            return findAlignmentInRegion(module, (int) x, (int) y, 4);
        } catch (ReaderException e) {
            return null; // hidden or blurred away: the finders' parallelogram places the grid
        }
    }

    private static boolean inside(float[][] corners, ResultPoint p) {
        boolean in = false;
        for (int i = 0, j = corners.length - 1; i < corners.length; j = i++) {
            float xi = corners[i][0];
            float yi = corners[i][1];
            float xj = corners[j][0];
            float yj = corners[j][1];
            if ((yi > p.getY()) != (yj > p.getY()) && p.getX() < (xj - xi) * (p.getY() - yi) / (yj - yi) + xi) {
                in = !in;
            }
        }
        return in;
    }
}
