package ckp.kiosk.scan;

import com.google.zxing.DecodeHintType;
import com.google.zxing.ReaderException;
import com.google.zxing.ResultPoint;
import com.google.zxing.common.BitArray;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.DecoderResult;
import com.google.zxing.common.GridSampler;
import com.google.zxing.common.PerspectiveTransform;
import com.google.zxing.qrcode.decoder.Decoder;
import com.google.zxing.qrcode.detector.Detector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds QR finder patterns on a binarized plane by the distances between like edges (dark-to-light to dark-to-light,
 * light-to-dark to light-to-dark) and reads the codes they frame. Blur, glare and a screen's glow move every edge of a
 * finder pattern the same way, so dark runs grow and light runs shrink (or the reverse) while the spacing of like
 * edges stays a whole number of modules; ZXing's finder search compares each run with the module size and misses such
 * patterns (a dark-mode phone with glare: its light modules bloom), where zxing-cpp, which compares edge-to-edge
 * distances, finds them. Used when ZXing's own search found no triple or could not place a grid on it.
 */
final class EdgeToEdgeFinder extends Detector {
    /** Rows searched: every second (a finder's centre is three modules, at least six pixels at 2 px a module). */
    static final int ROW_STEP = 2;
    /** At most this many candidate patterns are kept; a busy frame (text, noise) stops adding beyond it. */
    static final int MAX_CANDIDATES = 48;
    /** The least share of timing-pattern modules a grid must match before it is sampled whole (see {@link #timingAgreement}). */
    static final double MIN_TIMING_AGREEMENT = 0.7;
    /** Rows a candidate must be seen on to be combined into triples. */
    static final int MIN_ROWS = 2;
    /** The best-supported candidates that are combined into triples. */
    static final int TRIPLE_CANDIDATES = 12;
    /** At most this many triples are sampled and decoded per search: each costs a grid and a Reed-Solomon decode. */
    static final int MAX_TRIPLES = 4;

    /** One finder pattern: its centre, module size and how many rows confirmed it. */
    record Candidate(float x, float y, float moduleSize, int count) {
    }

    private final BitMatrix image;
    private final Decoder decoder = new Decoder();

    EdgeToEdgeFinder(BitMatrix image) {
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
        Search search = new EdgeToEdgeFinder(matrix).read(hints, p -> {
            DecodedCode.Point where = plane.toFrame(p.getX(), p.getY());
            return findings.codes.values().stream().anyMatch(c -> c.contains(where));
        }, budget::pastWallDeadline);
        for (AlignedGridReader.ReadCode r : search.read()) {
            found.add(findings, inFrame(r.text(), r.corners(), plane), inverted);
        }
        // A triple that did not read gets no outline and starts no later steps: on frames with no code, text and
        // texture make such triples now and then, and the later steps would cost the median frame. Where codes were
        // read, it is counted as unread, so that BoofCV looks once more for another code (a multi-code frame).
        for (float[][] corners : search.unread()) {
            findings.unread.add(inFrame("", corners, plane).centre());
        }
        return !search.read().isEmpty();
    }

    private static DecodedCode inFrame(String text, float[][] corners, LumaPlane plane) {
        List<DecodedCode.Point> points = new ArrayList<>(4);
        for (float[] c : corners) {
            points.add(plane.toFrame(c[0], c[1]));
        }
        return new DecodedCode(text, points);
    }

    /** The result of one search: the codes read and whether any triple of finder patterns was found. */
    record Search(List<AlignedGridReader.ReadCode> read, List<float[][]> unread) {
        boolean sawTriple() {
            return !read.isEmpty() || !unread.isEmpty();
        }
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
        List<Candidate> found = candidates().stream().filter(c -> c.count() >= MIN_ROWS).toList();
        if (found.size() < 3) {
            return new Search(read, unread);
        }
        int tried = 0;
        for (ResultPoint[] t : triples(found)) {
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
            float module = ((Candidate3) t[3]).module;
            Optional<AlignedGridReader.ReadCode> code = readTriple(tl, tr, bl, module, hints);
            if (code.isPresent()) {
                read.add(code.get());
            } else {
                unread.add(AlignedGridReader.corners(tl, tr, bl, null, dimensions(tl, tr, bl, module)[0]));
            }
        }
        return new Search(read, unread);
    }

    /** Carries a triple's mean module size beside its three points. */
    private static final class Candidate3 extends ResultPoint {
        final float module;

