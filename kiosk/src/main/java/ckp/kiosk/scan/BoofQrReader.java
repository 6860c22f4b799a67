package ckp.kiosk.scan;

import boofcv.abst.fiducial.QrCodePreciseDetector;
import boofcv.alg.fiducial.qrcode.QrCode;
import boofcv.factory.fiducial.ConfigQrCode;
import boofcv.factory.fiducial.FactoryFiducial;
import boofcv.struct.image.GrayU8;
import georegression.struct.point.Point2D_F64;
import georegression.struct.shapes.Polygon2D_F64;
import com.google.zxing.common.StringUtils;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * BoofCV's QR detector on a luma plane: it finds finder patterns as dark squares among the contours of a thresholded
 * image and fits their polygons, so it finds codes under perspective, blur and poor light where ZXing's row-scanning
 * finder search gives up. It reports every code in the plane, read or not; a code it found and could not read is
 * handed to ZXing's decoder on a grid fitted to BoofCV's finder patterns ({@link AlignedGridReader#readAt}). The
 * detector and its image wrapper are made once and reused; not thread-safe, like the {@link QrDecoder} that owns it.
 */
final class BoofQrReader {
    /**
     * A code BoofCV found: its text when BoofCV read it (as ZXing would read the bytes; {@code boofText} as BoofCV
     * did), and its geometry in the plane's pixels: {@code bounds} the code's corners (top-left, top-right,
     * bottom-right, bottom-left), {@code corner} the top-left finder pattern's square, {@code down} the top-right one's
     * and {@code right} the bottom-left one's (BoofCV names them in its row-first grid); {@code version} -1 when
     * BoofCV could not read it.
     */
    record Found(String text, String boofText, Polygon2D_F64 bounds, Polygon2D_F64 corner, Polygon2D_F64 right,
                 Polygon2D_F64 down, int version) {
        boolean read() {
            return text != null;
        }
    }

    private final QrCodePreciseDetector<GrayU8> detector;
    /** Wraps a plane's bytes in place (no copy) for the detector. */
    private final GrayU8 wrapper = new GrayU8();
    /** The inverted plane for dark-mode frames, reused between frames of the same size. */
    private byte[] invertedBuffer = new byte[0];

    /** @param config the detector's configuration: {@code new ConfigQrCode()} is BoofCV's default */
    BoofQrReader(ConfigQrCode config) {
        this.detector = FactoryFiducial.qrcode(config, GrayU8.class);
    }

    /** Every code BoofCV finds in the plane (light on dark when {@code inverted}), read ones first. */
    List<Found> find(LumaPlane plane, boolean inverted) {
        if (inverted) {
            int n = plane.width() * plane.height();
            if (invertedBuffer.length < n) {
                invertedBuffer = new byte[n];
            }
            byte[] src = plane.luma();
            for (int y = 0; y < plane.height(); y++) {
                int s = y * plane.stride();
                int d = y * plane.width();
                for (int x = 0; x < plane.width(); x++) {
                    invertedBuffer[d + x] = (byte) ~src[s + x];
                }
            }
            wrap(invertedBuffer, plane.width(), plane.height(), plane.width());
        } else {
            wrap(plane.luma(), plane.width(), plane.height(), plane.stride());
        }
        detector.process(wrapper);
        positionPatterns = detector.getDetectPositionPatterns().getPositionPatterns().size();
        List<Found> out = new ArrayList<>();
        for (QrCode qr : detector.getDetections()) {
            out.add(found(qr, qr.message));
        }
        for (QrCode qr : detector.getFailures()) {
            out.add(found(qr, null));
        }
        return out;
    }

    /** How many finder patterns (dark squares in a light ring) the last {@link #find} saw, in codes or not. */
    int positionPatterns() {
        return positionPatterns;
    }

    private int positionPatterns;

    private void wrap(byte[] data, int width, int height, int stride) {
        wrapper.data = data;
        wrapper.width = width;
        wrapper.height = height;
        wrapper.stride = stride;
        wrapper.startIndex = 0;
        wrapper.subImage = stride != width;
    }

    private static Found found(QrCode qr, String text) {
        // Copies: the detector reuses its QrCode objects on the next frame.
        return new Found(text == null ? null : asZxingReadsIt(qr, text), text, qr.bounds.copy(), qr.ppCorner.copy(), qr.ppRight.copy(), qr.ppDown.copy(),
                qr.failureCause.ordinal() > QrCode.Failure.VERSION.ordinal() || text != null ? qr.version : -1);
    }

    /**
     * The text as ZXing reads the same code: bytes without an ECI carry no charset, and where BoofCV takes them as
     * UTF-8 or ISO-8859-1, ZXing also recognises Shift_JIS (Japanese codes); one guess for both detectors means a
     * code reads the same whichever step found it.
     */
    private static String asZxingReadsIt(QrCode qr, String text) {
        if (qr.mode != QrCode.Mode.BYTE || qr.byteEncoding == null) {
            return text;
        }
        Charset used;
        if (qr.byteEncoding.equalsIgnoreCase("UTF-8") || qr.byteEncoding.equalsIgnoreCase("UTF8")) {
            used = StandardCharsets.UTF_8;
        } else if (qr.byteEncoding.equalsIgnoreCase("ISO-8859-1") || qr.byteEncoding.equalsIgnoreCase("ISO8859_1")) {
            used = StandardCharsets.ISO_8859_1;
        } else {
            return text;
        }
        byte[] bytes = text.getBytes(used);
        if (!new String(bytes, used).equals(text)) {
            return text;
        }
        Charset guess = StringUtils.guessCharset(bytes, Map.of());
        return guess == null ? text : new String(bytes, guess);
    }

    /** The centre of a finder pattern's square. */
    static Point2D_F64 centre(Polygon2D_F64 square) {
        double x = 0;
        double y = 0;
        for (int i = 0; i < square.size(); i++) {
            x += square.get(i).x;
            y += square.get(i).y;
        }
        return new Point2D_F64(x / square.size(), y / square.size());
    }

    /** The mean side of a finder pattern's square: seven modules. */
    static double side(Polygon2D_F64 square) {
        double sum = 0;
        for (int i = 0; i < square.size(); i++) {
            sum += square.get(i).distance(square.get((i + 1) % square.size()));
        }
        return sum / square.size();
    }

    /** A BoofCV polygon's four corners, in its order. */
    static float[][] corners(georegression.struct.shapes.Polygon2D_F64 bounds) {
        float[][] out = new float[4][];
        for (int i = 0; i < 4; i++) {
            out[i] = new float[] {(float) bounds.get(i).x, (float) bounds.get(i).y};
        }
        return out;
    }
}
