package ckp.kiosk.scan;

import ckp.drivers.camera.Frame;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Finds every QR code in a luma plane with ZXing and BoofCV, trying the {@link DecodeStep}s in order until codes are
 * read or the frame's time budget is spent: a step is skipped when, at the speed first steps have shown, it would end
 * past the budget, so a frame costs at most about the budget and the decoder keeps up with the camera. On a camera
 * frame where the {@link #FIRST_LOOK} steps found nothing that could be a code, the frame ends there: most frames a
 * kiosk sees hold no code, and they no longer spend the budget; when one of its attempts saw two single finder
 * patterns but no triple (a shadow's edge across a code, an over-exposed code's thinned modules), only
 * {@link DecodeStep#EVEN_LIGHT} and {@link DecodeStep#CLIPPED_WHITE} (which does nothing on a frame without a clipped
 * white plateau) run after it. Time is
 * the decoding thread's CPU time.
 * Inside the steps, a grid placed on a code that did not read is refitted ({@link DecodeStep#ALIGNED_GRID},
 * {@link DecodeStep#BOOFCV_QUAD_ZXING}), read with its unsure codewords as erasures ({@link DecodeStep#SOFT_DECISION}),
 * and bent to the code's own module edges ({@link BentGridReader}: bent paper, lens distortion) while time remains.
 * Once a step has read codes, the decoder stops, unless a step saw finder patterns it could not read outside them:
 * then one BoofCV pass (which reports every code at once) looks for the rest. The first step reads the camera's
 * buffer in place (the stride is ZXing's and BoofCV's row width, so padded rows cost nothing). Corners are in the
 * frame's pixel coordinates whatever the step's scale or turn. Not thread-safe: one decoder per worker thread (it
 * keeps BoofCV's detectors and buffers between frames).
 */
public final class QrDecoder implements FrameDecoder {
    /** The longest side ZXing sees first; a 4032x3024 phone photo is shrunk to 1008x756, where its modules are a few pixels wide. */
    static final int FIRST_PASS_MAX_SIDE = 1280;
    /**
     * BoofCV also looks at half size when the first plane's shorter side is at least this: a phone photo's close-up;
     * a 640x480 camera frame's modules (2-5 pixels) would not survive halving.
     */
    static final int HALF_SIZE_BOOFCV_MIN_SIDE = 600;
    /** Frames at most this long on their longest side also get a doubled pass. */
    static final int DOUBLE_SIZE_MAX_SIDE = 640;

    /**
     * The steps that look at every camera frame: ZXing and BoofCV, each in both polarities. On the camera-model
     * frames (seed 1, unlimited budget) they read every code but one that any step read, and that one's frame had a
     * finder triple in them; of the 78 frames they did not read (40 with no code), 70 showed neither detector a
     * triple or a candidate, and no later step read any of those. At 640x480 they cost about 8 ms of CPU together.
     */
    static final Set<DecodeStep> FIRST_LOOK = EnumSet.of(DecodeStep.HYBRID, DecodeStep.FLIPPED, DecodeStep.INVERTED,
            DecodeStep.BOOFCV, DecodeStep.BOOFCV_INVERTED);

    /**
     * The first look goes on to {@link DecodeStep#EVEN_LIGHT} (and past it only when that finds a triple) when one of
     * its attempts saw this many single finder patterns, though no triple: a shadow's edge across a code hides the
     * third. On the shadowed photos (seed 11) the camera decoder then reads 92 of 110, not 70; letting such frames run
     * every later step read 97 but raised the empty 640x480 frames' median by half; three finders gained 1.
     */
    static final int PARTIAL_FINDERS = 2;

    /** The steps a first look that saw only {@link #PARTIAL_FINDERS} single finder patterns goes on to. */
    static final Set<DecodeStep> AFTER_PARTIAL_FINDERS = EnumSet.of(DecodeStep.EVEN_LIGHT, DecodeStep.CLIPPED_WHITE);

    /** Rescues inside other steps, not steps of their own: listed so a step set can leave them out. */
    static final Set<DecodeStep> RESCUES = EnumSet.of(DecodeStep.ALIGNED_GRID, DecodeStep.EDGE_FINDER,
            DecodeStep.BOOFCV_QUAD_ZXING, DecodeStep.SOFT_DECISION);

    /**
     * The first look's ZXing steps: on a camera frame, the rescues of a grid they found and could not read (bent,
     * soft, the like-edge finder search) wait until BoofCV has looked too, and run only when no code was read or for
     * one outside the codes read. BoofCV reads most such codes at its own cost; rescuing first took the seed-3 640x480
     * median from 8.1 to 10.8 ms of CPU. The plain refit to the alignment patterns still runs at once, as before.
     */
    static final Set<DecodeStep> ZXING_FIRST_LOOK = EnumSet.of(DecodeStep.HYBRID, DecodeStep.FLIPPED, DecodeStep.INVERTED);

    private final boolean stopWithoutFinders;
    private final List<DecodeStep> steps;
    private final StepBudget budget;
    private final StepRunner runner;
    /** Whether the last code read was light on dark (a phone in dark mode); the next frame looks that way first. */
    private boolean lastReadInverted;

    /** A decoder with every step and the default budget per frame. */
    public QrDecoder() {
        this(Duration.ofMillis(ScanConfig.DEFAULT_BUDGET_MILLIS), EnumSet.allOf(DecodeStep.class));
    }

    public QrDecoder(Duration budget) {
        this(budget, EnumSet.allOf(DecodeStep.class));
    }

    /**
     * @param budget no step starts that would end past this time on a frame (the first step always runs)
     * @param steps  the steps to try, in {@link DecodeStep} order; fewer steps measure what each is worth
     */
    public QrDecoder(Duration budget, Set<DecodeStep> steps) {
        this(budget, List.copyOf(steps.isEmpty() ? EnumSet.noneOf(DecodeStep.class) : EnumSet.copyOf(steps)));
    }

    /**
     * @param budget no step starts that would end past this time on a frame (the first step always runs)
     * @param steps  the steps to try, in this order (the benchmark measures orders other than {@link DecodeStep}'s)
     */
    public QrDecoder(Duration budget, List<DecodeStep> steps) {
        this(budget, steps, true);
    }

    /**
     * @param budget               no step starts that would end past this much of the decoder's time on a frame
     * @param steps                the steps to try, in this order
     * @param stopWithoutFinders   whether a frame ends after the {@link #FIRST_LOOK} steps when none of them found a
     *                             finder-pattern triple or a BoofCV candidate (camera frames: most have no code, and
     *                             they set the median); false for files, where every step within the budget runs
     */
    public QrDecoder(Duration budget, List<DecodeStep> steps, boolean stopWithoutFinders) {
        this(budget, budget.multipliedBy(WALL_CUT_OFF_FACTOR), steps, stopWithoutFinders, QrDecoder::threadCpuNanos, System::nanoTime);
    }

    /**
     * The wall-clock cut-off is this many times the budget: a frame's decoding ends within about twice
     * {@code scan.budget.ms} of wall time (plus the step then running) however busy the core. At the default 60 ms
     * that is 120 ms, two camera frames at 15 fps: a driver waiting at the lane loses at most a frame or two to a
     * preempted decode, and the one-frame slot in {@link Scanner} drops the frames that arrive meanwhile anyway.
     * Twice and not once: on a kiosk's own core the CPU-time budget already ends a frame near the budget, and the
     * cut-off is for a core taken by something else, where cutting at the budget would drop the first look's BoofCV
     * steps on every short hiccup.
     */
    static final int WALL_CUT_OFF_FACTOR = 2;

    /**
     * @param budget             the CPU time (of {@code workClock}) by which steps are chosen: no step starts that
     *                           would end past it, but the {@link #FIRST_LOOK} runs whole once started
     * @param wallCutOff         no step starts once this much wall time (of {@code wallClock}) has passed on a frame,
     *                           and BoofCV's rescues stop: a frame's decoding ends within it plus one step, whatever
     *                           the CPU time says (the first step always runs)
     * @param workClock          nanoseconds of the decoding thread's own time
     * @param wallClock          nanoseconds of the wall clock (System::nanoTime; tests inject a scripted one)
     */
    QrDecoder(Duration budget, Duration wallCutOff, List<DecodeStep> steps, boolean stopWithoutFinders,
              LongSupplier workClock, LongSupplier wallClock) {
        this.stopWithoutFinders = stopWithoutFinders;
        this.budget = new StepBudget(budget, wallCutOff, workClock, wallClock);
        this.steps = List.copyOf(steps);
        this.runner = new StepRunner(steps.isEmpty() ? EnumSet.noneOf(DecodeStep.class) : EnumSet.copyOf(steps), this.budget);
    }

    /** The codes the last frame's steps found and none read (a read-only hook for the aiming view). */
    @Override
    public List<UnreadCode> lastUnread() {
        return lastUnread;
    }

    private List<UnreadCode> lastUnread = List.of();

    /** The codes in the frame, each once; empty when there are none. */
    @Override
    public List<DecodedCode> decode(Frame frame) {
        return decode(frame, steps, budget.budgetNanos(), budget.wallCutOffNanos());
    }

    /**
     * Runs every step of this decoder on made-up frames (a code, the same code in dark mode, and no code, at 640x480
     * and 1280x720), with no budget, then forgets what it learnt of the steps' costs. A step's first runs are
     * interpreted by the JVM and take up to ten times longer (measured: a screen-moiré pass of 316 ms where 13 ms was
     * expected, 127 ms for BoofCV's inverted pass), and a camera frame that meets such a run ends far past the
     * budget; a kiosk calls this before its camera starts, a benchmark before it times. Takes a few seconds.
     */
    public void warmUp() {
        budget.warmUp(steps, (f, step) -> decode(f, List.of(step), Long.MAX_VALUE, Long.MAX_VALUE));
        lastReadInverted = false;
    }

    private List<DecodedCode> decode(Frame frame, List<DecodeStep> steps, long budgetNanos, long wallCutOffNanos) {
        budget.startFrame(budgetNanos, wallCutOffNanos);
        LumaPlane full = LumaPlane.of(frame.luma(), frame.width(), frame.height(), frame.stride());
        int longest = Math.max(frame.width(), frame.height());
        int shrink = (longest + FIRST_PASS_MAX_SIDE - 1) / FIRST_PASS_MAX_SIDE;
        LumaPlane first = shrink > 1 ? full.shrunk(shrink) : full;
        boolean firstStep = true;
        // The same phone stays in front of the camera for many frames: after a dark-mode read, look inverted first.
        boolean firstInverted = lastReadInverted;
        boolean normalSawFinders = false;
        boolean invertedSawFinders = false;
        FrameFindings findings = new FrameFindings();
        runner.startFrame(first);
        boolean boofRan = false;
        boolean anySawFinders = false;
        boolean firstLookRan = false;
        int mostFindersSeen = 0;
        stepsRun = 0;
        for (DecodeStep step : steps) {
            if (RESCUES.contains(step)) {
                continue; // rescues inside other steps, not steps of their own
            }
            if (!FIRST_LOOK.contains(step) && runner.rescuesDeferred()) {
                runDeferredRescues(findings);
            }
            if (!findings.codes.isEmpty()) {
                // Codes were read. Another may be in view where a step found finder patterns it could not read: one
                // BoofCV pass (it reports every code at once) looks for it, and nothing more is spent on this frame.
                if (!findings.unreadRemain() || boofRan || step != DecodeStep.BOOFCV) {
                    if (!findings.unreadRemain() || boofRan || !steps.contains(DecodeStep.BOOFCV)) {
                        break;
                    }
                    continue;
                }
            }
            if (stopWithoutFinders && firstLookRan && !anySawFinders && !FIRST_LOOK.contains(step)) {
                // The first look found nothing that could be a code, in either polarity, with either detector: on a
                // camera frame the later steps would spend the budget on a frame with no code (see FIRST_LOOK). Two
                // single finder patterns are let through to the even-light and clipped-white steps only, which look for the third.
                if (mostFindersSeen < PARTIAL_FINDERS) {
                    break;
                }
                if (!AFTER_PARTIAL_FINDERS.contains(step)) {
                    continue;
                }
            }
            if (!applies(step, first, shrink)) {
                // Not a step for this frame's size: no time spent, and nothing learnt of its cost (a no-op learnt
                // as a cost of zero let BOOFCV_HALF_SIZE start with no time left on the next 1280x720 frame).
                continue;
            }
            if (!firstStep && budget.pastWallDeadline()) {
                // The core was taken from this frame (a load spike, a GC pause): the CPU-time budget would let steps
                // run on, but a driver at the lane waits in wall time. The next frame starts afresh.
                budget.countWallCutOff();
                break;
            }
            findings.unread.clear();
            long stepStart = budget.workNanos();
            long px = StepBudget.pixels(step, first, shrink);
            // On a camera frame the first look runs whole once the first step has run within a budget: its BoofCV
            // steps read most of the codes ZXing's do not, and a skipped step's estimate never comes down, so an
            // estimate inflated once (the warm-up under load, a slow core) skipped them on every later frame (a
            // 15 ms budget read 37 of 125 seed-1 codes). The wall-clock cut-off still ends it.
            boolean firstLookWhole = stopWithoutFinders && budgetNanos > 0 && FIRST_LOOK.contains(step);
            if (!firstStep && !firstLookWhole && budget.wouldEndPastBudget(step, px, stepStart)) {
                // This step would not finish within the budget; later ones may be smaller (HALF_SIZE after a
                // skipped DOUBLE_SIZE), so go on looking. Its estimate stays: the warm-up measured it warm, and one
                // slow run moves it by a fifth at most. (Estimates that faded while a step was skipped fell under a
                // millisecond for the doubled-frame and screen-moiré steps, which then ran 20-70 ms past a 60 ms
                // budget on the camera-model frames.)
                continue;
            }
            if (step == DecodeStep.BOOFCV) {
                boofRan = true;
            }
            // Later steps look at the polarity in which finder patterns were seen: dark mode when only the inverted pass saw them.
            boolean later = invertedSawFinders && !normalSawFinders;
            // BoofCV looks the way ZXing saw finder patterns, or when neither way did, the way this frame started.
            boolean boofInverted = later || (!normalSawFinders && !invertedSawFinders && firstInverted);
            stepsRun++;
            runner.deferRescues(stopWithoutFinders && ZXING_FIRST_LOOK.contains(step));
            runner.run(step, first, full, shrink, firstInverted, boofInverted, later, findings);
            boolean sawFinders = runner.sawFinders();
            anySawFinders |= sawFinders;
            if (FIRST_LOOK.contains(step)) {
                mostFindersSeen = Math.max(mostFindersSeen, runner.findersSeen());
            }
            firstLookRan |= FIRST_LOOK.contains(step);
            if (step == DecodeStep.HYBRID || step == DecodeStep.INVERTED) {
                boolean wasInverted = (step == DecodeStep.INVERTED) != firstInverted;
                if (wasInverted) {
                    invertedSawFinders |= sawFinders;
                } else {
                    normalSawFinders |= sawFinders;
                }
            } else if (step == DecodeStep.BOOFCV && sawFinders) {
                if (boofInverted) {
                    invertedSawFinders = true;
                } else {
                    normalSawFinders = true;
                }
            }
            budget.learn(step, px, stepStart, firstStep);
            firstStep = false;
            if (!findings.codes.isEmpty() && runner.readInverted() != null) {
                lastReadInverted = runner.readInverted();
            }
        }
        if (runner.rescuesDeferred()) {
            runDeferredRescues(findings);
        }
        runner.endFrame();
        lastUnread = findings.outlines.isEmpty() ? List.of() : findings.stillUnread();
        return List.copyOf(findings.codes.values());
    }

    /** The rescues the first look's ZXing steps left for after its BoofCV steps ({@link #ZXING_FIRST_LOOK}). */
    private void runDeferredRescues(FrameFindings findings) {
        runner.runDeferredRescues(findings);
        if (!findings.codes.isEmpty() && runner.readInverted() != null) {
            lastReadInverted = runner.readInverted();
        }
    }

    /** Whether a step has anything to do on a frame of this size (a half-size BoofCV pass on a close-up, ...). */
    private static boolean applies(DecodeStep step, LumaPlane first, int shrink) {
        int shorter = Math.min(first.width(), first.height());
        int longer = Math.max(first.width(), first.height());
        return switch (step) {
            case BOOFCV_FULL_SIZE, FULL_SIZE -> shrink > 1;
            case BOOFCV_HALF_SIZE -> shorter >= HALF_SIZE_BOOFCV_MIN_SIDE;
            case HALF_SIZE -> shorter >= 160;
            case DOUBLE_SIZE, DOUBLE_SIZE_LOCAL_MEAN -> longer <= DOUBLE_SIZE_MAX_SIDE;
            // Only over-exposed frames: run as a no-op elsewhere, its cost would be learnt as nearly nothing and the
            // step would then start with no time left on the first clipped frame.
            case CLIPPED_WHITE -> ClippedWhiteBinarizer.clipLevel(first.luma(), first.width(), first.height(), first.stride()) >= 0;
            default -> true;
        };
    }

    /** How many frames the wall-clock cut-off has ended early since this decoder was made (the benchmark reports it). */
    long wallCutOffs() {
        return budget.wallCutOffs();
    }

    /** How many steps ran on the last frame (rescues inside steps not counted). */
    int stepsRun() {
        return stepsRun;
    }

    private int stepsRun;

    /** The step that read the first code of the last frame, for the benchmark's account of what each step is worth. */
    Optional<DecodeStep> lastReadBy() {
        return runner.lastReadBy();
    }

    /** The decoder's own time: the calling thread's CPU time where the JVM can read it (Linux), else the wall clock. */
    static long threadCpuNanos() {
        return StepBudget.threadCpuNanos();
    }
}
