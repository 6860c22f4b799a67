package ckp.kiosk.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.drivers.camera.Frame;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QrDecoderTest {
    private final QrDecoder decoder = new QrDecoder(Duration.ofSeconds(5), EnumSet.allOf(DecodeStep.class));

    /** Draws a code's modules (black on white, 4-module quiet zone) at {@code scale} pixels per module, at (x0, y0) in a frame. */
    private static Frame frame(BitMatrix m, int scale, int width, int height, int stride, int x0, int y0, boolean dark) {
        byte[] luma = new byte[stride * height];
        byte paper = (byte) (dark ? 20 : 235);
        byte ink = (byte) (dark ? 220 : 25);
        java.util.Arrays.fill(luma, paper);
        for (int y = 0; y < m.getHeight() * scale; y++) {
            for (int x = 0; x < m.getWidth() * scale; x++) {
                if (m.get(x / scale, y / scale)) {
                    luma[(y0 + y) * stride + x0 + x] = ink;
                }
            }
        }
        return new Frame(luma, width, height, stride, 0, 0);
    }

    private static BitMatrix code(String text, Map<EncodeHintType, Object> hints) throws WriterException {
        return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints);
    }

    /** UTF-8 bytes in byte mode with no ECI, as most pass printers write them. */
    private static BitMatrix utf8WithoutEci(String text) throws WriterException {
        return code(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1),
                Map.of(EncodeHintType.MARGIN, 4));
    }

    @Test
    void aChinesePlateInUtf8WithoutAnEciDecodesAsUtf8() throws WriterException {
        String text = "CKP1:粤B·D12345|张伟";
        List<DecodedCode> codes = decoder.decode(frame(utf8WithoutEci(text), 4, 640, 480, 640, 100, 80, false));
        assertEquals(List.of(text), codes.stream().map(DecodedCode::text).toList());
    }

    @Test
    void aCodeWithAnEciKeepsItsCharset() throws WriterException {
        // Shift_JIS and GB18030 bytes are not valid UTF-8: only the ECI tells the decoder what they are.
        for (String charset : List.of("Shift_JIS", "GB18030", "ISO-8859-1")) {
            String text = charset.equals("ISO-8859-1") ? "Größe ÀÉÎ" : charset.equals("GB18030") ? "京A·12345 张伟" : "日本語のパス";
            BitMatrix m = code(text, Map.of(EncodeHintType.CHARACTER_SET, charset, EncodeHintType.MARGIN, 4));
            List<DecodedCode> codes = decoder.decode(frame(m, 4, 640, 480, 640, 100, 80, false));
            assertEquals(List.of(text), codes.stream().map(DecodedCode::text).toList(), charset);
        }
    }

    @Test
    void aDarkModeScreenWithLightModulesDecodes() throws WriterException {
        List<DecodedCode> codes = decoder.decode(frame(utf8WithoutEci("CKP1:DARK MODE"), 5, 640, 480, 640, 150, 100, true));
        assertEquals(List.of("CKP1:DARK MODE"), codes.stream().map(DecodedCode::text).toList());
    }

    @Test
    void aDarkModeScreenIsReadByFlippingTheFirstPassBinarizedFrame() throws WriterException {
        Frame dark = frame(utf8WithoutEci("CKP1:FLIPPED"), 5, 640, 480, 640, 150, 100, true);
        assertEquals(List.of(), new QrDecoder(Duration.ofSeconds(5), List.of(DecodeStep.HYBRID)).decode(dark),
                "the first pass looks for dark modules on light paper");
        QrDecoder flipped = new QrDecoder(Duration.ofSeconds(5), List.of(DecodeStep.HYBRID, DecodeStep.FLIPPED));
        List<DecodedCode> codes = flipped.decode(dark);
        assertEquals(List.of("CKP1:FLIPPED"), codes.stream().map(DecodedCode::text).toList());
        assertEquals(java.util.Optional.of(DecodeStep.FLIPPED), flipped.lastReadBy());
        assertCornersOfDrawnCode(codes.get(0), utf8WithoutEci("CKP1:FLIPPED"), 5, 150, 100);
    }

    @Test
    void aWarmedUpDecoderStillReadsCodesAndReadsNothingFromAFrameWithoutOne() throws WriterException {
        QrDecoder warmed = new QrDecoder(Duration.ofMillis(60));
        warmed.warmUp();
        byte[] noise = new byte[640 * 480];
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (byte) random.nextInt(256);
        }
        assertEquals(List.of(), warmed.decode(new Frame(noise, 640, 480, 640, 0, 0)));
        List<DecodedCode> codes = warmed.decode(frame(utf8WithoutEci("CKP1:AFTER WARM-UP"), 4, 640, 480, 640, 100, 80, false));
        assertEquals(List.of("CKP1:AFTER WARM-UP"), codes.stream().map(DecodedCode::text).toList());
    }

    @Test
    void aPaddedStrideIsReadInPlaceWithoutTheRowPaddingMattering() throws WriterException {
        // A Pi 4 pads 1000-pixel rows to 1024 bytes; fill the padding with noise that would break a copy that ignored it.
        Frame f = frame(utf8WithoutEci("CKP1:STRIDE"), 6, 1000, 480, 1024, 300, 60, false);
        for (int y = 0; y < 480; y++) {
            for (int x = 1000; x < 1024; x++) {
                f.luma()[y * 1024 + x] = (byte) (x * 37 + y * 11);
            }
        }
        assertEquals(List.of("CKP1:STRIDE"), decoder.decode(f).stream().map(DecodedCode::text).toList());
    }

    /** Asserts the code's corners lie within a module of where a code drawn at (x0, y0) with a 4-module quiet zone has them. */
    static void assertCornersOfDrawnCode(DecodedCode code, BitMatrix m, int scale, int x0, int y0) {
        float near = 4f * scale;
        float far = (m.getWidth() - 4f) * scale;
        float[][] expected = {{x0 + near, y0 + near}, {x0 + far, y0 + near}, {x0 + far, y0 + far}, {x0 + near, y0 + far}};
        for (int i = 0; i < 4; i++) {
            DecodedCode.Point p = code.corners().get(i);
            assertTrue(Math.abs(p.x() - expected[i][0]) < scale && Math.abs(p.y() - expected[i][1]) < scale,
                    "corner " + i + " of " + code.corners() + " should be near (" + expected[i][0] + ", " + expected[i][1] + ")");
        }
    }

    @Test
    void aPhonePhotoOf4032x3024DecodesWithCornersInTheOriginalImage() throws WriterException {
        BitMatrix m = utf8WithoutEci("CKP1:A BIG PHOTO");
        int scale = 60;
        int x0 = 1500;
        int y0 = 900;
        List<DecodedCode> codes = decoder.decode(frame(m, scale, 4032, 3024, 4032, x0, y0, false));
        assertEquals(1, codes.size());
        assertEquals("CKP1:A BIG PHOTO", codes.get(0).text());
        assertCornersOfDrawnCode(codes.get(0), m, scale, x0, y0);
    }

    @Test
    void cornersFoundInAQuarterTurnedPlaneAreMappedBackToTheFrame() throws WriterException {
        BitMatrix m = utf8WithoutEci("CKP1:TURNED");
        int scale = 6;
        int x0 = 300;
        int y0 = 40;
        QrDecoder turnedOnly = new QrDecoder(Duration.ofSeconds(5), EnumSet.of(DecodeStep.QUARTER_TURN));
        List<DecodedCode> codes = turnedOnly.decode(frame(m, scale, 640, 480, 640, x0, y0, false));
        assertEquals(1, codes.size());
        assertCornersOfDrawnCode(codes.get(0), m, scale, x0, y0);
    }

    @Test
    void aFrameWithNoCodeGivesNothing() {
        byte[] luma = new byte[640 * 480];
        for (int i = 0; i < luma.length; i++) {
            luma[i] = (byte) ((i % 640 / 20 + i / 640 / 20) % 2 == 0 ? 30 : 220);
        }
        assertEquals(List.of(), decoder.decode(new Frame(luma, 640, 480, 640, 0, 0)));
    }

    @Test
    void framesWithoutACodeGiveNothingWhateverTheirContent() {
        List<Frame> frames = new java.util.ArrayList<>();
        byte[] grey = new byte[640 * 480];
        java.util.Arrays.fill(grey, (byte) 128);
        frames.add(new Frame(grey, 640, 480, 640, 0, 0));
        byte[] black = new byte[640 * 480];
        frames.add(new Frame(black, 640, 480, 640, 0, 0));
        java.util.Random random = new java.util.Random(11);
        byte[] noise = new byte[640 * 480];
        random.nextBytes(noise);
        frames.add(new Frame(noise, 640, 480, 640, 0, 0));
        // Squares of finder-pattern size scattered about: candidates for every detector, but no code.
        byte[] squares = new byte[640 * 480];
        java.util.Arrays.fill(squares, (byte) 230);
        for (int k = 0; k < 40; k++) {
            int x0 = random.nextInt(600);
            int y0 = random.nextInt(440);
            for (int y = 0; y < 35; y++) {
                for (int x = 0; x < 35; x++) {
                    boolean ring = x < 5 || y < 5 || x >= 30 || y >= 30;
                    boolean core = x >= 10 && y >= 10 && x < 25 && y < 25;
                    if ((ring || core) && y0 + y < 480 && x0 + x < 640) {
                        squares[(y0 + y) * 640 + x0 + x] = 20;
                    }
                }
            }
        }
        frames.add(new Frame(squares, 640, 480, 640, 0, 0));
        QrDecoder everyStep = new QrDecoder(Duration.ofSeconds(5), List.of(DecodeStep.values()), false);
        for (Frame f : frames) {
            assertEquals(List.of(), decoder.decode(f));
            assertEquals(List.of(), everyStep.decode(f));
        }
    }

    @Test
    void aCameraFrameWhereNoDetectorFindsAFinderPatternEndsAfterTheFirstLookWhileAFileGetsEveryStep() {
        byte[] noise = new byte[640 * 480];
        new java.util.Random(5).nextBytes(noise);
        Frame frame = new Frame(noise, 640, 480, 640, 0, 0);
        QrDecoder camera = new QrDecoder(Duration.ofSeconds(5), List.of(DecodeStep.values()));
        assertEquals(List.of(), camera.decode(frame));
        assertEquals(QrDecoder.FIRST_LOOK.size(), camera.stepsRun(), "steps run on a camera frame with nothing code-like");
        QrDecoder file = new QrDecoder(Duration.ofSeconds(5), List.of(DecodeStep.values()), false);
        assertEquals(List.of(), file.decode(frame));
        assertTrue(file.stepsRun() > QrDecoder.FIRST_LOOK.size(), "a file ran " + file.stepsRun() + " steps");
    }

    @Test
    void tinyAndOddlyShapedFramesGiveNothingRatherThanFailing() {
        int[][] sizes = {{1, 1}, {3, 200}, {200, 3}, {17, 17}, {40, 30}};
        for (int[] size : sizes) {
            byte[] luma = new byte[size[0] * size[1]];
            new java.util.Random(size[0]).nextBytes(luma);
            assertEquals(List.of(), decoder.decode(new Frame(luma, size[0], size[1], size[0], 0, 0)),
                    size[0] + "x" + size[1]);
        }
    }

    @Test
    void everyCodeInTheFrameIsReportedWithItsOwnCorners() throws WriterException {
        BitMatrix a = utf8WithoutEci("CKP1:FIRST PASS");
        BitMatrix b = utf8WithoutEci("https://example.org/parking/7");
        BitMatrix c = utf8WithoutEci("CKP1:SECOND PASS");
        int scale = 4;
        byte[] luma = new byte[1280 * 480];
        java.util.Arrays.fill(luma, (byte) 235);
        Frame frame = new Frame(luma, 1280, 480, 1280, 0, 0);
        int[][] at = {{30, 60}, {450, 200}, {870, 40}};
        BitMatrix[] codes = {a, b, c};
        for (int k = 0; k < 3; k++) {
            draw(luma, 1280, codes[k], scale, at[k][0], at[k][1]);
        }
        List<DecodedCode> found = decoder.decode(frame);
        assertEquals(java.util.Set.of("CKP1:FIRST PASS", "https://example.org/parking/7", "CKP1:SECOND PASS"),
                found.stream().map(DecodedCode::text).collect(java.util.stream.Collectors.toSet()));
        for (DecodedCode code : found) {
            int k = code.text().equals("CKP1:FIRST PASS") ? 0 : code.text().startsWith("https") ? 1 : 2;
            assertCornersOfDrawnCode(code, codes[k], scale, at[k][0], at[k][1]);
        }
    }

    @Test
    void boofcvAloneReadsADarkModeScreenThroughItsInvertedStep() throws WriterException {
        Frame dark = frame(utf8WithoutEci("CKP1:DARK FOR BOOFCV"), 5, 640, 480, 640, 150, 100, true);
        assertEquals(List.of(), new QrDecoder(Duration.ofSeconds(5), EnumSet.of(DecodeStep.BOOFCV)).decode(dark),
                "BoofCV looks for dark finder patterns on light paper");
        List<DecodedCode> codes = new QrDecoder(Duration.ofSeconds(5), EnumSet.of(DecodeStep.BOOFCV_INVERTED)).decode(dark);
        assertEquals(List.of("CKP1:DARK FOR BOOFCV"), codes.stream().map(DecodedCode::text).toList());
        assertCornersOfDrawnCode(codes.get(0), utf8WithoutEci("CKP1:DARK FOR BOOFCV"), 5, 150, 100);
    }

    @Test
    void aCodeBoofcvFindsButCannotReadIsReadByZxingOnTheGridBoofcvFound() throws WriterException {
        // A soft shadow across the middle of the code, clear of the finder patterns: BoofCV thresholds each module
        // against the light it measured at the finder patterns, so the light modules in the shadow read dark and the
        // error correction gives up; ZXing's decoder on a threshold that follows the light reads the same grid.
        String text = "CKP1:SHADOW ACROSS THE MIDDLE OF THE PASS";
        BitMatrix m = code(text, Map.of(EncodeHintType.MARGIN, 4, EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.L));
        int scale = 5;
        int x0 = 150;
        int y0 = 60;
        Frame frame = frame(m, scale, 640, 480, 640, x0, y0, false);
        int modules = m.getHeight() - 8;
        int top = y0 + (4 + 8) * scale;
        int bottom = y0 + (4 + modules - 8) * scale;
        for (int y = top; y < bottom; y++) {
            double light = 1 - 0.6 * Math.sin(Math.PI * (y - top) / (bottom - top));
            for (int x = 0; x < 640; x++) {
                int i = y * 640 + x;
                frame.luma()[i] = (byte) Math.round((frame.luma()[i] & 0xff) * light);
            }
        }
        assertEquals(List.of(), new QrDecoder(Duration.ofSeconds(5), EnumSet.of(DecodeStep.BOOFCV)).decode(frame),
                "BoofCV alone finds the code but does not read it");
        QrDecoder rescued = new QrDecoder(Duration.ofSeconds(5), EnumSet.of(DecodeStep.BOOFCV, DecodeStep.BOOFCV_QUAD_ZXING));
        List<DecodedCode> codes = rescued.decode(frame);
        assertEquals(List.of(text), codes.stream().map(DecodedCode::text).toList());
        assertEquals(java.util.Optional.of(DecodeStep.BOOFCV_QUAD_ZXING), rescued.lastReadBy());
        assertCornersOfDrawnCode(codes.get(0), m, scale, x0, y0);
    }

    /** Draws a code's modules (black on white paper already in the plane) at {@code scale} pixels per module. */
    private static void draw(byte[] luma, int stride, BitMatrix m, int scale, int x0, int y0) {
        for (int y = 0; y < m.getHeight() * scale; y++) {
            for (int x = 0; x < m.getWidth() * scale; x++) {
                if (m.get(x / scale, y / scale)) {
                    luma[(y0 + y) * stride + x0 + x] = 25;
                }
            }
        }
    }

    @Test
    void aNegativeBudgetIsRefusedByName() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new QrDecoder(Duration.ofMillis(-1)));
        assertTrue(e.getMessage().contains("budget"), e.getMessage());
    }

    /** A phone screen's moiré: light scaled by 0.5-1 in slanted stripes 12 pixels apart, finer than two modules. */
    private static Frame withMoire(Frame f) {
        byte[] luma = f.luma().clone();
        for (int y = 0; y < f.height(); y++) {
            for (int x = 0; x < f.width(); x++) {
                double stripe = Math.sin(2 * Math.PI * (x * 0.95 + y * 0.31) / 12);
                int i = y * f.stride() + x;
                luma[i] = (byte) Math.round((luma[i] & 0xff) * (0.75 + 0.25 * stripe));
            }
        }
        return new Frame(luma, f.width(), f.height(), f.stride(), 0, 0);
    }

    @Test
    void aScreenWithMoireStripesReadsThroughTheScreenMoireStepWhereTheLocalThresholdsFail() throws WriterException {
        String text = "CKP1:" + "MOIRE-STRIPES-ON-A-PHONE-SCREEN-".repeat(3);
        Frame frame = withMoire(frame(utf8WithoutEci(text), 5, 640, 480, 640, 120, 40, false));
        EnumSet<DecodeStep> meanBased = EnumSet.of(DecodeStep.HYBRID, DecodeStep.LOCAL_MEAN_WIDE, DecodeStep.LOCAL_MEAN_NARROW);
        assertEquals(List.of(), new QrDecoder(Duration.ofSeconds(5), meanBased).decode(frame));
        List<DecodedCode> codes = new QrDecoder(Duration.ofSeconds(5), EnumSet.of(DecodeStep.SCREEN_MOIRE)).decode(frame);
        assertEquals(List.of(text), codes.stream().map(DecodedCode::text).toList());
    }

    @Test
    void theScreenMoireMaximumFilterGivesTheLargestValueInEveryWindow() {
        java.util.Random random = new java.util.Random(7);
        for (int trial = 0; trial < 500; trial++) {
            int n = 1 + random.nextInt(80);
            int radius = random.nextInt(15);
            int[] in = random.ints(n, 0, 256).toArray();
            int[] out = new int[n];
            LocalPeakBinarizer.slidingMax(in, n, radius, out);
            for (int i = 0; i < n; i++) {
                int expected = 0;
                for (int k = Math.max(0, i - radius); k <= Math.min(n - 1, i + radius); k++) {
                    expected = Math.max(expected, in[k]);
                }
                assertEquals(expected, out[i], "n=" + n + " radius=" + radius + " i=" + i);
            }
        }
    }
}
