package ckp.kiosk.scan;

/**
 * One attempt the decoder makes on a frame, in the order it makes them until codes are read or the frame's time
 * budget is spent: ZXing's cheap first pass, BoofCV's detector, the inverted frame, then the other thresholds and
 * scales of both. Each step's worth and cost on the test sets is in docs/performance.md ("QR decoding").
 */
public enum DecodeStep {
    /** ZXing's HybridBinarizer (local thresholds in 8x8 blocks) on the frame, shrunk first when it is large. */
    HYBRID,
    /**
     * ZXing on the other polarity (phones in dark mode show light modules on a dark background) at the cost of a finder
     * search: the first step's binarized frame with every bit flipped. Flat areas differ from a true inversion (the
     * binarizer calls a flat block light either way), so {@link #INVERTED} stays for what this misses.
     */
    FLIPPED,
    /** ZXing on the inverted frame, binarized again: phones in dark mode show light modules on a dark background. */
    INVERTED,
    /**
     * Not an attempt of its own but a rescue in every other step: when finder patterns were found and the modules did
     * not read, find every alignment pattern of the version and fit the grid's perspective to all of them
     * ({@link AlignedGridReader}); reads slanted codes of version 7 and up that ZXing's one-alignment-pattern grid misreads.
     * A grid that still does not read is bent to the code's own module edges ({@link BentGridReader}: bent paper, lens
     * distortion), as is ZXing's grid of a version 1 code, which has no alignment pattern to refit to.
     */
    ALIGNED_GRID,
    /**
     * Not an attempt of its own but a rescue in every ZXing step: when ZXing's finder search found no triple (or no
     * grid on it), finder patterns are looked for again by the spacing of like edges, which blur, glare and a screen's
     * glow leave whole ({@link EdgeToEdgeFinder}, {@link EdgeFinderRescue}), and the best few triples are read.
     */
    EDGE_FINDER,
    /**
     * BoofCV's QR detector (default configuration: a local block-mean threshold): finder patterns found as dark squares
     * among contours, which survive perspective, blur and uneven light that break ZXing's row scans. Reports every
     * code it reads.
     */
    BOOFCV,
    /**
     * Not an attempt of its own but a rescue in every BoofCV step: a code BoofCV found and could not read is read by
     * ZXing's decoder on a grid fitted to BoofCV's finder patterns, outer corners and the alignment patterns, and
     * when that grid does not read, on the grid bent to the code's module edges ({@link BentGridReader}).
     */
    BOOFCV_QUAD_ZXING,
    /**
     * Not an attempt of its own but a rescue wherever a grid was placed and ZXing's decoder could not correct it
     * (ZXing's own grid, the aligned grid, BoofCV's quad): the modules sampled from the luma with a confidence each,
     * and each Reed-Solomon block corrected with its least confident codewords as erasures ({@link SoftDecisionRescue}).
     */
    SOFT_DECISION,
    /** BoofCV in the other polarity: a dark-mode screen that ZXing's steps did not see finder patterns on. */
    BOOFCV_INVERTED,
    /**
     * BoofCV on the half-size frame, when the shorter side is at least 600 pixels after the first shrink: a
     * close-up's big modules fit its threshold's blocks and blur and noise average out, at a quarter of the cost.
     */
    BOOFCV_HALF_SIZE,
    /**
     * BoofCV, then ZXing, on the frame divided by its local white level ({@link EvenLight}): a cast shadow's edge
     * across a code, which BoofCV's block thresholds and its one module threshold per code cannot read through. It
     * runs only before a code of the frame is read (the decoder stops at one), so a read is in the polarity in which
     * the plane was made; on a camera frame whose first look saw two finder patterns but no triple, it is the only
     * later step (see {@link QrDecoder#PARTIAL_FINDERS}).
     */
    EVEN_LIGHT,
    /**
     * Over-exposure: dark where a pixel dips below a clipped white around it ({@link ClippedWhiteBinarizer}); the blur
     * of a saturated white thins dark modules to a light grey that every mean threshold calls light. Only on frames
     * with a clipped plateau.
     */
    CLIPPED_WHITE,
    /**
     * Each pixel against the mean of the 13x13 pixels around it ({@link LocalMeanBinarizer}): light that changes
     * within a few modules (a glare's edge, a screen's moiré beat, a blurred code's washed-out modules) stays on the
     * right side of a threshold that follows it, where HybridBinarizer's 40x40 neighbourhoods do not.
     */
    LOCAL_MEAN_WIDE,
    /** The same over 7x7 pixels: small modules (two or three pixels) and faster changes in light. */
    LOCAL_MEAN_NARROW,
    /** One global threshold from the histogram: wins on low-contrast, evenly lit codes where local blocks fragment modules. */
    GLOBAL_HISTOGRAM,
    /** BoofCV with one global (Otsu) threshold: evenly lit, low-contrast codes its local blocks fragment. */
    BOOFCV_GLOBAL,
    /** Half size (2x2 means): blur, sensor noise and screen moiré average out, and big modules fit the 8-pixel blocks. */
    HALF_SIZE,
    /**
     * The frame turned a quarter: ZXing searches finder patterns along rows and only confirms them across, so a code
     * at 90 or 270 degrees, or skewed, reads in one orientation and not the other.
     */
    QUARTER_TURN,
    /** A 3x3 mean first: sensor noise in low light breaks the 1:1:3:1:1 runs of the finder patterns. */
    SMOOTHED,
    /**
     * Dark where below 35% of the brightest pixel within 10 pixels ({@link LocalPeakBinarizer}): a phone screen's
     * moiré scales its light in stripes finer than two modules, which every mean-based threshold follows.
     */
    SCREEN_MOIRE,
    /** Double size (bilinear) for small frames: modules of one or two pixels get room for a threshold. */
    DOUBLE_SIZE,
    /**
     * The doubled frame against the mean of the 25x25 pixels around each (13x13 at the frame's scale): small blurred
     * modules get room for a threshold and one that follows the light.
     */
    DOUBLE_SIZE_LOCAL_MEAN,
    /** For frames that were shrunk to fit: the full resolution, for a small code far away in a big photo. */
    FULL_SIZE,
    /** BoofCV at full resolution for frames that were shrunk to fit: a small code far away in a big photo. */
    BOOFCV_FULL_SIZE
}
