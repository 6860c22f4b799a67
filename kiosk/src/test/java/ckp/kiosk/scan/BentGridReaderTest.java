package ckp.kiosk.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.drivers.camera.Frame;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.ChecksumException;
import com.google.zxing.DecodeHintType;
import com.google.zxing.EncodeHintType;
import com.google.zxing.FormatException;
import com.google.zxing.ReaderException;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.DetectorResult;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.Decoder;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.detector.Detector;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link BentGridReader}: codes on bent paper that no fitted homography reads, and grids that must read nothing. */
class BentGridReaderTest {
    private static final String TEXT = "CKP1:A PASS PRINTED ON PAPER AND HELD BENT ROUND A HAND, SO ITS MODULES DO NOT LIE"
            + " ON ONE HOMOGRAPHY 0123456789";

    /**
     * A code printed on a sheet bent round a cylinder whose axis runs down the sheet, seen square on (so the modules
     * shrink towards the sheet's sides as the sine of the arc), turned by {@code rollDegrees}, on seeded sensor noise.
     *
     * @param arcRadians the angle the code's width spans on the cylinder
     */
    static Frame bentCode(BitMatrix code, double modulePx, double arcRadians, double rollDegrees, long seed) {
        int width = 640;
        int height = 480;
        int n = code.getWidth();
        double radius = n * modulePx / arcRadians;
        double cos = Math.cos(Math.toRadians(rollDegrees));
        double sin = Math.sin(Math.toRadians(rollDegrees));
        Random random = new Random(seed);
        byte[] luma = new byte[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                // 3x3 samples per pixel: the camera's pixel averages what falls on it.
                int dark = 0;
                for (int sy = 0; sy < 3; sy++) {
                    for (int sx = 0; sx < 3; sx++) {
                        double px = x + (sx + 0.5) / 3 - width / 2.0;
                        double py = y + (sy + 0.5) / 3 - height / 2.0;
                        double along = cos * px + sin * py;
                        double down = -sin * px + cos * py;
                        if (Math.abs(along) >= radius) {
                            continue;
                        }
                        double u = radius * Math.asin(along / radius) / modulePx + n / 2.0;
                        double v = down / modulePx + n / 2.0;
                        if (u >= 0 && v >= 0 && u < n && v < n && code.get((int) u, (int) v)) {
                            dark++;
                        }
                    }
                }
                double value = 225 - dark * (190 / 9.0) + random.nextGaussian() * 4;
                luma[y * width + x] = (byte) Math.max(0, Math.min(255, Math.round(value)));
            }
        }
        return new Frame(luma, width, height, width, 0, 0);
    }

    static BitMatrix code(String text) throws WriterException {
        return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.L, EncodeHintType.MARGIN, 4));
    }

    private static Map<DecodeHintType, Object> hints() {
        Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);
        hints.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
        return hints;
    }

    private static BitMatrix binarized(Frame frame) throws ReaderException {
        return new HybridBinarizer(LumaPlane.of(frame.luma(), frame.width(), frame.height(), frame.stride()).source())
                .getBlackMatrix();
    }

    @Test
    void aCodeBentRoundACylinderThatNoFittedHomographyReadsIsReadOnTheGridBentToItsModuleEdges() throws Exception {
        Frame frame = bentCode(code(TEXT), 5.2, Math.toRadians(90), 17, 11);
        BitMatrix image = binarized(frame);
        DetectorResult detected = new Detector(image).detect(hints());
        assertThrows(ReaderException.class, () -> new Decoder().decode(detected.getBits(), hints()),
                "ZXing's grid through the finders and one alignment pattern misses the bent modules");

        Optional<AlignedGridReader.ReadCode> read = new AlignedGridReader(image).read(detected, hints());

        assertEquals(Optional.of(TEXT), read.map(AlignedGridReader.ReadCode::text));
    }

    @Test
    void theDecoderReadsABentCodeThatItsStraightGridsAndBoofcvMissOnTheGridBoofcvFoundBent() throws Exception {
        Frame frame = bentCode(code(TEXT), 4.0, Math.toRadians(100), 17, 11);

        QrDecoder decoder = new QrDecoder(Duration.ofSeconds(5), EnumSet.allOf(DecodeStep.class));
        List<DecodedCode> codes = decoder.decode(frame);

        assertEquals(List.of(TEXT), codes.stream().map(DecodedCode::text).toList());
        assertEquals(Optional.of(DecodeStep.BOOFCV_QUAD_ZXING), decoder.lastReadBy());
    }

    @Test
    void aGridLaidOnNoiseOrOnTheWrongPlaceReadsNothing() throws Exception {
        Random random = new Random(5);
        Map<DecodeHintType, Object> hints = hints();
        BitMatrix code = code(TEXT);
        int dimension = code.getWidth() - 8;
        for (int trial = 0; trial < 60; trial++) {
            BitMatrix image = new BitMatrix(320, 240);
            // Half the trials noise, half a real code's modules with the grid laid a few modules off it.
            boolean onCode = trial % 2 == 1;
            for (int y = 0; y < 240; y++) {
                for (int x = 0; x < 320; x++) {
                    boolean dark = onCode ? code.get(x / 4 % code.getWidth(), y / 4 % code.getHeight()) : random.nextBoolean();
                    if (dark) {
                        image.set(x, y);
                    }
                }
            }
            double module = 3 + random.nextDouble() * 3;
            double x0 = 5 + random.nextInt(20) + (onCode ? 4 * (1 + random.nextInt(3)) * 4 : 0);
            double y0 = 5 + random.nextInt(20);
            double[] h = {module, 0.05 * random.nextGaussian(), x0, 0.05 * random.nextGaussian(), module, y0, 0, 0};
            Optional<AlignedGridReader.ReadCode> read =
                    BentGridReader.read(image, h, dimension, module, new Decoder(), hints, () -> false);
            assertTrue(read.isEmpty() || read.get().text().equals(TEXT), "trial " + trial + " read " + read);
        }
    }

    @Test
    void nothingIsBentOnceTheFramesTimeIsUp() throws Exception {
        Frame frame = bentCode(code(TEXT), 5.2, Math.toRadians(90), 17, 11);
        BitMatrix image = binarized(frame);
        DetectorResult detected = new Detector(image).detect(hints());

        assertEquals(Optional.empty(), new AlignedGridReader(image, null, () -> true).read(detected, hints()));
    }
}