        Candidate3(float module) {
            super(0, 0);
            this.module = module;
        }
    }

    /** Every finder pattern found on every {@link #ROW_STEP}th row, confirmed across, merged where they coincide. */
    List<Candidate> candidates() {
        int width = image.getWidth();
        int height = image.getHeight();
        List<float[]> found = new ArrayList<>(); // x, y, module, count
        BitArray row = new BitArray(width);
        int[] runs = new int[width + 1];
        for (int y = ROW_STEP / 2; y < height && found.size() < MAX_CANDIDATES; y += ROW_STEP) {
            row = image.getRow(y, row);
            // Run lengths of the row; runs[0] is dark when the row starts dark, else it is light.
            boolean startsDark = row.get(0);
            int n = 0;
            int x = 0;
            boolean dark = startsDark;
            while (x < width) {
                int next = dark ? row.getNextUnset(x) : row.getNextSet(x);
                runs[n++] = next - x;
                x = next;
                dark = !dark;
            }
            int first = startsDark ? 0 : 1; // runs at even offsets from here are dark
            int start = 0;
            for (int i = 0; i < first; i++) {
                start += runs[i];
            }
            for (int i = first; i + 4 < n; i += 2) {
                if (pattern(runs[i], runs[i + 1], runs[i + 2], runs[i + 3], runs[i + 4])) {
                    float cx = start + runs[i] + runs[i + 1] + runs[i + 2] / 2f;
                    int total = runs[i] + runs[i + 1] + runs[i + 2] + runs[i + 3] + runs[i + 4];
                    confirm(cx, y, total, found);
                }
                start += runs[i] + runs[i + 1];
            }
        }
        List<Candidate> out = new ArrayList<>();
        for (float[] f : found) {
            out.add(new Candidate(f[0], f[1], f[2], (int) f[3]));
        }
        out.sort(Comparator.comparingInt(Candidate::count).reversed());
        return out;
    }

    /**
     * Whether five runs (dark, light, dark, light, dark) are a finder pattern's 1:1:3:1:1 by their like-edge
     * spacings: the centre run and a neighbour span four modules, an outer run and its neighbour two, each within
     * three quarters of a module; and the centre run is the longest.
     */
    static boolean pattern(int a, int b, int c, int d, int e) {
        int total = a + b + c + d + e;
        if (total < 7 || c <= Math.max(Math.max(a, e), Math.max(b, d))) {
            return false;
        }
        float module = total / 7f;
        float tolerance = 0.75f * module + 0.5f;
        return Math.abs(a + b - 2 * module) <= tolerance && Math.abs(b + c - 4 * module) <= tolerance
                && Math.abs(c + d - 4 * module) <= tolerance && Math.abs(d + e - 2 * module) <= tolerance;
    }

    /** Checks a row's candidate down its column and again along its refined row; adds or merges it. */
    private void confirm(float cx, int y, int total, List<float[]> found) {
        int x = (int) cx;
        float[] vertical = crossRuns(x, y, total, false);
        if (vertical == null) {
            return;
        }
        float cy = vertical[0];
        float[] horizontal = crossRuns(x, (int) cy, total, true);
        if (horizontal == null) {
            return;
        }
        float refinedX = horizontal[0];
        // The module from the inner like-edge spacings (centre run plus a neighbour: four modules), which glow and
        // blur do not stretch as they stretch the pattern's outer width.
        float module = (vertical[2] + horizontal[2]) / 16f;
        for (float[] f : found) {
            if (Math.abs(f[0] - refinedX) <= 2 * f[2] && Math.abs(f[1] - cy) <= 2 * f[2]) {
                float n = f[3];
                f[0] = (f[0] * n + refinedX) / (n + 1);
                f[1] = (f[1] * n + cy) / (n + 1);
                f[2] = (f[2] * n + module) / (n + 1);
                f[3] = n + 1;
                return;
            }
        }
        found.add(new float[] {refinedX, cy, module, 1});
    }

