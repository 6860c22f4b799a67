package ckp.kiosk.scan;

import com.google.zxing.DecodeHintType;
import com.google.zxing.FormatException;
import com.google.zxing.ReaderException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.DecoderResult;
import com.google.zxing.common.PerspectiveTransform;
import com.google.zxing.qrcode.decoder.Decoder;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The {@link DecodeStep#SOFT_DECISION} rescue: a grid was placed on a code but ZXing's decoder could not correct its
 * modules. It samples the modules from the luma with a confidence each ({@link ModuleSampler}), reads the codewords
 * ({@link QrCodewordLayout}), and corrects each Reed-Solomon block with its least confident codewords as erasures
 * ({@link ReedSolomonErasures}), which fixes up to twice as many bad codewords as errors-only decoding when a glare,
 * a shadow or a scratch made them unsure. The corrected codewords are written back, masked, into a clean matrix that
 * ZXing's own decoder parses, so the bitstream is read as everywhere else.
 */
final class SoftDecisionRescue {
    /**
     * Check symbols each block keeps unused: a block is accepted only when 2 * errors + erasures <= ec - MARGIN. A word
     * that is not near a codeword (a misplaced grid, noise, a code too damaged) passes a hypothesis of ν errors and s
     * erasures with probability about C(n - s, ν) / 256^(ν + MARGIN), so over all the hypotheses a block tries, about
     * 256^-MARGIN: measured on 100,000 random blocks each, margin 1 accepts 0.4-0.5% (as predicted), 2 about 2e-5, 3
     * none (predicted 7e-8); see docs/performance.md. ZXing's own decoder keeps no margin.
     */
    static final int MARGIN = 3;

    /** A code read: ZXing's result, and whether it was read transposed (a mirrored code). */
    record Read(DecoderResult result, boolean mirrored) {
    }

    private final LumaPlane plane;
    private final boolean inverted;
    private final Map<DecodeHintType, ?> hints;
    private final BooleanSupplier stop;
    private final Decoder decoder = new Decoder();

    /** @param stop says when the frame's wall-clock cut-off has passed: no rescue starts after it */
    SoftDecisionRescue(LumaPlane plane, boolean inverted, Map<DecodeHintType, ?> hints, BooleanSupplier stop) {
        this.plane = plane;
        this.inverted = inverted;
        this.hints = hints;
        this.stop = stop;
    }

    /** Reads the code on the grid that {@code moduleToPlane} maps (module corners at integers) to the plane's pixels. */
    Optional<Read> read(PerspectiveTransform moduleToPlane, int dimension) {
        if (stop.getAsBoolean()) {
            return Optional.empty();
        }
        QrCodewordLayout layout;
        try {
            layout = new QrCodewordLayout(dimension);
        } catch (FormatException e) {
            return Optional.empty();
        }
        ModuleSampler.Grid grid = ModuleSampler.sample(plane, inverted, moduleToPlane, dimension);
        Optional<BitMatrix> corrected = correct(layout, grid, MARGIN);
        boolean mirrored = false;
        if (corrected.isEmpty()) {
            corrected = correct(layout, grid.transposed(), MARGIN);
            mirrored = true;
        }
        if (corrected.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Read(decoder.decode(corrected.get(), hints), mirrored));
        } catch (ReaderException e) {
            // The blocks corrected but the bitstream did not parse: not a code after all.
            return Optional.empty();
        }
    }

    /**
     * The grid's codewords corrected block by block and written back into a clean matrix (format and version words
     * as the standard places them, data masked), or empty when the format word or any block does not correct with
     * {@code margin} check symbols to spare.
     */
    static Optional<BitMatrix> correct(QrCodewordLayout layout, ModuleSampler.Grid grid, int margin) {
        int dimension = layout.dimension;
        int format = QrCodewordLayout.nearestFormat(readWord(grid, layout.formatModules(0)), readWord(grid, layout.formatModules(1)));
        if (format < 0) {
            return Optional.empty();
        }
        int versionNumber = layout.version.getVersionNumber();
        if (versionNumber >= 7 && !QrCodewordLayout.versionMatches(versionNumber,
                readWord(grid, layout.versionModules(0)), readWord(grid, layout.versionModules(1)))) {
            return Optional.empty();
        }
        ErrorCorrectionLevel level = ErrorCorrectionLevel.forBits(format >> 3);
        int mask = format & 7;
        int total = layout.version.getTotalCodewords();
        int[] codewords = new int[total];
        float[] confidence = new float[total];
        for (int m = 0; m < dimension * dimension; m++) {
            int cw = layout.codewordOf[m];
            if (cw < 0) {
                continue;
            }
            boolean bit = grid.dark()[m] ^ QrCodewordLayout.masked(mask, m / dimension, m % dimension);
            if (bit) {
                codewords[cw] |= 1 << layout.bitOf[m];
            }
            // A codeword is as sure as its bits together: each bit near the threshold takes away up to 1, a clear bit
            // almost nothing (measured on the black-box misses against the codes' true codewords, this ranks more of
            // the wrong codewords among the least sure than the least sure bit alone: 1,717 against 1,643 of 2,160).
            confidence[cw] -= (float) Math.exp(-3 * grid.confidence()[m]);
        }
        int ec = layout.version.getECBlocksForLevel(level).getECCodewordsPerBlock();
        for (int[] positions : layout.blocks(level)) {
            if (!correctBlock(codewords, confidence, positions, ec, margin)) {
                return Optional.empty();
            }
        }
        BitMatrix out = new BitMatrix(dimension);
        for (int m = 0; m < dimension * dimension; m++) {
            int cw = layout.codewordOf[m];
            boolean bit = cw < 0 ? grid.dark()[m]
                    : ((codewords[cw] >> layout.bitOf[m]) & 1) == 1 ^ QrCodewordLayout.masked(mask, m / dimension, m % dimension);
            QrCodewordLayout.put(out, m % dimension, m / dimension, bit);
        }
        int formatWord = QrCodewordLayout.formatWord(level, mask);
        for (int copy = 0; copy < 2; copy++) {
            writeWord(out, layout.formatModules(copy), formatWord);
            if (versionNumber >= 7) {
                writeWord(out, layout.versionModules(copy), QrCodewordLayout.versionWord(versionNumber));
            }
        }
        return Optional.of(out);
    }

    /**
     * Corrects one block in place: errors only first, then with the 1, 2, ... least confident codewords as erasures,
     * as long as the margin allows; false when no hypothesis corrects it.
     */
    static boolean correctBlock(int[] codewords, float[] confidence, int[] positions, int ec, int margin) {
        int n = positions.length;
        int[] block = new int[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            block[i] = codewords[positions[i]];
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(confidence[positions[a]], confidence[positions[b]]));
        for (int s = 0; s <= ec - margin; s++) {
            int[] erasures = new int[s];
            for (int i = 0; i < s; i++) {
                erasures[i] = order[i];
            }
            if (ReedSolomonErasures.correct(block, ec, erasures, margin)) {
                for (int i = 0; i < n; i++) {
                    codewords[positions[i]] = block[i];
                }
                return true;
            }
        }
        return false;
    }

    private static int readWord(ModuleSampler.Grid grid, int[][] modules) {
        int word = 0;
        for (int[] m : modules) {
            word = (word << 1) | (grid.dark()[m[1] * grid.dimension() + m[0]] ? 1 : 0);
        }
        return word;
    }

    private static void writeWord(BitMatrix out, int[][] modules, int word) {
        for (int i = 0; i < modules.length; i++) {
            QrCodewordLayout.put(out, modules[i][0], modules[i][1], ((word >> (modules.length - 1 - i)) & 1) == 1);
        }
    }
}
