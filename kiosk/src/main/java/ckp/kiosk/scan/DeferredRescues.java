package ckp.kiosk.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The rescues of grids the first look's ZXing steps found and could not read (bent, soft, the like-edge finder
 * search), kept until the first look's BoofCV steps have run: on a camera frame BoofCV reads most such codes at its
 * own cost, and rescuing first made the frames it reads about 5 ms slower (seed 3, 640x480: the median frame 8.1 to
 * 10.8 ms of CPU). One per decoder; cleared with every frame.
 */
final class DeferredRescues {
    /** A waiting rescue: the step it came from, the code it is for (null: unknown), and whether it may find another code. */
    private record Waiting(DecodeStep step, DecodedCode.Point centre, boolean forOtherCodes, Runnable rescue) { }

    private final List<Waiting> waiting = new ArrayList<>();

    void add(DecodeStep step, DecodedCode.Point centre, boolean forOtherCodes, Runnable rescue) {
        waiting.add(new Waiting(step, centre, forOtherCodes, rescue));
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    void clear() {
        waiting.clear();
    }

    /**
     * Runs them: all when no code was read, else those that may find a code outside the codes read (a multi-code
     * frame). None starts once {@code spent} says the frame's time is up.
     *
     * @param asStep told the step each rescue came from before it runs, so a read is credited to that step
     */
    void run(FrameFindings findings, BooleanSupplier spent, Consumer<DecodeStep> asStep) {
        List<Waiting> now = List.copyOf(waiting);
        waiting.clear();
        for (Waiting w : now) {
            if (spent.getAsBoolean()) {
                break;
            }
            boolean outside = w.centre() == null
                    || findings.codes.values().stream().noneMatch(c -> c.contains(w.centre()));
            if (findings.codes.isEmpty() || (w.forOtherCodes() && outside)) {
                asStep.accept(w.step());
                w.rescue().run();
            }
        }
    }
}
