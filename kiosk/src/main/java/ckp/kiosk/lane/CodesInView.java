package ckp.kiosk.lane;

import ckp.kiosk.pass.PassFormat;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The codes in one frame, sorted out for the lane's one decision: a pass is preferred over any other code (a car
 * park ticket or a URL on the same dashboard), and two different passes at once are a decision of their own
 * (manual, {@code multiple_passes}): the kiosk cannot tell whose pass belongs to this vehicle.
 *
 * @param chosen the code the vehicle is handled by: the pass when there is one, the first pass of the most
 *               preferred format when there are several, else the first code
 * @param passes every different pass in view, in the order of the formats' preference then of the frame
 */
public record CodesInView(String chosen, List<String> passes) {
    public CodesInView {
        Objects.requireNonNull(chosen, "chosen");
        passes = List.copyOf(passes);
    }

    /** Two or more different passes are in view. */
    public boolean multiplePasses() {
        return passes.size() > 1;
    }

    /**
     * Sorts the codes of a frame.
     *
     * @param texts   the codes decoded in one frame, at least one
     * @param formats the pass formats, most preferred first ({@link PassFormat#KNOWN})
     */
    public static CodesInView of(List<String> texts, List<PassFormat> formats) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("a frame's codes in view need at least one code");
        }
        Set<String> passes = new LinkedHashSet<>();
        for (PassFormat format : formats) {
            for (String text : texts) {
                if (format.matches(text)) {
                    passes.add(text);
                }
            }
        }
        List<String> ordered = new ArrayList<>(passes);
        return new CodesInView(ordered.isEmpty() ? texts.get(0) : ordered.get(0), ordered);
    }
}
