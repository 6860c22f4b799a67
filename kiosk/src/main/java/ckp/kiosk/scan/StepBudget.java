package ckp.kiosk.scan;

import ckp.drivers.camera.Frame;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.common.BitMatrix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * A {@link QrDecoder}'s time budget per frame and its estimate of what each step will cost there (learnt per-step
 * costs, the warm-up that measures them, the CPU-time budget and the wall-clock cut-off on injectable clocks), kept
 * apart so that the pipeline reads as the order of its steps and the arithmetic of skipping one lives in one place.
 */
final class StepBudget {
    /**
     * Later steps cost about twice the first step's time per pixel (resampling, more finder candidates, the
     * aligned-grid rescue): measured on the 640x480 kiosk frames with no code, all steps took 2.3x the estimate.
     */
    static final double STEP_COST_FACTOR = 2.0;

    /**
     * A step that has run before is estimated at its own average cost per pixel times this: a step's cost varies
     * from frame to frame (BoofCV's with the number of contours), and a step that ends past the budget delays the
     * next frame (measured before this margin and the per-step averages: 83 ms at most with a 60 ms budget).
     */
    static final double STEP_COST_MARGIN = 1.5;

    /** BoofCV's detector costs about this many times ZXing's first step per pixel (measured, docs/performance.md). */
    static final int BOOFCV_COST = 2;

    /** Rounds of {@link #warmUp}: enough for the JIT's first tier on every step's loops. */
    static final int WARM_UP_ROUNDS = 3;

    private final long budgetNanos;
    private final long wallCutOffNanos;
    private final LongSupplier workClock;
    private final LongSupplier wallClock;
    /** The wall-clock time (of {@link #wallClock}) after which no step starts on the current frame. */
    private long wallDeadline;
    /** The current frame's budget, its start in {@link #workNanos} time, its speed and slowness (see {@link #learn}). */
    private long frameBudgetNanos;
    private long frameStart;
    private double nanosPerPixel;
    private double frameSlowness;
    /** Nanoseconds per pixel of the first step, averaged over recent frames (see {@link #learnSpeed}). */
    private double nanosPerPixelAverage;
    /** Nanoseconds per pixel (in {@link #pixels} units) of each step, averaged over the frames it ran in. */
    private final double[] stepNanosPerPixel = new double[DecodeStep.values().length];
    private boolean warmingUp;
    private final double[] warmCost = new double[DecodeStep.values().length];
    private long wallCutOffs;

