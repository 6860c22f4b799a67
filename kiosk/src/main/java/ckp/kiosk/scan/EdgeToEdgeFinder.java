package ckp.kiosk.scan;

import com.google.zxing.ResultPoint;
import com.google.zxing.common.BitArray;
import com.google.zxing.common.BitMatrix;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds QR finder patterns on a binarized plane by the distances between like edges (dark-to-light to dark-to-light,
 * light-to-dark to light-to-dark) and combines them into triples that could frame a code. Blur, glare and a screen's
 * glow move every edge of a finder pattern the same way, so dark runs grow and light runs shrink (or the reverse)
 * while the spacing of like edges stays a whole number of modules; ZXing's finder search compares each run with the
 * module size and misses such patterns (a dark-mode phone with glare: its light modules bloom), where zxing-cpp, which
 * compares edge-to-edge distances, finds them. {@link EdgeFinderRescue} reads the triples.
 */
final class EdgeToEdgeFinder {
    /** Rows searched: every second (a finder's centre is three modules, at least six pixels at 2 px a module). */
    static final int ROW_STEP = 2;
    /** At most this many candidate patterns are kept; a busy frame (text, noise) stops adding beyond it. */
    static final int MAX_CANDIDATES = 48;
    /** The best-supported candidates that are combined into triples. */
    static final int TRIPLE_CANDIDATES = 12;

    /** One finder pattern: its centre, module size and how many rows confirmed it. */
    record Candidate(float x, float y, float moduleSize, int count) {
    }

    private final BitMatrix image;

    EdgeToEdgeFinder(BitMatrix image) {
        this.image = image;
    }

    /** Carries a triple's mean module size beside its three points. */
    static final class Candidate3 extends ResultPoint {
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
    static List<ResultPoint[]> triples(List<Candidate> found) {
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
}
