package ckp.kiosk.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.drivers.camera.Frame;
import com.google.zxing.ChecksumException;
import com.google.zxing.DecodeHintType;
import com.google.zxing.EncodeHintType;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.PerspectiveTransform;
import com.google.zxing.qrcode.decoder.Decoder;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import com.google.zxing.qrcode.encoder.QRCode;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SoftDecisionRescueTest {
    private static final String PASS = "CKP1:7F3A9C2E-PASS-0042";
    private static final int SCALE = 6;
    private static final int LEFT = 200;
    private static final int TOP = 100;

    private static ByteMatrix encode(String text, ErrorCorrectionLevel level, int version, int mask) throws Exception {
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        if (version > 0) {
            hints.put(EncodeHintType.QR_VERSION, version);
        }
        if (mask >= 0) {
            hints.put(EncodeHintType.QR_MASK_PATTERN, mask);
        }
        QRCode code = Encoder.encode(text, level, hints);
        return code.getMatrix();
    }

    /** The code's modules as a sampled grid that is sure of every module. */
    private static ModuleSampler.Grid clean(ByteMatrix m) {
        int d = m.getWidth();
        boolean[] dark = new boolean[d * d];
        float[] confidence = new float[d * d];
        for (int y = 0; y < d; y++) {
            for (int x = 0; x < d; x++) {
                dark[y * d + x] = m.get(x, y) == 1;
                confidence[y * d + x] = 1;
            }
        }
        return new ModuleSampler.Grid(d, dark, confidence);
    }

    /** A 640x480 frame with the code drawn dark on light at SCALE pixels per module, a blob of glare or grey on it. */
    private static Frame frame(ByteMatrix m, double blobRadiusModules, boolean glare) {
        int d = m.getWidth();
        byte[] luma = new byte[640 * 480];
        java.util.Arrays.fill(luma, (byte) 225);
        for (int y = 0; y < d * SCALE; y++) {
            for (int x = 0; x < d * SCALE; x++) {
                if (m.get(x / SCALE, y / SCALE) == 1) {
                    luma[(TOP + y) * 640 + LEFT + x] = 30;
                }
            }
        }
        double cx = LEFT + d * 0.62 * SCALE;
        double cy = TOP + d * 0.62 * SCALE;
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                double distance = Math.hypot(x - cx, y - cy) / SCALE;
                int v = luma[y * 640 + x] & 0xff;
                if (distance < blobRadiusModules) {
                    luma[y * 640 + x] = (byte) (glare ? 255 : 128);
                } else if (glare && distance < blobRadiusModules + 1.5) {
                    // The glare's halo brightens what is around it.
                    luma[y * 640 + x] = (byte) Math.min(255, v + (int) (180 * (blobRadiusModules + 1.5 - distance) / 1.5));
                }
            }
        }
        return new Frame(luma, 640, 480, 640, 0, 0);
    }

    private static List<String> texts(QrDecoder decoder, Frame frame) {
        return decoder.decode(frame).stream().map(DecodedCode::text).toList();
    }

    private static QrDecoder decoder(boolean soft) {
        EnumSet<DecodeStep> steps = EnumSet.allOf(DecodeStep.class);
        if (!soft) {
            steps.remove(DecodeStep.SOFT_DECISION);
        }
        return new QrDecoder(Duration.ofSeconds(5), steps);
    }

    @Test
    void aCleanGridOfEveryVersionAndLevelIsWrittenBackSoThatZxingsDecoderReadsIt() throws Exception {
        Random random = new Random(21);
        for (int version = 1; version <= 40; version++) {
            for (ErrorCorrectionLevel level : ErrorCorrectionLevel.values()) {
                String text = "V" + version + level + random.nextInt(1000);
                ModuleSampler.Grid grid = clean(encode(text, level, version, random.nextInt(8)));
                QrCodewordLayout layout = new QrCodewordLayout(grid.dimension());
                Optional<BitMatrix> written = SoftDecisionRescue.correct(layout, grid, SoftDecisionRescue.MARGIN);
                assertTrue(written.isPresent(), text);
                assertEquals(text, new Decoder().decode(written.get()).getText());
            }
        }
    }

    @Test
    void codewordsMarkedUnsureAreCorrectedAsErasuresBeyondWhatErrorsOnlyDecodingCorrects() throws Exception {
        // Version 2-M: one block of 44 codewords, 16 of them check codewords. ZXing corrects 8 errors; the rescue
        // corrects 13 erasures (16 less the margin of 3).
        ByteMatrix m = encode(PASS, ErrorCorrectionLevel.M, 2, 3);
        ModuleSampler.Grid grid = clean(m);
        QrCodewordLayout layout = new QrCodewordLayout(grid.dimension());
        boolean[] dark = grid.dark().clone();
        float[] confidence = grid.confidence().clone();
        for (int i = 0; i < dark.length; i++) {
            int cw = layout.codewordOf[i];
            if (cw >= 3 && cw < 3 + 13) {
                // A glare: every module of these 13 codewords reads light, and the sampler is unsure of it.
                dark[i] = false;
                confidence[i] = 0.05f;
            }
        }
        BitMatrix damaged = new BitMatrix(grid.dimension());
        for (int i = 0; i < dark.length; i++) {
            if (dark[i]) {
                damaged.set(i % grid.dimension(), i / grid.dimension());
            }
        }
        assertThrows(ChecksumException.class, () -> new Decoder().decode(damaged));
        Optional<BitMatrix> written = SoftDecisionRescue.correct(layout, new ModuleSampler.Grid(grid.dimension(), dark, confidence),
                SoftDecisionRescue.MARGIN);
        assertTrue(written.isPresent());
        assertEquals(PASS, new Decoder().decode(written.get()).getText());
    }

    @Test
    void aGlareOverTheCodeIsReadWithTheRescueWhereEveryOtherStepFails() throws Exception {
        ByteMatrix m = encode(PASS, ErrorCorrectionLevel.M, 0, -1);
        // Measured: plain decoding reads up to a glare of radius 3 modules and a grey smudge of 3.5; with the rescue up
        // to 4 and 5.5; beyond that neither reads (docs/performance.md).
        Frame glare = frame(m, 4.0, true);
        Frame smudge = frame(m, 5.0, false);
        assertEquals(List.of(), texts(decoder(false), glare));
        assertEquals(List.of(), texts(decoder(false), smudge));
        assertEquals(List.of(PASS), texts(decoder(true), glare));
        assertEquals(List.of(PASS), texts(decoder(true), smudge));
    }

    @Test
    void noiseGridsNeverCorrectIntoACode() throws Exception {
        Random random = new Random(22);
        int corrected = 0;
        for (int trial = 0; trial < 4000; trial++) {
            int dimension = 17 + 4 * (1 + random.nextInt(10));
            boolean[] dark = new boolean[dimension * dimension];
            float[] confidence = new float[dark.length];
            for (int i = 0; i < dark.length; i++) {
                dark[i] = random.nextBoolean();
                confidence[i] = random.nextFloat();
            }
            QrCodewordLayout layout = new QrCodewordLayout(dimension);
            if (SoftDecisionRescue.correct(layout, new ModuleSampler.Grid(dimension, dark, confidence), SoftDecisionRescue.MARGIN).isPresent()) {
                corrected++;
            }
        }
        assertEquals(0, corrected);
    }

    @Test
    void gridsPlacedHalfAModuleOffOrAtTheWrongVersionReadTheCodeOrNothingNeverAnotherText() throws Exception {
        Random random = new Random(23);
        Map<DecodeHintType, Object> hints = Map.of();
        int wrong = 0;
        for (int trial = 0; trial < 300; trial++) {
            String text = "CKP1:" + String.format("%08X", random.nextInt());
            ByteMatrix m = encode(text, ErrorCorrectionLevel.values()[random.nextInt(4)], 2 + random.nextInt(5), -1);
            Frame f = frame(m, 2 + random.nextInt(4), random.nextBoolean());
            LumaPlane plane = LumaPlane.of(f.luma(), 640, 480, 640);
            SoftDecisionRescue rescue = new SoftDecisionRescue(plane, false, hints, () -> false);
            int d = m.getWidth();
            double dx = random.nextBoolean() ? 0.5 : 0;
            double dy = dx == 0 ? 0.5 : random.nextDouble() * 0.5;
            for (int dimension : new int[] {d, d - 4, d + 4}) {
                if (dimension < 21) {
                    continue;
                }
                // Module coordinates to pixels: the code's top-left at (LEFT, TOP), offset when at the code's own size.
                float ox = (float) (dimension == d ? dx : 0);
                float oy = (float) (dimension == d ? dy : 0);
                float s = SCALE * (float) d / dimension;
                PerspectiveTransform t = PerspectiveTransform.quadrilateralToQuadrilateral(0, 0, dimension, 0, dimension, dimension, 0, dimension,
                        LEFT + ox * SCALE, TOP + oy * SCALE, LEFT + ox * SCALE + dimension * s, TOP + oy * SCALE,
                        LEFT + ox * SCALE + dimension * s, TOP + oy * SCALE + dimension * s, LEFT + ox * SCALE, TOP + oy * SCALE + dimension * s);
                Optional<SoftDecisionRescue.Read> read = rescue.read(t, dimension);
                if (read.isPresent() && !read.get().result().getText().equals(text)) {
                    wrong++;
                }
            }
        }
        assertEquals(0, wrong);
    }

    @Test
    void aMirroredCodeIsReadTransposedAndSaysSo() throws Exception {
        ByteMatrix m = encode(PASS, ErrorCorrectionLevel.Q, 3, -1);
        int d = m.getWidth();
        ByteMatrix mirrored = new ByteMatrix(d, d);
        for (int y = 0; y < d; y++) {
            for (int x = 0; x < d; x++) {
                mirrored.set(x, y, m.get(y, x));
            }
        }
        Frame f = frame(mirrored, 3.0, true);
        PerspectiveTransform t = PerspectiveTransform.quadrilateralToQuadrilateral(0, 0, d, 0, d, d, 0, d,
                LEFT, TOP, LEFT + d * SCALE, TOP, LEFT + d * SCALE, TOP + d * SCALE, LEFT, TOP + d * SCALE);
        SoftDecisionRescue.Read read = new SoftDecisionRescue(LumaPlane.of(f.luma(), 640, 480, 640), false, Map.of(), () -> false)
                .read(t, d).orElseThrow();
        assertEquals(PASS, read.result().getText());
        assertTrue(read.mirrored());
    }

    @Test
    void noRescueStartsOnceTheWallClockCutOffHasPassed() throws Exception {
        ByteMatrix m = encode(PASS, ErrorCorrectionLevel.M, 2, -1);
        Frame f = frame(m, 0, false);
        LumaPlane plane = LumaPlane.of(f.luma(), 640, 480, 640);
        int d = m.getWidth();
        PerspectiveTransform t = PerspectiveTransform.quadrilateralToQuadrilateral(0, 0, d, 0, d, d, 0, d,
                LEFT, TOP, LEFT + d * SCALE, TOP, LEFT + d * SCALE, TOP + d * SCALE, LEFT, TOP + d * SCALE);
        assertEquals(PASS, new SoftDecisionRescue(plane, false, Map.of(), () -> false).read(t, d).orElseThrow().result().getText());
        assertTrue(new SoftDecisionRescue(plane, false, Map.of(), () -> true).read(t, d).isEmpty());
    }
}