    /**
     * The five runs through (x, y) along a column (or a row), centred on the dark run holding the point: its centre
     * the runs' total length and the two inner like-edge spacings together (eight modules), or null when they are not a finder pattern or span far more than {@code total}
     * (a pattern seen at a slant is shorter or longer one way, by less than two and a half times).
     */
    private float[] crossRuns(int x, int y, int total, boolean alongRow) {
        int limit = alongRow ? image.getWidth() : image.getHeight();
        int at = alongRow ? x : y;
        if (!dark(x, y, alongRow, at)) {
            return null;
        }
        int max = total * 5 / 2;
        int[] back = new int[3];
        int[] ahead = new int[3];
        int i = at;
        for (int k = 0; k < 3; k++) {
            boolean wantDark = k != 1;
            while (i >= 0 && dark(x, y, alongRow, i) == wantDark && back[k] <= max) {
                back[k]++;
                i--;
            }
            if (back[k] == 0 || back[k] > max) {
                return null;
            }
        }
        i = at + 1;
        for (int k = 0; k < 3; k++) {
            boolean wantDark = k != 1;
            if (k == 0) {
                // The centre run's part ahead of the point (it may be none).
                while (i < limit && dark(x, y, alongRow, i) && ahead[0] <= max) {
                    ahead[0]++;
                    i++;
                }
                continue;
            }
            while (i < limit && dark(x, y, alongRow, i) == wantDark && ahead[k] <= max) {
                ahead[k]++;
                i++;
            }
            if (ahead[k] == 0 || ahead[k] > max) {
                return null;
            }
        }
        int centreRun = back[0] + ahead[0];
        if (!pattern(back[2], back[1], centreRun, ahead[1], ahead[2])) {
            return null;
        }
        int sum = back[2] + back[1] + centreRun + ahead[1] + ahead[2];
        if (sum * 5 < total * 2 || sum > max) {
            return null;
        }
        float centre = (at - back[0] + 1 + at + ahead[0]) / 2f + 0.5f;
        return new float[] {centre, sum, back[1] + 2 * centreRun + ahead[1]};
    }

    private boolean dark(int x, int y, boolean alongRow, int at) {
        return alongRow ? image.get(at, y) : image.get(x, at);
    }

    /**
     * Triples of the best-supported candidates that could be a code's three finder patterns (similar module sizes,
     * a corner between 63 and 117 degrees, sides within a factor of two, 14 to 170 modules apart), best first. Each
     * is bottom-left, top-left, top-right and a {@link Candidate3} with the mean module size.
     */
    private static List<ResultPoint[]> triples(List<Candidate> found) {
        int n = Math.min(found.size(), TRIPLE_CANDIDATES);
        List<ResultPoint[]> out = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                for (int k = j + 1; k < n; k++) {
                    Candidate a = found.get(i);
                    Candidate b = found.get(j);
                    Candidate c = found.get(k);
                    float smallest = Math.min(a.moduleSize(), Math.min(b.moduleSize(), c.moduleSize()));
                    float largest = Math.max(a.moduleSize(), Math.max(b.moduleSize(), c.moduleSize()));
                    if (largest > 2 * smallest) {
                        continue;
                    }
                    ResultPoint[] p = {new ResultPoint(a.x(), a.y()), new ResultPoint(b.x(), b.y()), new ResultPoint(c.x(), c.y())};
                    ResultPoint.orderBestPatterns(p);
                    double s1 = ResultPoint.distance(p[1], p[2]);
                    double s2 = ResultPoint.distance(p[1], p[0]);
                    double cos = ((p[2].getX() - p[1].getX()) * (p[0].getX() - p[1].getX())
                            + (p[2].getY() - p[1].getY()) * (p[0].getY() - p[1].getY())) / (s1 * s2);
                    // Runs along rows and columns cross a turned square's centre on a chord longer than its side by
                    // 1 / max(|cos|, |sin|) of the turn: the module along the code's own sides is that much less.
                    double turn = Math.atan2(p[2].getY() - p[1].getY(), p[2].getX() - p[1].getX());
                    float module = (float) ((a.moduleSize() + b.moduleSize() + c.moduleSize()) / 3
                            * Math.max(Math.abs(Math.cos(turn)), Math.abs(Math.sin(turn))));
                    double apart = (s1 + s2) / 2 / module;
                    if (Math.abs(cos) > 0.45 || Math.min(s1, s2) * 2 < Math.max(s1, s2) || apart < 14 || apart > 170) {
                        continue;
                    }
                    double score = Math.abs(cos) + Math.abs(Math.log(s1 / s2)) + Math.log(largest / smallest);
                    int at = 0;
                    while (at < scores.size() && scores.get(at) <= score) {
                        at++;
                    }
                    scores.add(at, score);
                    out.add(at, new ResultPoint[] {p[0], p[1], p[2], new Candidate3(module)});
                }
            }
        }
        return out;
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
            } catch (com.google.zxing.ChecksumException e) {
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