    /**
     * @param budget     the CPU time (of {@code workClock}) by which steps are chosen
     * @param wallCutOff no step starts once this much wall time (of {@code wallClock}) has passed on a frame
     * @param workClock  nanoseconds of the decoding thread's own time
     * @param wallClock  nanoseconds of the wall clock (System::nanoTime; tests inject a scripted one)
     */
    StepBudget(Duration budget, Duration wallCutOff, LongSupplier workClock, LongSupplier wallClock) {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("decode budget must not be negative, got " + budget);
        }
        if (wallCutOff.isNegative()) {
            throw new IllegalArgumentException("decode wall-clock cut-off must not be negative, got " + wallCutOff);
        }
        this.budgetNanos = budget.toNanos();
        this.wallCutOffNanos = wallCutOff.toNanos();
        this.workClock = workClock;
        this.wallClock = wallClock;
    }

    long budgetNanos() {
        return budgetNanos;
    }

    long wallCutOffNanos() {
        return wallCutOffNanos;
    }

    /** Starts a frame with this budget and cut-off (Long.MAX_VALUE for none, as the warm-up runs). */
    void startFrame(long budgetNanos, long wallCutOffNanos) {
        frameBudgetNanos = budgetNanos;
        frameStart = workNanos();
        long wallStart = wallClock.getAsLong();
        wallDeadline = wallCutOffNanos == Long.MAX_VALUE ? Long.MAX_VALUE : wallStart + wallCutOffNanos;
        nanosPerPixel = 0;
        frameSlowness = 1;
    }

    /** The current frame's CPU-time budget. */
    long frameBudgetNanos() {
        return frameBudgetNanos;
    }

    /**
     * Whether a step of this many pixels, starting now, would end past the frame's budget: estimated from its own
     * recent cost, or before it has run from the first step's speed, scaled by how slow this frame is.
     */
    boolean wouldEndPastBudget(DecodeStep step, long px, long stepStart) {
        long elapsed = stepStart - frameStart;
        double learned = stepNanosPerPixel[step.ordinal()];
        // A frame whose first step ran slower than usual (a busy image, a busy core) is slower in later steps
        // too, so a learnt estimate is scaled up by it as well (never down: a cheap first step says little).
        double estimate = learned > 0 ? STEP_COST_MARGIN * learned * px * Math.max(1, frameSlowness)
                : STEP_COST_FACTOR * nanosPerPixel * frameSlowness * px;
        return elapsed + estimate > frameBudgetNanos;
    }

    /** Learns what a step that started at {@code stepStart} cost, now that it has ended. */
    void learn(DecodeStep step, long px, long stepStart, boolean firstStep) {
        double perPixel = (workNanos() - stepStart) / (double) Math.max(1, px);
        if (warmingUp) {
            warmCost[step.ordinal()] = Math.max(warmCost[step.ordinal()], perPixel);
        }
        if (firstStep) {
            // A frame whose first step ran slower than that step usually does (a busy image, a busy core) will
            // be slower in steps that have not run yet too: their first estimates scale with it.
            double usual = stepNanosPerPixel[step.ordinal()];
            frameSlowness = usual > 0 ? Math.max(0.5, Math.min(4, perPixel / usual)) : 1;
            nanosPerPixel = learnSpeed(perPixel);
        }
        // Learning starts from the prior estimate, and one run moves it by at most a fifth of itself: the first
        // runs of a step are slow (class loading, the JIT), and a frame or two may be preempted.
        double before = stepNanosPerPixel[step.ordinal()];
        stepNanosPerPixel[step.ordinal()] = learned(before > 0 ? before : STEP_COST_FACTOR * nanosPerPixel, perPixel);
    }

    /**
     * Whether the current frame has spent its CPU-time budget or passed the wall-clock cut-off: a rescue inside a step
     * that is only worth its cost while time remains (a bent grid) does not start then.
     */
    boolean spent() {
        return workNanos() - frameStart > frameBudgetNanos || pastWallDeadline();
    }

    /**
     * Whether the current frame has spent half its CPU-time budget (or passed the wall-clock cut-off): a deferred
     * rescue can cost several milliseconds at 1280x720 (a bent grid, a like-edge search with four triples), so it
     * starts only while that much is surely left.
     */
    boolean halfSpent() {
        return workNanos() - frameStart > frameBudgetNanos / 2 || pastWallDeadline();
    }

    /** Whether the wall-clock cut-off has passed on the current frame. */
    boolean pastWallDeadline() {
        return wallDeadline != Long.MAX_VALUE && wallClock.getAsLong() - wallDeadline >= 0;
    }

    /** Counts a frame the wall-clock cut-off ended early. */
    void countWallCutOff() {
        wallCutOffs++;
    }

    /** How many frames the wall-clock cut-off has ended early since this budget was made. */
    long wallCutOffs() {
        return wallCutOffs;
    }

    /**
     * Runs every step on the {@link #warmUpFrames} for {@link #WARM_UP_ROUNDS} rounds with no budget, then keeps as
     * each step's cost the most any frame of the last round took (see {@link QrDecoder#warmUp}).
     */
    void warmUp(List<DecodeStep> steps, BiConsumer<Frame, DecodeStep> decodeUnbudgeted) {
        List<Frame> frames = warmUpFrames();
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            // The last round measures each step warm: its cost per pixel becomes the most any warm-up frame took.
            java.util.Arrays.fill(warmCost, 0);
            warmingUp = round == WARM_UP_ROUNDS - 1;
            java.util.Arrays.fill(stepNanosPerPixel, 0);
            nanosPerPixelAverage = 0;
            for (Frame f : frames) {
                for (DecodeStep step : steps) {
                    decodeUnbudgeted.accept(f, step);
                }
            }
        }
        warmingUp = false;
        System.arraycopy(warmCost, 0, stepNanosPerPixel, 0, warmCost.length);
        nanosPerPixelAverage = warmCost[steps.get(0).ordinal()];
    }

    /** A code, the same code in dark mode, and no code, at 640x480 and 1280x720, on seeded noise. */
    private static List<Frame> warmUpFrames() {
        List<Frame> frames = new ArrayList<>();
        java.util.Random random = new java.util.Random(7);
        for (int[] size : new int[][] {{640, 480}, {1280, 720}}) {
            int w = size[0];
            int h = size[1];
            BitMatrix code;
            try {
                code = new com.google.zxing.qrcode.QRCodeWriter().encode("CKP1:WARM-UP " + w, BarcodeFormat.QR_CODE, 0, 0);
            } catch (com.google.zxing.WriterException e) {
                throw new IllegalStateException("ZXing could not encode the warm-up code", e);
            }
            int module = 4;
            for (int kind = 0; kind < 3; kind++) {
                byte[] luma = new byte[w * h];
                for (int i = 0; i < luma.length; i++) {
                    luma[i] = (byte) (150 + random.nextInt(40));
                }
                if (kind < 2) {
                    int x0 = w / 3;
                    int y0 = h / 4;
                    for (int y = -4 * module; y < (code.getHeight() + 4) * module; y++) {
                        for (int x = -4 * module; x < (code.getWidth() + 4) * module; x++) {
                            boolean dark = x >= 0 && y >= 0 && x < code.getWidth() * module && y < code.getHeight() * module
                                    && code.get(x / module, y / module);
                            luma[(y0 + y) * w + x0 + x] = (byte) ((dark != (kind == 1)) ? 30 : 220);
                        }
                    }
                }
                frames.add(new Frame(luma, w, h, w, 0, 0));
            }
        }
        return frames;
    }

    /** How many pixels a step binarizes and searches: its cost, in units of the first step's time per pixel. */
    static long pixels(DecodeStep step, LumaPlane first, int shrink) {
        long px = (long) first.width() * first.height();
        return switch (step) {
            case HYBRID, FLIPPED, INVERTED, GLOBAL_HISTOGRAM, ALIGNED_GRID, EDGE_FINDER, BOOFCV_QUAD_ZXING, SOFT_DECISION,
                 QUARTER_TURN, SMOOTHED, LOCAL_MEAN_WIDE, LOCAL_MEAN_NARROW, SCREEN_MOIRE -> px;
            case CLIPPED_WHITE -> 2 * px;
            case BOOFCV, BOOFCV_INVERTED, BOOFCV_GLOBAL -> px * BOOFCV_COST;
            case EVEN_LIGHT -> px * (BOOFCV_COST + 2);
            case BOOFCV_HALF_SIZE -> px * BOOFCV_COST / 4;
            case BOOFCV_FULL_SIZE -> px * shrink * shrink * BOOFCV_COST;
            case HALF_SIZE -> px / 4;
            case DOUBLE_SIZE, DOUBLE_SIZE_LOCAL_MEAN -> px * 4;
            case FULL_SIZE -> px * shrink * shrink;
        };
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final boolean THREAD_CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported();

    /**
     * The decoder's own time: the calling thread's CPU time where the JVM can read it (Linux), else the wall clock.
     * The budget and the learnt step costs are in this time, so which steps run on a frame depends on the frame and
     * not on what else the core is doing: measured on this shared machine at a load of 16 on 2 cores, a budget on
     * the wall clock let BoofCV run on almost no frame (seed-1 camera frames read 33 of 125 codes, against 84 on CPU time).
     */
    long workNanos() {
        return workClock.getAsLong();
    }

    static long threadCpuNanos() {
        return THREAD_CPU_TIME ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** A step's cost per pixel, averaged over recent frames, as {@link #learnSpeed} averages the first step's. */
    private static double learned(double average, double now) {
        return 0.8 * average + 0.2 * Math.min(now, 2 * average);
    }

    /**
     * The decoder's speed from the first steps of recent frames: a moving average in which one slow frame (the thread
     * preempted, a GC pause) counts at most twice the average, so a single hiccup does not make every later step look
     * too costly for the budget.
     */
    private double learnSpeed(double nanosPerPixelNow) {
        if (nanosPerPixelAverage == 0) {
            nanosPerPixelAverage = nanosPerPixelNow;
        } else {
            nanosPerPixelAverage = 0.8 * nanosPerPixelAverage + 0.2 * Math.min(nanosPerPixelNow, 2 * nanosPerPixelAverage);
        }
        return nanosPerPixelAverage;
    }
}
