package ckp.kiosk.scan;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.NotFoundException;
import com.google.zxing.PlanarYUVLuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.Result;
import com.google.zxing.ResultPoint;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import ckp.drivers.camera.Frame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Finds QR codes in a luma plane with ZXing, reading the camera's buffer in place (the stride is ZXing's data width,
 * so padded rows cost nothing). Not thread-safe: one decoder per worker thread.
 */
public final class QrDecoder implements FrameDecoder {
    private final QRCodeReader reader = new QRCodeReader();
    private final Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);

    public QrDecoder() {
        hints.put(DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE));
        hints.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
        // Passes carry UTF-8 without an ECI (Chinese plates); ZXing would otherwise guess Shift_JIS or ISO-8859-1.
        hints.put(DecodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());
    }

    /** The codes in the frame; empty when there are none. */
    @Override
    public List<DecodedCode> decode(Frame frame) {
        LuminanceSource source = new PlanarYUVLuminanceSource(frame.luma(), frame.stride(), frame.height(), 0, 0,
                frame.width(), frame.height(), false);
        List<DecodedCode> found = decode(source);
        if (found.isEmpty()) {
            // Phones in dark mode show light modules on a dark background.
            found = decode(source.invert());
        }
        return found;
    }

    private List<DecodedCode> decode(LuminanceSource source) {
        try {
            Result r = reader.decode(new BinaryBitmap(new HybridBinarizer(source)), hints);
            List<DecodedCode.Point> points = new ArrayList<>();
            for (ResultPoint p : r.getResultPoints()) {
                if (p != null) {
                    points.add(new DecodedCode.Point(p.getX(), p.getY()));
                }
            }
            return List.of(new DecodedCode(r.getText(), points));
        } catch (NotFoundException e) {
            return List.of();
        } catch (ReaderException e) {
            // A checksum or format failure is a code we could not read in this frame; the next frame may do better.
            return List.of();
        } finally {
            reader.reset();
        }
    }
}
