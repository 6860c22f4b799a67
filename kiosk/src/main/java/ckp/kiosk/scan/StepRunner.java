package ckp.kiosk.scan;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.Binarizer;
import com.google.zxing.ChecksumException;
import com.google.zxing.DecodeHintType;
import com.google.zxing.FormatException;
import com.google.zxing.LuminanceSource;
import com.google.zxing.NotFoundException;
import com.google.zxing.ReaderException;
import com.google.zxing.ResultPoint;
import com.google.zxing.ResultPointCallback;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.DecoderResult;
import com.google.zxing.common.DetectorResult;
import com.google.zxing.common.GlobalHistogramBinarizer;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.qrcode.detector.MultiDetector;
import com.google.zxing.qrcode.detector.Detector;
import boofcv.factory.fiducial.ConfigQrCode;
import boofcv.factory.filter.binary.ConfigThreshold;
import boofcv.factory.filter.binary.ThresholdType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs one {@link DecodeStep} of a {@link QrDecoder} on a frame (ZXing with its binarizers, the flipped reuse of the
 * first binarization, BoofCV with its rescues, corners mapped to the frame's pixels), so that the decoder keeps only
 * the order of the steps and the budget; it keeps ZXing's and BoofCV's readers and buffers between frames.
 */
final class StepRunner {
    private final Set<DecodeStep> stepSet;
    /** The budget's wall-clock cut-off also stops BoofCV's rescues. */
    private final StepBudget budget;
    private final Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);
    private final com.google.zxing.qrcode.decoder.Decoder gridDecoder = new com.google.zxing.qrcode.decoder.Decoder();
    /** BoofCV's detector with its default configuration, and one with a global threshold, made on first use. */
    private BoofQrReader boofDefault;
    private BoofQrReader boofGlobal;
    /** Set by each attempt: whether it found finder patterns (it failed later, or read the code), and its polarity. */
    private boolean sawFinders;
    private int findersSeen;
    /** The first step's plane, and its binarization once made: the flipped step reuses it. */
    private LumaPlane binarizedPlane;
    private BitMatrix binarized;
    private boolean binarizedInverted;
    /** The doubled frame two steps search; it is made once per frame, on first use. */
    private LumaPlane doubled;
    /** Candidate finder patterns (and alignment patterns) the last finder search reported, in the plane's pixels. */
    private final List<ResultPoint> candidates = new ArrayList<>();
    private DecodeStep lastReadBy;
    private DecodeStep currentStep;
    /** Whether this step's grid rescues wait in {@link #deferred} for the first look's BoofCV steps (camera frames). */
    private boolean deferRescues;
    private final DeferredRescues deferred = new DeferredRescues();
    private final GridRescues gridRescues;
    /** The polarity of the first code read in this frame, null until one is. */
    private Boolean readInverted;

    StepRunner(Set<DecodeStep> stepSet, StepBudget budget) {
        this.stepSet = stepSet;
        this.budget = budget;
        this.gridRescues = new GridRescues(stepSet, hints, budget);
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

    /** Starts a frame whose first plane is {@code first}. */
    void startFrame(LumaPlane first) {
        deferred.clear();
        binarizedPlane = first;
        binarized = null;
        doubled = null;
        lastReadBy = null;
    }

    /** Ends the frame: forgets its planes and the polarity of its first read. */
    void endFrame() {
        deferred.clear();
        readInverted = null;
        binarizedPlane = null;
        binarized = null;
        doubled = null;
    }

    /**
     * Runs one step, adding what it finds to {@code findings}.
     *
     * @param firstInverted whether the frame's first step looks light on dark
     * @param boofInverted  whether BoofCV looks light on dark
     * @param later         whether the later ZXing steps look light on dark
     */
    void run(DecodeStep step, LumaPlane first, LumaPlane full, int shrink, boolean firstInverted, boolean boofInverted,
             boolean later, FrameFindings findings) {
        currentStep = step;
        switch (step) {
            case HYBRID -> attempt(first, firstInverted, HybridBinarizer::new, findings);
            case FLIPPED -> attemptFlipped(first, !firstInverted, findings);
            case INVERTED -> attempt(first, !firstInverted, HybridBinarizer::new, findings);
            case ALIGNED_GRID, EDGE_FINDER, BOOFCV_QUAD_ZXING -> { }
            case BOOFCV -> boof(boofDefault(), first, boofInverted, findings);
            case BOOFCV_INVERTED -> boof(boofDefault(), first, !boofInverted, findings);
            case BOOFCV_GLOBAL -> boof(boofGlobal(), first, boofInverted, findings);
            case BOOFCV_FULL_SIZE -> {
                if (shrink > 1) {
                    boof(boofDefault(), full, boofInverted, findings);
                }
            }
            case BOOFCV_HALF_SIZE -> {
                if (Math.min(first.width(), first.height()) >= QrDecoder.HALF_SIZE_BOOFCV_MIN_SIDE) {
                    boof(boofDefault(), first.shrunk(2), boofInverted, findings);
                }
            }
            case EVEN_LIGHT -> {
                LumaPlane even = EvenLight.of(first, boofInverted);
                boof(boofDefault(), even, false, findings);
                boolean boofSaw = sawFinders;
                if (findings.codes.isEmpty() && !budget.pastWallDeadline()) {
                    attempt(even, false, HybridBinarizer::new, findings);
                }
                sawFinders |= boofSaw;
                readInverted = readInverted == null ? null : boofInverted;
            }
            case CLIPPED_WHITE -> {
                if (ClippedWhiteBinarizer.clipLevel(first.luma(), first.width(), first.height(), first.stride()) >= 0) {
                    // Dark on light whatever the earlier steps saw: the clip is in the light modules' white.
                    attempt(first, false, source -> new ClippedWhiteBinarizer(source, ClippedWhiteBinarizer.WINDOW_RADIUS,
                            ClippedWhiteBinarizer.CLIP_MARGIN), findings);
                } else {
                    sawFinders = false;
                }
            }
            case LOCAL_MEAN_WIDE -> attempt(first, later, source -> new LocalMeanBinarizer(source, LocalMeanBinarizer.WIDE_WINDOW_RADIUS), findings);
            case LOCAL_MEAN_NARROW -> attempt(first, later, source -> new LocalMeanBinarizer(source, LocalMeanBinarizer.NARROW_WINDOW_RADIUS), findings);
            case GLOBAL_HISTOGRAM -> attempt(first, later, GlobalHistogramBinarizer::new, findings);
            case HALF_SIZE -> {
                if (Math.min(first.width(), first.height()) >= 160) {
                    attempt(first.shrunk(2), later, HybridBinarizer::new, findings);
                }
            }
            case QUARTER_TURN -> attempt(first.quarterTurned(), later, HybridBinarizer::new, findings);
            case SMOOTHED -> attempt(first.smoothed(), later, HybridBinarizer::new, findings);
            case DOUBLE_SIZE -> {
                if (Math.max(first.width(), first.height()) <= QrDecoder.DOUBLE_SIZE_MAX_SIDE) {
                    attempt(doubled = first.doubled(), later, HybridBinarizer::new, findings);
                }
            }
            case SCREEN_MOIRE -> attempt(first, later, source -> new LocalPeakBinarizer(source, LocalPeakBinarizer.WINDOW_RADIUS, LocalPeakBinarizer.PERCENT_OF_PEAK), findings);
            case DOUBLE_SIZE_LOCAL_MEAN -> {
                if (Math.max(first.width(), first.height()) <= QrDecoder.DOUBLE_SIZE_MAX_SIDE) {
                    attempt(doubled != null ? doubled : first.doubled(), later,
                            source -> new LocalMeanBinarizer(source, 2 * LocalMeanBinarizer.WIDE_WINDOW_RADIUS), findings);
                }
            }
            case FULL_SIZE -> {
                if (shrink > 1) {
                    attempt(full, later, HybridBinarizer::new, findings);
                }
            }
        }
    }

    /** Whether the last step's attempt found finder patterns (it failed later, or read the code). */
    boolean sawFinders() {
        return sawFinders;
    }

    /** Single finder patterns the last attempt saw without a triple: BoofCV's squares, ZXing's ({@link PartialFinders}). */
    int findersSeen() {
        return findersSeen;
    }

    /** The polarity of the first code read in this frame, null until one is. */
    Boolean readInverted() {
        return readInverted;
    }

    /** Makes the next steps' rescues wait for {@link #runDeferredRescues} (or run at once when false). */
    void deferRescues(boolean defer) {
        deferRescues = defer;
    }

    /** Whether rescues are waiting. */
    boolean rescuesDeferred() {
        return !deferred.isEmpty();
    }

    /** Runs the deferred rescues ({@link DeferredRescues#run}), each credited to the step it came from. */
    void runDeferredRescues(FrameFindings findings) {
        DecodeStep step = currentStep;
        deferred.run(findings, budget::halfSpent, s -> currentStep = s);
        currentStep = step;
    }

    /** The step that read the first code of the frame. */
    Optional<DecodeStep> lastReadBy() {
        return Optional.ofNullable(lastReadBy);
    }

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

    /** One ZXing attempt: binarize, find every finder-pattern triple, read each (refitting the grid when it fails). */
    private void attempt(LumaPlane plane, boolean inverted, Function<LuminanceSource, Binarizer> binarizer, FrameFindings findings) {
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
        search(matrix, plane, inverted, findings);
    }

    /**
     * ZXing on the first step's binarized frame with every bit flipped: the other polarity (a dark-mode phone) at the
     * cost of a finder search only, where binarizing the inverted frame again cost as much as the first step. Falls
     * back to binarizing the inverted frame when the first step did not binarize this plane.
     */
    private void attemptFlipped(LumaPlane plane, boolean inverted, FrameFindings findings) {
        if (binarized == null || binarizedInverted == inverted) {
            attempt(plane, inverted, HybridBinarizer::new, findings);
            return;
        }
        BitMatrix flipped = binarized.clone();
        flipped.flip();
        search(flipped, plane, inverted, findings);
    }

    /** Finds every finder-pattern triple on a binarized plane and reads each (refitting the grid when it fails). */
    private void search(BitMatrix matrix, LumaPlane plane, boolean inverted, FrameFindings findings) {
        // ZXing's best finder-pattern triple first; the candidate finder patterns it saw on the way are counted, and
        // when some lie outside every code read, the multi-code search looks for the other codes on the same image.
        // (The multi-code search first, for every frame, costs more on frames with no code and reads fewer: 99
        // against 103 of 200 codes on the 640x480 development frames.)
        sawFinders = false;
        candidates.clear();
        Map<DecodeHintType, Object> counting = new EnumMap<>(hints);
        counting.put(DecodeHintType.NEED_RESULT_POINT_CALLBACK, (ResultPointCallback) candidates::add);
        try {
            readTriples(new DetectorResult[] {new Detector(matrix).detect(counting)}, matrix, plane, inverted, findings);
            sawFinders = true;
            if (findings.outsideCodes(candidates, plane) >= 3) {
                readTriples(new MultiDetector(matrix).detectMulti(hints), matrix, plane, inverted, findings);
            }
        } catch (ReaderException e) {
            // No (other) triple ZXing could use: the next step or frame may find one.
        }
        if (!sawFinders) {
            // No triple: how many candidate patterns could still be one code's (the first look's partial evidence).
            findersSeen = PartialFinders.count(candidates);
        }
        // Finder patterns ZXing did not find or use: look again by the spacing of like edges (blur, glare, a screen's
        // glow). Not in FLIPPED: INVERTED searches that polarity on its own binarization, which a dark screen's flat
        // background leaves whole (the flipped one did not read a seed-1 phone the inverted one reads).
        if (stepSet.contains(DecodeStep.EDGE_FINDER) && currentStep != DecodeStep.FLIPPED
                && (!sawFinders || findings.outsideCodes(candidates, plane) >= 3)) {
            if (deferRescues) {
                deferred.add(currentStep, null, sawFinders, () -> EdgeFinderRescue.rescue(
                        matrix, plane, inverted, hints, findings, budget, this::found));
            } else {
                sawFinders |= EdgeFinderRescue.rescue(matrix, plane, inverted, hints, findings, budget, this::found);
            }
        }
    }

    private void readTriples(DetectorResult[] detected, BitMatrix matrix, LumaPlane plane, boolean inverted,
                             FrameFindings findings) {
        for (DetectorResult d : detected) {
            ResultPoint[] p = d.getPoints();
            int dimension = d.getBits().getWidth();
            try {
                DecoderResult r = gridDecoder.decode(d.getBits(), hints);
                float[][] corners = AlignedGridReader.corners(p[1], p[2], p[0], p.length > 3 ? p[3] : null, dimension);
                found(findings, plane.codeInFrame(r.getText(), AlignedGridReader.mirroredIfSo(corners, r)), inverted);
            } catch (ChecksumException | FormatException e) {
                // Finder patterns were found but the modules did not read: the grid may be misplaced, so refit it to
                // every alignment pattern on the same binarized image; the bent and soft readings may wait.
                Optional<AlignedGridReader.ReadCode> refit = gridRescues.read(d, matrix, plane, inverted, !deferRescues);
                if (refit.isPresent()) {
                    found(findings, plane.codeInFrame(refit.get().text(), refit.get().corners()), inverted);
                } else {
                    DecodedCode.Point centre = plane.toFrame((p[0].getX() + p[2].getX()) / 2, (p[0].getY() + p[2].getY()) / 2);
                    findings.unread.add(centre);
                    if (deferRescues) {
                        deferred.add(currentStep, centre, true, () -> gridRescues.read(d, matrix, plane, inverted, true)
                                .ifPresent(r -> found(findings, plane.codeInFrame(r.text(), r.corners()), inverted)));
                    }
                    float[][] outline = AlignedGridReader.corners(p[1], p[2], p[0], p.length > 3 ? p[3] : null, dimension);
                    if (EdgeFinderRescue.finite(outline)) { // a degenerate triple maps the grid's corners to NaN
                        findings.outlines.add(new UnreadCode(plane.codeInFrame("", outline).corners()));
                    }
                }
            }
        }
    }

    private void found(FrameFindings findings, DecodedCode code, boolean inverted) {
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
    private void boof(BoofQrReader boofReader, LumaPlane plane, boolean inverted, FrameFindings findings) {
        List<BoofQrReader.Found> all = boofReader.find(plane, inverted);
        sawFinders = !all.isEmpty();
        findersSeen = boofReader.positionPatterns();
        List<AlignedGridReader> zxingGrids = null;
        for (BoofQrReader.Found f : all) {
            if (f.read()) {
                found(findings, plane.codeInFrame(f.text(), BoofQrReader.corners(f.bounds())), inverted);
                continue;
            }
            if (budget.spent()) {
                // Rescues cost a binarization each: once the frame's time is spent, what BoofCV read is what this step gives.
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
                    zxingGrids = BoofQuadRescue.grids(plane, inverted, gridRescues.soft(plane, inverted), budget::spent);
                }
                for (AlignedGridReader grid : zxingGrids) {
                    read = BoofQuadRescue.read(grid, f, hints);
                    if (read.isPresent()) {
                        break;
                    }
                }
            }
            if (read.isPresent()) {
                DecodeStep step = currentStep;
                currentStep = DecodeStep.BOOFCV_QUAD_ZXING;
                found(findings, plane.codeInFrame(read.get().text(), read.get().corners()), inverted);
                currentStep = step;
            } else {
                findings.unread.add(where);
                findings.outlines.add(new UnreadCode(plane.codeInFrame("", BoofQrReader.corners(f.bounds())).corners()));
            }
        }
    }
}
