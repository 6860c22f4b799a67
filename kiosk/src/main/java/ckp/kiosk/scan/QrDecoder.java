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
import com.google.zxing.common.GlobalHistogramBinarizer;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
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
 * Finds QR codes in a luma plane with ZXing, trying the {@link DecodeStep}s in order until one finds a code or the
 * frame's time budget is spent: a step is skipped when, at the speed first steps have shown, it would end past the
 * budget, so a frame with no code costs at most about the budget and the decoder keeps up with the camera. The
 * first step reads the camera's buffer in place (the stride is ZXing's data width, so padded rows cost nothing).
 * Points are in the frame's pixel coordinates whatever the step's scale or turn. Not thread-safe: one decoder per
 * worker thread.
 */
public final class QrDecoder implements FrameDecoder {
    /** The longest side ZXing sees first; a 4032x3024 phone photo is shrunk to 1008x756, where its modules are a few pixels wide. */
    static final int FIRST_PASS_MAX_SIDE = 1280;
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

    private final QRCodeReader reader = new QRCodeReader();
    private final Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);
    private final long budgetNanos;
    private final Set<DecodeStep> steps;
    /** Whether the last code read was light on dark (a phone in dark mode); the next frame looks that way first. */
    private boolean lastReadInverted;
    /** Set by each attempt: whether it found finder patterns (it failed later, or read the code), and its polarity. */
    private boolean sawFinders;
    private boolean lastAttemptInverted;
    /** Nanoseconds per pixel of the first step, averaged over recent frames (see {@link #learnSpeed}). */
    private double nanosPerPixelAverage;

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
        if (budget.isNegative()) {
            throw new IllegalArgumentException("decode budget must not be negative, got " + budget);
        }
        this.budgetNanos = budget.toNanos();
        this.steps = steps.isEmpty() ? EnumSet.noneOf(DecodeStep.class) : EnumSet.copyOf(steps);
        hints.put(DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE));
        hints.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
        // No CHARACTER_SET hint: without an ECI, ZXing picks UTF-8 when the bytes are valid UTF-8 with a multi-byte
        // character (Chinese plates), else Shift_JIS or ISO-8859-1; forcing UTF-8 garbles Japanese Shift_JIS codes.
    }

    /** The codes in the frame; empty when there are none. */
    @Override
    public List<DecodedCode> decode(Frame frame) {
        long start = System.nanoTime();
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
        // Two steps search the doubled frame; it is made once per frame, on first use.
        LumaPlane doubled = null;
        for (DecodeStep step : steps) {
            long elapsed = System.nanoTime() - start;
            if (!firstStep && elapsed + STEP_COST_FACTOR * nanosPerPixel * pixels(step, first, shrink) > budgetNanos) {
                // This step would not finish within the budget (estimated from the first step's speed); later ones
                // may be smaller (HALF_SIZE after a skipped DOUBLE_SIZE), so go on looking.
                continue;
            }
            // Later steps look at the polarity in which finder patterns were seen: dark mode when only the inverted pass saw them.
            boolean later = invertedSawFinders && !normalSawFinders;
            Optional<DecodedCode> code = switch (step) {
                case HYBRID -> attempt(first, firstInverted, HybridBinarizer::new);
                case INVERTED -> attempt(first, !firstInverted, HybridBinarizer::new);
                case ALIGNED_GRID -> Optional.empty();
                case LOCAL_MEAN_WIDE -> attempt(first, later, source -> new LocalMeanBinarizer(source, WIDE_WINDOW_RADIUS));
                case LOCAL_MEAN_NARROW -> attempt(first, later, source -> new LocalMeanBinarizer(source, NARROW_WINDOW_RADIUS));
                case GLOBAL_HISTOGRAM -> attempt(first, later, GlobalHistogramBinarizer::new);
                case HALF_SIZE -> Math.min(first.width(), first.height()) >= 160
                        ? attempt(first.shrunk(2), later, HybridBinarizer::new) : Optional.empty();
                case QUARTER_TURN -> attempt(first.quarterTurned(), later, HybridBinarizer::new);
                case SMOOTHED -> attempt(first.smoothed(), later, HybridBinarizer::new);
                case DOUBLE_SIZE -> Math.max(first.width(), first.height()) <= DOUBLE_SIZE_MAX_SIDE
                        ? attempt(doubled = first.doubled(), later, HybridBinarizer::new) : Optional.empty();
                case SCREEN_MOIRE -> attempt(first, later, source -> new LocalPeakBinarizer(source, PEAK_WINDOW_RADIUS, PERCENT_OF_PEAK));
                case DOUBLE_SIZE_LOCAL_MEAN -> Math.max(first.width(), first.height()) <= DOUBLE_SIZE_MAX_SIDE
                        ? attempt(doubled != null ? doubled : first.doubled(), later,
                                source -> new LocalMeanBinarizer(source, 2 * WIDE_WINDOW_RADIUS))
                        : Optional.empty();
                case FULL_SIZE -> shrink > 1 ? attempt(full, later, HybridBinarizer::new) : Optional.empty();
            };
            if (step == DecodeStep.HYBRID || step == DecodeStep.INVERTED) {
                boolean wasInverted = (step == DecodeStep.INVERTED) != firstInverted;
                if (wasInverted) {
                    invertedSawFinders = sawFinders;
                } else {
                    normalSawFinders = sawFinders;
                }
            }
            if (firstStep) {
                nanosPerPixel = learnSpeed((System.nanoTime() - start) / (double) Math.max(1, pixels(step, first, shrink)));
            }
            firstStep = false;
            if (code.isPresent()) {
                lastReadInverted = lastAttemptInverted;
                return List.of(code.get());
            }
        }
        return List.of();
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

    /** How many pixels a step binarizes and searches: its cost, in units of the first step's time per pixel. */
    private long pixels(DecodeStep step, LumaPlane first, int shrink) {
        long px = (long) first.width() * first.height();
        return switch (step) {
            case HYBRID, INVERTED, GLOBAL_HISTOGRAM, ALIGNED_GRID, QUARTER_TURN, SMOOTHED, LOCAL_MEAN_WIDE, LOCAL_MEAN_NARROW, SCREEN_MOIRE -> px;
            case HALF_SIZE -> px / 4;
            case DOUBLE_SIZE, DOUBLE_SIZE_LOCAL_MEAN -> px * 4;
            case FULL_SIZE -> px * shrink * shrink;
        };
    }

    private static DecodedCode code(String text, ResultPoint[] resultPoints, LumaPlane plane) {
        List<DecodedCode.Point> points = new ArrayList<>();
        for (ResultPoint p : resultPoints) {
            if (p != null) {
                points.add(plane.toFrame(p.getX(), p.getY()));
            }
        }
        return new DecodedCode(text, points);
    }

    private Optional<DecodedCode> attempt(LumaPlane plane, boolean inverted, Function<LuminanceSource, Binarizer> binarizer) {
        LuminanceSource source = plane.source();
        if (inverted) {
            source = source.invert();
        }
        BinaryBitmap bitmap = new BinaryBitmap(binarizer.apply(source));
        lastAttemptInverted = inverted;
        sawFinders = true;
        try {
            Result r = reader.decode(bitmap, hints);
            return Optional.of(code(r.getText(), r.getResultPoints(), plane));
        } catch (ChecksumException | FormatException e) {
            // Finder patterns were found but the modules did not read: the grid may be misplaced, so refit it to
            // every alignment pattern on the same binarized image (it is cached, so this costs no second threshold).
            if (!steps.contains(DecodeStep.ALIGNED_GRID)) {
                return Optional.empty();
            }
            try {
                return new AlignedGridReader(bitmap.getBlackMatrix()).read(hints).map(r -> code(r.text(), r.points(), plane));
            } catch (NotFoundException notFound) {
                return Optional.empty();
            }
        } catch (ReaderException e) {
            // No finder patterns: nothing to read this way; the next step or frame may find them.
            sawFinders = false;
            return Optional.empty();
        } finally {
            reader.reset();
        }
    }
}
