package ckp.kiosk.scan;

import com.google.zxing.DecodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.NotFoundException;
import com.google.zxing.ResultPoint;
import com.google.zxing.common.HybridBinarizer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The {@link DecodeStep#BOOFCV_QUAD_ZXING} rescue a {@link StepRunner} runs inside a BoofCV step: ZXing's decoder on
 * the grid of a code BoofCV found and could not read, kept apart because it is ZXing's grid fitting fed BoofCV's geometry.
 */
final class BoofQuadRescue {
    private BoofQuadRescue() {
    }

    /**
     * Two thresholds to sample the grid on: ZXing's own, and the local mean that follows light changing within a
     * few modules; none when ZXing cannot binarize the plane. Each tries {@code soft} (null for none) on a grid that
     * does not read, then bends it, unless {@code spent} says the frame's time is up.
     */
    static List<AlignedGridReader> grids(LumaPlane plane, boolean inverted, SoftDecisionRescue soft, BooleanSupplier spent) {
        LuminanceSource source = inverted ? plane.source().invert() : plane.source();
        try {
            return List.of(new AlignedGridReader(new HybridBinarizer(source).getBlackMatrix(), soft, spent),
                    new AlignedGridReader(new LocalMeanBinarizer(source, LocalMeanBinarizer.WIDE_WINDOW_RADIUS).getBlackMatrix(), soft, spent));
        } catch (NotFoundException e) {
            return List.of();
        }
    }

    /**
     * ZXing's decoder on the grid of a code BoofCV found and could not read: fitted to BoofCV's three finder centres
     * and outer corners and to the alignment patterns, at BoofCV's version when it read one, else at the version the
     * finders' spacing gives and its two neighbours.
     */
    static Optional<AlignedGridReader.ReadCode> read(AlignedGridReader grid, BoofQrReader.Found f, Map<DecodeHintType, Object> hints) {
        // BoofCV's "right" finder pattern is the one beside the bottom-left corner (bounds vertex 3), its "down" one
        // the one beside the top-right corner (bounds vertex 1): its grid runs rows first.
        var tl = BoofQrReader.centre(f.corner());
        var tr = BoofQrReader.centre(f.down());
        var bl = BoofQrReader.centre(f.right());
        double module = (BoofQrReader.side(f.corner()) + BoofQrReader.side(f.right()) + BoofQrReader.side(f.down())) / 21.0;
        if (!(module > 0.5)) {
            return Optional.empty();
        }
        int[] versions;
        if (f.version() >= 1 && f.version() <= 40) {
            versions = new int[] {f.version()};
        } else {
            double across = (tl.distance(tr) + tl.distance(bl)) / 2 / module + 7;
            int v = (int) Math.round((across - 17) / 4);
            versions = new int[] {v, v - 1, v + 1};
        }
        for (int v : versions) {
            if (v < 1 || v > 40) {
                continue;
            }
            int dimension = 17 + 4 * v;
            List<double[]> outer = List.of(
                    new double[] {0, 0, f.bounds().get(0).x, f.bounds().get(0).y},
                    new double[] {dimension, 0, f.bounds().get(1).x, f.bounds().get(1).y},
                    new double[] {0, dimension, f.bounds().get(3).x, f.bounds().get(3).y});
            Optional<AlignedGridReader.ReadCode> read = grid.readAt(point(tl), point(tr), point(bl), null, outer,
                    dimension, (float) module, hints);
            if (read.isPresent()) {
                return read;
            }
        }
        return Optional.empty();
    }

    private static ResultPoint point(georegression.struct.point.Point2D_F64 p) {
        return new ResultPoint((float) p.x, (float) p.y);
    }
}
