package ckp.kiosk.scan;

import ckp.drivers.camera.Frame;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.Binarizer;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.ChecksumException;
import com.google.zxing.FormatException;
import com.google.zxing.NotFoundException;
import com.google.zxing.DecodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.Result;
import com.google.zxing.ResultPoint;
import com.google.zxing.ResultPointCallback;
import com.google.zxing.common.GlobalHistogramBinarizer;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.DecoderResult;
import com.google.zxing.common.DetectorResult;
import com.google.zxing.multi.qrcode.detector.MultiDetector;
import com.google.zxing.qrcode.detector.Detector;
import boofcv.factory.fiducial.ConfigQrCode;
import boofcv.factory.filter.binary.ConfigThreshold;
import boofcv.factory.filter.binary.ThresholdType;
import java.util.LinkedHashMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Finds every QR code in a luma plane with ZXing and BoofCV, trying the {@link DecodeStep}s in order until codes are
 * read or the frame's time budget is spent: a step is skipped when, at the speed first steps have shown, it would end
 * past the budget, so a frame costs at most about the budget and the decoder keeps up with the camera. On a camera
 * frame where the {@link #FIRST_LOOK} steps found nothing that could be a code, the frame ends there: most frames a
 * kiosk sees hold no code, and they no longer spend the budget. Time is the decoding thread's CPU time.
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
     * Window radii, in pixels of the first pass's plane, of the local-mean thresholds: measured on the kiosk frames
     * (seeds 1 and 2) and the black-box set, 6 and 3 read 169/160/169; 8 and 4 165/160/170, 10 and 3 168/158/169,
     * 5 and 2 164/159/168; either alone reads 4-9 fewer.
     */
    static final int WIDE_WINDOW_RADIUS = 6;
    static final int NARROW_WINDOW_RADIUS = 3;

    /**
     * The screen-moiré threshold: dark below this percentage of the brightest pixel within this radius. Measured
     * (kiosk seeds 1/2, moiré folders): 10 px and 35% read 11/9 of 20; 14 px 35% 11/9; 8 px 40% 10/6; 8 or 10 px
     * 30% 7/11; 12 px 45% 7/5; 6 px 50% 5/5. The radius must exceed a stripe's period (10-20 px) so the window
     * holds a stripe's crest.
     */
    static final int PEAK_WINDOW_RADIUS = 10;
    static final int PERCENT_OF_PEAK = 35;

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

    /**
     * The steps that look at every camera frame: ZXing and BoofCV, each in both polarities. On the camera-model
     * frames (seed 1, unlimited budget) they read every code but one that any step read, and that one's frame had a
     * finder triple in them; of the 78 frames they did not read (40 with no code), 70 showed neither detector a
     * triple or a candidate, and no later step read any of those. At 640x480 they cost about 8 ms of CPU together.
     */
    static final Set<DecodeStep> FIRST_LOOK = EnumSet.of(DecodeStep.HYBRID, DecodeStep.FLIPPED, DecodeStep.INVERTED,
            DecodeStep.BOOFCV, DecodeStep.BOOFCV_INVERTED);

    private final boolean stopWithoutFinders;
    private final Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);
    private final long budgetNanos;
    private final List<DecodeStep> steps;
    private final Set<DecodeStep> stepSet;
    private final com.google.zxing.qrcode.decoder.Decoder gridDecoder = new com.google.zxing.qrcode.decoder.Decoder();
    /** BoofCV's detector with its default configuration, and one with a global threshold, made on first use. */
    private BoofQrReader boofDefault;
    private BoofQrReader boofGlobal;
    /** Whether the last code read was light on dark (a phone in dark mode); the next frame looks that way first. */
    private boolean lastReadInverted;
    /** Set by each attempt: whether it found finder patterns (it failed later, or read the code), and its polarity. */
    private boolean sawFinders;
    /** Nanoseconds per pixel of the first step, averaged over recent frames (see {@link #learnSpeed}). */
    private double nanosPerPixelAverage;
    /** Nanoseconds per pixel (in {@link #pixels} units) of each step, averaged over the frames it ran in. */
    private final double[] stepNanosPerPixel = new double[DecodeStep.values().length];

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
        this.stopWithoutFinders = stopWithoutFinders;
        if (budget.isNegative()) {
            throw new IllegalArgumentException("decode budget must not be negative, got " + budget);
        }
        this.budgetNanos = budget.toNanos();
        this.steps = List.copyOf(steps);
        this.stepSet = steps.isEmpty() ? EnumSet.noneOf(DecodeStep.class) : EnumSet.copyOf(steps);
        // BoofCV's detectors are made now, not on a frame: building one takes far longer than a frame's budget.
        if (stepSet.stream().anyMatch(s -> s.name().startsWith("BOOFCV") && s != DecodeStep.BOOFCV_QUAD_ZXING)) {
            boofDefault();
        }
        if (stepSet.contains(DecodeStep.BOOFCV_GLOBAL)) {
            boofGlobal();
        }
        hints.put(DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE));
        hints.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
        // No CHARACTER_SET hint: without an ECI, ZXing picks UTF-8 when the bytes are valid UTF-8 with a multi-byte
        // character (Chinese plates), else Shift_JIS or ISO-8859-1; forcing UTF-8 garbles Japanese Shift_JIS codes.
    }

    /**
     * The codes found so far in one frame, by text (the same code seen by two steps is one), and the places where a
     * step saw a code it could not read: while one of those lies outside every code read, later steps may read it.
     */
    private static final class Findings {
        final Map<String, DecodedCode> codes = new LinkedHashMap<>();
        final List<DecodedCode.Point> unread = new ArrayList<>();

        void add(DecodedCode code) {
            codes.putIfAbsent(code.text(), code);
        }

        boolean unreadRemain() {
            for (DecodedCode.Point p : unread) {
                if (codes.values().stream().noneMatch(c -> c.contains(p))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The codes in the frame, each once; empty when there are none. */
    @Override
    public List<DecodedCode> decode(Frame frame) {
        return decode(frame, steps, budgetNanos);
    }

    /**
     * Runs every step of this decoder on made-up frames (a code, the same code in dark mode, and no code, at 640x480
     * and 1280x720), with no budget, then forgets what it learnt of the steps' costs. A step's first runs are
     * interpreted by the JVM and take up to ten times longer (measured: a screen-moiré pass of 316 ms where 13 ms was
     * expected, 127 ms for BoofCV's inverted pass), and a camera frame that meets such a run ends far past the
     * budget; a kiosk calls this before its camera starts, a benchmark before it times. Takes a few seconds.
     */
    public void warmUp() {
        List<Frame> frames = warmUpFrames();
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            // The last round measures each step warm: its cost per pixel becomes the most any warm-up frame took.
            java.util.Arrays.fill(warmCost, 0);
            warmingUp = round == WARM_UP_ROUNDS - 1;
            java.util.Arrays.fill(stepNanosPerPixel, 0);
            nanosPerPixelAverage = 0;
            for (Frame f : frames) {
                for (DecodeStep step : steps) {
                    decode(f, List.of(step), Long.MAX_VALUE);
                }
            }
        }
        warmingUp = false;
        System.arraycopy(warmCost, 0, stepNanosPerPixel, 0, warmCost.length);
        nanosPerPixelAverage = warmCost[steps.get(0).ordinal()];
        lastReadInverted = false;
    }

    private boolean warmingUp;
    private final double[] warmCost = new double[DecodeStep.values().length];

    /** Rounds of {@link #warmUp}: enough for the JIT's first tier on every step's loops. */
    static final int WARM_UP_ROUNDS = 3;

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

    private List<DecodedCode> decode(Frame frame, List<DecodeStep> steps, long budgetNanos) {
        long start = workNanos();
        LumaPlane full = LumaPlane.of(frame.luma(), frame.width(), frame.height(), frame.stride());
        int longest = Math.max(frame.width(), frame.height());
        int shrink = (longest + FIRST_PASS_MAX_SIDE - 1) / FIRST_PASS_MAX_SIDE;
        LumaPlane first = shrink > 1 ? full.shrunk(shrink) : full;
        boolean firstStep = true;
        // The same phone stays in front of the camera for many frames: after a dark-mode read, look inverted first.
        boolean firstInverted = lastReadInverted;
        boolean normalSawFinders = false;
        boolean invertedSawFinders = false;
        double nanosPerPixel = 0;
        double frameSlowness = 1;
        // Two steps search the doubled frame; it is made once per frame, on first use.
        LumaPlane doubled = null;
        Findings findings = new Findings();
        binarizedPlane = first;
        binarized = null;
        lastReadBy = null;
        boolean boofRan = false;
        boolean anySawFinders = false;
        boolean firstLookRan = false;
        stepsRun = 0;
        for (DecodeStep step : steps) {
            if (step == DecodeStep.ALIGNED_GRID || step == DecodeStep.BOOFCV_QUAD_ZXING) {
                continue; // rescues inside other steps, not steps of their own
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
                // camera frame the later steps would spend the budget on a frame with no code (see FIRST_LOOK).
                break;
            }
            if (!applies(step, first, shrink)) {
                // Not a step for this frame's size: no time spent, and nothing learnt of its cost (a no-op learnt
                // as a cost of zero let BOOFCV_HALF_SIZE start with no time left on the next 1280x720 frame).
                continue;
            }
            findings.unread.clear();
            long stepStart = workNanos();
            long elapsed = stepStart - start;
            long px = pixels(step, first, shrink);
            double learned = stepNanosPerPixel[step.ordinal()];
            // A frame whose first step ran slower than usual (a busy image, a busy core) is slower in later steps
            // too, so a learnt estimate is scaled up by it as well (never down: a cheap first step says little).
            double estimate = learned > 0 ? STEP_COST_MARGIN * learned * px * Math.max(1, frameSlowness)
                    : STEP_COST_FACTOR * nanosPerPixel * frameSlowness * px;
            if (!firstStep && elapsed + estimate > budgetNanos) {
                // This step would not finish within the budget (estimated from its own recent cost, or before it
                // has run from the first step's speed, scaled by how slow this frame is); later ones may be
                // smaller (HALF_SIZE after a skipped DOUBLE_SIZE), so go on looking. Its estimate stays: the
                // warm-up measured it warm, and one slow run moves it by a fifth at most. (Estimates that faded while
                // a step was skipped fell under a millisecond for the doubled-frame and screen-moiré steps, which
                // then ran 20-70 ms past a 60 ms budget on the camera-model frames.)
                continue;
            }
            if (step == DecodeStep.BOOFCV) {
                boofRan = true;
            }
            // Later steps look at the polarity in which finder patterns were seen: dark mode when only the inverted pass saw them.
            boolean later = invertedSawFinders && !normalSawFinders;
            // BoofCV looks the way ZXing saw finder patterns, or when neither way did, the way this frame started.
            boolean boofInverted = later || (!normalSawFinders && !invertedSawFinders && firstInverted);
            currentStep = step;
            stepsRun++;
            switch (step) {
                case HYBRID -> attempt(first, firstInverted, HybridBinarizer::new, findings);
                case FLIPPED -> attemptFlipped(first, !firstInverted, findings);
                case INVERTED -> attempt(first, !firstInverted, HybridBinarizer::new, findings);
                case ALIGNED_GRID, BOOFCV_QUAD_ZXING -> { }
                case BOOFCV -> boof(boofDefault(), first, boofInverted, findings);
                case BOOFCV_INVERTED -> boof(boofDefault(), first, !boofInverted, findings);
                case BOOFCV_GLOBAL -> boof(boofGlobal(), first, boofInverted, findings);
                case BOOFCV_FULL_SIZE -> {
                    if (shrink > 1) {
                        boof(boofDefault(), full, boofInverted, findings);
                    }
                }
                case BOOFCV_HALF_SIZE -> {
                    if (Math.min(first.width(), first.height()) >= HALF_SIZE_BOOFCV_MIN_SIDE) {
                        boof(boofDefault(), first.shrunk(2), boofInverted, findings);
                    }
                }
                case LOCAL_MEAN_WIDE -> attempt(first, later, source -> new LocalMeanBinarizer(source, WIDE_WINDOW_RADIUS), findings);
                case LOCAL_MEAN_NARROW -> attempt(first, later, source -> new LocalMeanBinarizer(source, NARROW_WINDOW_RADIUS), findings);
                case GLOBAL_HISTOGRAM -> attempt(first, later, GlobalHistogramBinarizer::new, findings);
                case HALF_SIZE -> {
                    if (Math.min(first.width(), first.height()) >= 160) {
                        attempt(first.shrunk(2), later, HybridBinarizer::new, findings);
                    }
                }
                case QUARTER_TURN -> attempt(first.quarterTurned(), later, HybridBinarizer::new, findings);
                case SMOOTHED -> attempt(first.smoothed(), later, HybridBinarizer::new, findings);
                case DOUBLE_SIZE -> {
                    if (Math.max(first.width(), first.height()) <= DOUBLE_SIZE_MAX_SIDE) {
                        attempt(doubled = first.doubled(), later, HybridBinarizer::new, findings);
                    }
                }
                case SCREEN_MOIRE -> attempt(first, later, source -> new LocalPeakBinarizer(source, PEAK_WINDOW_RADIUS, PERCENT_OF_PEAK), findings);
                case DOUBLE_SIZE_LOCAL_MEAN -> {
                    if (Math.max(first.width(), first.height()) <= DOUBLE_SIZE_MAX_SIDE) {
                        attempt(doubled != null ? doubled : first.doubled(), later,
                                source -> new LocalMeanBinarizer(source, 2 * WIDE_WINDOW_RADIUS), findings);
                    }
                }
                case FULL_SIZE -> {
                    if (shrink > 1) {
                        attempt(full, later, HybridBinarizer::new, findings);
                    }
                }
            }
            anySawFinders |= sawFinders;
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
            firstStep = false;
            if (!findings.codes.isEmpty() && readInverted != null) {
                lastReadInverted = readInverted;
            }
        }
        readInverted = null;
        binarizedPlane = null;
        binarized = null;
        return List.copyOf(findings.codes.values());
    }

    /** How many steps ran on the last frame (rescues inside steps not counted). */
    int stepsRun() {
        return stepsRun;
    }

    private int stepsRun;

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final boolean THREAD_CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported();

    /**
     * The decoder's own time: the calling thread's CPU time where the JVM can read it (Linux), else the wall clock.
     * The budget and the learnt step costs are in this time, so which steps run on a frame depends on the frame and
     * not on what else the core is doing: measured on this shared machine at a load of 16 on 2 cores, a budget on
     * the wall clock let BoofCV run on almost no frame (seed-1 camera frames read 33 of 125 codes, against 84 on CPU time).
     */
    private static long workNanos() {
        return THREAD_CPU_TIME ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** The polarity of the first code read in this frame, null until one is. */
    private Boolean readInverted;

    private BoofQrReader boofDefault() {
        if (boofDefault == null) {
            boofDefault = new BoofQrReader(new ConfigQrCode());
        }
        return boofDefault;
    }

    private BoofQrReader boofGlobal() {
        if (boofGlobal == null) {
            ConfigQrCode config = new ConfigQrCode();
            config.threshold = ConfigThreshold.global(ThresholdType.GLOBAL_OTSU);
            boofGlobal = new BoofQrReader(config);
        }
        return boofGlobal;
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

    /** Whether a step has anything to do on a frame of this size (a half-size BoofCV pass on a close-up, ...). */
    private static boolean applies(DecodeStep step, LumaPlane first, int shrink) {
        int shorter = Math.min(first.width(), first.height());
        int longer = Math.max(first.width(), first.height());
        return switch (step) {
            case BOOFCV_FULL_SIZE, FULL_SIZE -> shrink > 1;
            case BOOFCV_HALF_SIZE -> shorter >= HALF_SIZE_BOOFCV_MIN_SIDE;
            case HALF_SIZE -> shorter >= 160;
            case DOUBLE_SIZE, DOUBLE_SIZE_LOCAL_MEAN -> longer <= DOUBLE_SIZE_MAX_SIDE;
            default -> true;
        };
    }

    /** How many pixels a step binarizes and searches: its cost, in units of the first step's time per pixel. */
    private long pixels(DecodeStep step, LumaPlane first, int shrink) {
        long px = (long) first.width() * first.height();
        return switch (step) {
            case HYBRID, FLIPPED, INVERTED, GLOBAL_HISTOGRAM, ALIGNED_GRID, BOOFCV_QUAD_ZXING, QUARTER_TURN, SMOOTHED,
                 LOCAL_MEAN_WIDE, LOCAL_MEAN_NARROW, SCREEN_MOIRE -> px;
            case BOOFCV, BOOFCV_INVERTED, BOOFCV_GLOBAL -> px * BOOFCV_COST;
            case BOOFCV_HALF_SIZE -> px * BOOFCV_COST / 4;
            case BOOFCV_FULL_SIZE -> px * shrink * shrink * BOOFCV_COST;
            case HALF_SIZE -> px / 4;
            case DOUBLE_SIZE, DOUBLE_SIZE_LOCAL_MEAN -> px * 4;
            case FULL_SIZE -> px * shrink * shrink;
        };
    }

    /** BoofCV's detector costs about this many times ZXing's first step per pixel (measured, docs/performance.md). */
    static final int BOOFCV_COST = 2;

    private static DecodedCode code(String text, float[][] corners, LumaPlane plane) {
        List<DecodedCode.Point> points = new ArrayList<>(4);
        for (float[] c : corners) {
            points.add(plane.toFrame(c[0], c[1]));
        }
        return new DecodedCode(text, points);
    }

    /** One ZXing attempt: binarize, find every finder-pattern triple, read each (refitting the grid when it fails). */
    private void attempt(LumaPlane plane, boolean inverted, Function<LuminanceSource, Binarizer> binarizer, Findings findings) {
        attempt(plane, inverted, binarizer, findings, hints);
    }

    private void attempt(LumaPlane plane, boolean inverted, Function<LuminanceSource, Binarizer> binarizer, Findings findings,
                         Map<DecodeHintType, Object> hints) {
        LuminanceSource source = plane.source();
        if (inverted) {
            source = source.invert();
        }
        BitMatrix matrix;
        try {
            matrix = binarizer.apply(source).getBlackMatrix();
        } catch (NotFoundException e) {
            sawFinders = false;
            return;
        }
        if (plane == binarizedPlane && currentStep == DecodeStep.HYBRID) {
            binarized = matrix;
            binarizedInverted = inverted;
        }
        search(matrix, plane, inverted, findings, hints);
    }

    /**
     * ZXing on the first step's binarized frame with every bit flipped: the other polarity (a dark-mode phone) at the
     * cost of a finder search only, where binarizing the inverted frame again cost as much as the first step. Falls
     * back to binarizing the inverted frame when the first step did not binarize this plane.
     */
    private void attemptFlipped(LumaPlane plane, boolean inverted, Findings findings) {
        if (binarized == null || binarizedInverted == inverted) {
            attempt(plane, inverted, HybridBinarizer::new, findings);
            return;
        }
        BitMatrix flipped = binarized.clone();
        flipped.flip();
        search(flipped, plane, inverted, findings, hints);
    }

    /** The first step's plane, and its binarization once made: the flipped step reuses it. */
    private LumaPlane binarizedPlane;
    private BitMatrix binarized;
    private boolean binarizedInverted;

    /** Finds every finder-pattern triple on a binarized plane and reads each (refitting the grid when it fails). */
    private void search(BitMatrix matrix, LumaPlane plane, boolean inverted, Findings findings, Map<DecodeHintType, Object> hints) {
        // ZXing's best finder-pattern triple first; the candidate finder patterns it saw on the way are counted, and
        // when some lie outside every code read, the multi-code search looks for the other codes on the same image.
        // (The multi-code search first, for every frame, costs more on frames with no code and reads fewer: 99
        // against 103 of 200 codes on the 640x480 development frames.)
        sawFinders = false;
        candidates.clear();
        Map<DecodeHintType, Object> counting = new EnumMap<>(hints);
        counting.put(DecodeHintType.NEED_RESULT_POINT_CALLBACK, (ResultPointCallback) candidates::add);
        try {
            readTriples(new DetectorResult[] {new Detector(matrix).detect(counting)}, matrix, plane, inverted, findings, hints);
            sawFinders = true;
        } catch (ReaderException e) {
            // No finder patterns: nothing to read this way; the next step or frame may find them.
            return;
        }
        if (outsideReadCodes(plane, findings) >= 3) {
            try {
                readTriples(new MultiDetector(matrix).detectMulti(hints), matrix, plane, inverted, findings, hints);
            } catch (ReaderException e) {
                // No other triple: the other candidates were not a code.
            }
        }
    }

    /** Candidate finder patterns (and alignment patterns) the last finder search reported, in the plane's pixels. */
    private final List<ResultPoint> candidates = new ArrayList<>();

    /** How many of the last search's candidate patterns lie outside every code read so far. */
    private int outsideReadCodes(LumaPlane plane, Findings findings) {
        int n = 0;
        for (ResultPoint p : candidates) {
            DecodedCode.Point where = plane.toFrame(p.getX(), p.getY());
            if (findings.codes.values().stream().noneMatch(c -> c.contains(where))) {
                n++;
            }
        }
        return n;
    }

    private void readTriples(DetectorResult[] detected, BitMatrix matrix, LumaPlane plane, boolean inverted, Findings findings,
                             Map<DecodeHintType, Object> hints) {
        for (DetectorResult d : detected) {
            ResultPoint[] p = d.getPoints();
            int dimension = d.getBits().getWidth();
            try {
                DecoderResult r = gridDecoder.decode(d.getBits(), hints);
                float[][] corners = AlignedGridReader.corners(p[1], p[2], p[0], p.length > 3 ? p[3] : null, dimension);
                found(findings, code(r.getText(), AlignedGridReader.mirroredIfSo(corners, r), plane), inverted);
            } catch (ChecksumException | FormatException e) {
                // Finder patterns were found but the modules did not read: the grid may be misplaced, so refit it to
                // every alignment pattern on the same binarized image.
                Optional<AlignedGridReader.ReadCode> refit = stepSet.contains(DecodeStep.ALIGNED_GRID)
                        ? new AlignedGridReader(matrix).read(d, hints) : Optional.empty();
                if (refit.isPresent()) {
                    found(findings, code(refit.get().text(), refit.get().corners(), plane), inverted);
                } else {
                    findings.unread.add(plane.toFrame((p[0].getX() + p[2].getX()) / 2, (p[0].getY() + p[2].getY()) / 2));
                }
            }
        }
    }

    /** The step that read the first code of the last frame, for the benchmark's account of what each step is worth. */
    Optional<DecodeStep> lastReadBy() {
        return Optional.ofNullable(lastReadBy);
    }

    private DecodeStep lastReadBy;
    private DecodeStep currentStep;

    private void found(Findings findings, DecodedCode code, boolean inverted) {
        if (findings.codes.isEmpty()) {
            lastReadBy = currentStep;
        }
        findings.add(code);
        if (readInverted == null) {
            readInverted = inverted;
        }
    }

    /**
     * One BoofCV attempt: every code its detector reads, and each it found but could not read handed to ZXing's
     * decoder on a grid fitted to BoofCV's finder patterns and outer corners ({@link DecodeStep#BOOFCV_QUAD_ZXING}).
     */
    private void boof(BoofQrReader boofReader, LumaPlane plane, boolean inverted, Findings findings) {
        List<BoofQrReader.Found> all = boofReader.find(plane, inverted);
        sawFinders = !all.isEmpty();
        List<AlignedGridReader> zxingGrids = null;
        for (BoofQrReader.Found f : all) {
            if (f.read()) {
                found(findings, code(f.text(), corners(f.bounds()), plane), inverted);
                continue;
            }
            var c = BoofQrReader.centre(f.bounds());
            DecodedCode.Point where = plane.toFrame((float) c.x, (float) c.y);
            if (findings.codes.values().stream().anyMatch(code -> code.contains(where))) {
                continue;
            }
            Optional<AlignedGridReader.ReadCode> read = Optional.empty();
            if (stepSet.contains(DecodeStep.BOOFCV_QUAD_ZXING)) {
                // Two thresholds to sample the grid on, made once per step on first need: ZXing's own, and the
                // local mean that follows light changing within a few modules.
                if (zxingGrids == null) {
                    LuminanceSource source = inverted ? plane.source().invert() : plane.source();
                    try {
                        zxingGrids = List.of(new AlignedGridReader(new HybridBinarizer(source).getBlackMatrix()),
                                new AlignedGridReader(new LocalMeanBinarizer(source, WIDE_WINDOW_RADIUS).getBlackMatrix()));
                    } catch (NotFoundException e) {
                        zxingGrids = List.of();
                    }
                }
                for (AlignedGridReader grid : zxingGrids) {
                    read = readQuad(grid, f);
                    if (read.isPresent()) {
                        break;
                    }
                }
            }
            if (read.isPresent()) {
                DecodeStep step = currentStep;
                currentStep = DecodeStep.BOOFCV_QUAD_ZXING;
                found(findings, code(read.get().text(), read.get().corners(), plane), inverted);
                currentStep = step;
            } else {
                findings.unread.add(where);
            }
        }
    }

    /**
     * ZXing's decoder on the grid of a code BoofCV found and could not read: fitted to BoofCV's three finder centres
     * and outer corners and to the alignment patterns, at BoofCV's version when it read one, else at the version the
     * finders' spacing gives and its two neighbours.
     */
    private Optional<AlignedGridReader.ReadCode> readQuad(AlignedGridReader grid, BoofQrReader.Found f) {
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

    private static float[][] corners(georegression.struct.shapes.Polygon2D_F64 bounds) {
        float[][] out = new float[4][];
        for (int i = 0; i < 4; i++) {
            out[i] = new float[] {(float) bounds.get(i).x, (float) bounds.get(i).y};
        }
        return out;
    }
}
