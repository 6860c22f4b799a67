package ckp.kiosk.scan;

import com.google.zxing.Binarizer;
import com.google.zxing.LuminanceSource;
import com.google.zxing.common.BitArray;
import com.google.zxing.common.BitMatrix;

/**
 * A binarizer that thresholds the whole plane once, on first request, and answers rows from that matrix: the QR
 * reader asks for the matrix, and the aligned-grid rescue reuses it, so the threshold never runs twice per attempt.
 */
abstract class WholePlaneBinarizer extends Binarizer {
    private BitMatrix matrix;

    WholePlaneBinarizer(LuminanceSource source) {
        super(source);
    }

    /** Thresholds a {@code width} x {@code height} luma plane (rows packed); set bits are dark. */
    abstract BitMatrix threshold(byte[] luma, int width, int height);

    @Override
    public final BitArray getBlackRow(int y, BitArray row) {
        return getBlackMatrix().getRow(y, row);
    }

    @Override
    public final BitMatrix getBlackMatrix() {
        if (matrix == null) {
            LuminanceSource source = getLuminanceSource();
            matrix = threshold(source.getMatrix(), source.getWidth(), source.getHeight());
        }
        return matrix;
    }
}
