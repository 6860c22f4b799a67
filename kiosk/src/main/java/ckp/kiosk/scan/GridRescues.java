package ckp.kiosk.scan;

import com.google.zxing.DecodeHintType;
import com.google.zxing.ResultPoint;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.DetectorResult;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rescues of a ZXing grid that found finder patterns and did not read: the refit to every alignment pattern
 * ({@link AlignedGridReader}, which bends a grid that still fails), then the soft-decision reading of ZXing's own
 * grid, as the decoder's step set allows and while the frame has time.
 */
final class GridRescues {
    private final Set<DecodeStep> stepSet;
    private final Map<DecodeHintType, Object> hints;
    private final StepBudget budget;

    GridRescues(Set<DecodeStep> stepSet, Map<DecodeHintType, Object> hints, StepBudget budget) {
        this.stepSet = stepSet;
        this.hints = hints;
        this.budget = budget;
    }

    /**
     * A ZXing grid that did not read, refit to every alignment pattern; with {@code whole}, also bent to the code's
     * module edges and read soft (the fitted grid, then ZXing's own), as the step set allows.
     */
    Optional<AlignedGridReader.ReadCode> read(DetectorResult d, BitMatrix matrix, LumaPlane plane, boolean inverted,
                                              boolean whole) {
        ResultPoint[] p = d.getPoints();
        int dimension = d.getBits().getWidth();
        SoftDecisionRescue soft = whole ? soft(plane, inverted) : null;
        Optional<AlignedGridReader.ReadCode> refit = stepSet.contains(DecodeStep.ALIGNED_GRID)
                ? new AlignedGridReader(matrix, soft, whole ? budget::spent : () -> true).read(d, hints) : Optional.empty();
        if (refit.isEmpty() && soft != null) {
            // Neither grid read hard: ZXing's own grid, its modules weighed by how sure each is.
            float[][] corners = AlignedGridReader.corners(p[1], p[2], p[0], p.length > 3 ? p[3] : null, dimension);
            refit = soft.read(AlignedGridReader.zxingGrid(p[1], p[2], p[0], p.length > 3 ? p[3] : null, dimension), dimension)
                    .map(r -> new AlignedGridReader.ReadCode(r.result().getText(), r.mirrored() ? AlignedGridReader.mirrored(corners) : corners));
        }
        return refit;
    }

    /** The soft-decision rescue on this plane, stopping once the frame's time is spent; null when the step set leaves it out. */
    SoftDecisionRescue soft(LumaPlane plane, boolean inverted) {
        return stepSet.contains(DecodeStep.SOFT_DECISION)
                ? new SoftDecisionRescue(plane, inverted, hints, budget::spent) : null;
    }
}
