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
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class EdgeToEdgeFinderTest {
    /** ZXing's own steps and rescues, without the like-edge finder search. */
    private static final Set<DecodeStep> ZXING_STEPS = EnumSet.of(DecodeStep.HYBRID, DecodeStep.FLIPPED,
            DecodeStep.INVERTED, DecodeStep.ALIGNED_GRID);

    private static Set<DecodeStep> with(Set<DecodeStep> steps, DecodeStep extra) {
        EnumSet<DecodeStep> out = EnumSet.copyOf(steps);
        out.add(extra);
        return out;
    }

    private static Set<DecodeStep> without(DecodeStep step) {
        EnumSet<DecodeStep> out = EnumSet.allOf(DecodeStep.class);
        out.remove(step);
        return out;
    }

    private static List<String> texts(List<DecodedCode> codes) {
        return codes.stream().map(DecodedCode::text).toList();
    }

    /**
     * A phone screen: the code's light modules lit on a dark bezel, each lit module glowing {@code glow} pixels past
     * its square, so that light runs grow and dark runs shrink by twice that.
     */
    private static Frame glowingScreen(BitMatrix m, int scale, int glow, int x0, int y0) {
        int width = 640;
        int height = 480;
        byte[] luma = new byte[width * height];
        java.util.Arrays.fill(luma, (byte) 20);
        for (int my = 0; my < m.getHeight(); my++) {
            for (int mx = 0; mx < m.getWidth(); mx++) {
                if (m.get(mx, my)) {
                    continue; // a dark module of the code is an unlit pixel of the screen
                }
                for (int y = y0 + my * scale - glow; y < y0 + (my + 1) * scale + glow; y++) {
                    for (int x = x0 + mx * scale - glow; x < x0 + (mx + 1) * scale + glow; x++) {
                        luma[y * width + x] = (byte) 220;
                    }
                }
            }
        }
        return new Frame(luma, width, height, width, 0, 0);
    }

    @Test
    void aScreenWhoseLitModulesGlowIsReadByEdgeSpacingWhereZxingsFinderSearchFindsNothing() throws WriterException {
        String text = "CKP1:GLOWING PHONE SCREEN";
        BitMatrix m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                Map.of(EncodeHintType.MARGIN, 4, EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M));
        // 7-pixel modules, each lit one glowing 2 pixels: light runs of 11 pixels between dark runs of 3, past the
        // half-module tolerance of ZXing's run check, while like edges stay 14 and 28 pixels apart.
        Frame frame = glowingScreen(m, 7, 2, 120, 40);
        assertEquals(List.of(), new QrDecoder(Duration.ofSeconds(5), ZXING_STEPS).decode(frame),
                "ZXing's finder search misses the glowing patterns");
        QrDecoder rescued = new QrDecoder(Duration.ofSeconds(5), with(ZXING_STEPS, DecodeStep.EDGE_FINDER));
        List<DecodedCode> codes = rescued.decode(frame);
        assertEquals(List.of(text), texts(codes));
        // The corners lie on the code's outline (module 0 and module n at 7 pixels), within a module.
        int side = (m.getWidth() - 8) * 7;
        DecodedCode code = codes.get(0);
        double minX = code.corners().stream().mapToDouble(DecodedCode.Point::x).min().orElseThrow();
        double minY = code.corners().stream().mapToDouble(DecodedCode.Point::y).min().orElseThrow();
        double maxX = code.corners().stream().mapToDouble(DecodedCode.Point::x).max().orElseThrow();
        assertEquals(120 + 4 * 7, minX, 7);
        assertEquals(40 + 4 * 7, minY, 7);
        assertEquals(120 + 4 * 7 + side, maxX, 7);
    }

    @Test
    void aDarkModePhoneFromASeedOneCameraFrameIsReadOnlyWithTheEdgeSpacingSearch() throws IOException {
        // Seed 1, hard-1280x720/3.jpg, cropped to the code: a dark-mode phone at 34 degrees, motion blur and JPEG at
        // quality 60. zxing-cpp reads it inverted; neither ZXing's nor BoofCV's detector found its finder patterns.
        Frame frame = resource("dark-mode-glow-seed1-hard-3.png");
        String expected = "HC1:O:NHB+FUUZ0-US1H2.6K0U:.Y2PH8NA/2";
        QrDecoder files = new QrDecoder(Duration.ofSeconds(10), List.copyOf(EnumSet.allOf(DecodeStep.class)), false);
        List<String> read = texts(files.decode(frame));
        assertEquals(1, read.size(), "one code: " + read);
        assertTrue(read.get(0).startsWith(expected), read.get(0));
        QrDecoder before = new QrDecoder(Duration.ofSeconds(10), List.copyOf(without(DecodeStep.EDGE_FINDER)), false);
        assertEquals(List.of(), before.decode(frame), "every other step, with no budget, reads nothing");
    }

    @Test
    void framesOfFinderLikePatternsAndRandomModulesGiveNoCode() {
        // Three finder patterns with timing patterns and random modules between them, drawn glowing as above: every
        // check of the search passes up to the Reed-Solomon decoding, which must refuse them all.
        Random random = new Random(11);
        QrDecoder decoder = new QrDecoder(Duration.ofSeconds(5), with(ZXING_STEPS, DecodeStep.EDGE_FINDER));
        for (int i = 0; i < 60; i++) {
            int dimension = 21 + 4 * random.nextInt(6);
            BitMatrix m = codeLikeModules(dimension, random);
            int scale = Math.max(3, 300 / (dimension + 8));
            Frame frame = glowingScreen(m, scale, random.nextInt(2), 40 + random.nextInt(100), 20 + random.nextInt(60));
            assertEquals(List.of(), decoder.decode(frame), "frame " + i + ", " + dimension + " modules");
        }
    }

    @Test
    void aDegenerateFinderTripleGivesNoCodeInsteadOfFailingTheFrame() {
        // Random modules between three finder patterns, in either polarity, on a noisy screen: on some of these
        // frames ZXing's detector returns a triple whose grid corners come out NaN (frame 144 of this seed did), and
        // the unread outline failed the whole frame with an IllegalArgumentException.
        Random random = new Random(42);
        QrDecoder decoder = new QrDecoder(Duration.ofSeconds(5), with(ZXING_STEPS, DecodeStep.EDGE_FINDER));
        for (int i = 0; i <= 144; i++) {
            int dimension = 21 + 4 * random.nextInt(10);
            BitMatrix m = codeLikeModules(dimension, random);
            int scale = Math.max(2, (200 + random.nextInt(200)) / (dimension + 8));
            int glow = random.nextInt(3);
            int x0 = random.nextInt(Math.max(1, 640 - scale * (dimension + 8)));
            int y0 = random.nextInt(Math.max(1, 480 - scale * (dimension + 8)));
            boolean darkMode = random.nextBoolean();
            Frame frame = noisyScreen(m, scale, glow, x0, y0, darkMode, random);
            assertEquals(List.of(), decoder.decode(frame), "frame " + i);
        }
    }

    /** Like {@link #glowingScreen}, in either polarity and with noise in every pixel. */
    private static Frame noisyScreen(BitMatrix m, int scale, int glow, int x0, int y0, boolean darkMode, Random random) {
        int width = 640;
        int height = 480;
        byte[] luma = new byte[width * height];
        for (int i = 0; i < luma.length; i++) {
            luma[i] = (byte) ((darkMode ? 20 : 225) + random.nextInt(10));
        }
        for (int my = 0; my < m.getHeight(); my++) {
            for (int mx = 0; mx < m.getWidth(); mx++) {
                if (m.get(mx, my) != darkMode) {
                    continue;
                }
                for (int y = y0 + my * scale - glow; y < y0 + (my + 1) * scale + glow; y++) {
                    for (int x = x0 + mx * scale - glow; x < x0 + (mx + 1) * scale + glow; x++) {
                        if (x >= 0 && y >= 0 && x < width && y < height) {
                            luma[y * width + x] = (byte) (darkMode ? 220 : 30);
                        }
                    }
                }
            }
        }
        return new Frame(luma, width, height, width, 0, 0);
    }

    @Test
    void theLikeEdgeCheckAcceptsAPatternWhoseDarkRunsGrewAndRefusesOtherRatios() {
        assertTrue(EdgeToEdgeFinder.pattern(7, 7, 21, 7, 7), "1:1:3:1:1");
        assertTrue(EdgeToEdgeFinder.pattern(10, 4, 24, 4, 10), "dark runs grown by 3 pixels: like edges still 14 and 28 apart");
        assertEquals(false, EdgeToEdgeFinder.pattern(7, 7, 7, 7, 7), "1:1:1:1:1");
        assertEquals(false, EdgeToEdgeFinder.pattern(14, 7, 21, 7, 14), "2:1:3:1:2");
        assertEquals(false, EdgeToEdgeFinder.pattern(1, 1, 2, 1, 1), "too small to measure");
    }

    /** Three finder patterns and timing patterns with random modules between them, in a 4-module quiet zone. */
    private static BitMatrix codeLikeModules(int dimension, Random random) {
        BitMatrix m = new BitMatrix(dimension + 8);
        for (int y = 0; y < dimension; y++) {
            for (int x = 0; x < dimension; x++) {
                if (random.nextBoolean()) {
                    m.set(x + 4, y + 4);
                }
            }
        }
        for (int[] corner : new int[][] {{0, 0}, {dimension - 7, 0}, {0, dimension - 7}}) {
            finder(m, corner[0] + 4, corner[1] + 4);
        }
        for (int k = 8; k < dimension - 8; k++) {
            set(m, k + 4, 10, k % 2 == 0);
            set(m, 10, k + 4, k % 2 == 0);
        }
        return m;
    }

    private static void finder(BitMatrix m, int left, int top) {
        for (int y = -1; y < 8; y++) {
            for (int x = -1; x < 8; x++) {
                int ring = Math.max(Math.abs(x - 3), Math.abs(y - 3));
                set(m, left + x, top + y, ring != 2 && ring != 4);
            }
        }
    }

    private static void set(BitMatrix m, int x, int y, boolean dark) {
        if (x < 0 || y < 0 || x >= m.getWidth() || y >= m.getHeight()) {
            return;
        }
        if (dark) {
            m.set(x, y);
        } else {
            m.unset(x, y);
        }
    }

    private static Frame resource(String name) throws IOException {
        try (InputStream in = EdgeToEdgeFinderTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("test resource " + name + " is missing");
            }
            BufferedImage image = ImageIO.read(in);
            int width = image.getWidth();
            int height = image.getHeight();
            byte[] luma = new byte[width * height];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int rgb = image.getRGB(x, y);
                    luma[y * width + x] = (byte) (((rgb >> 16 & 255) * 299 + (rgb >> 8 & 255) * 587 + (rgb & 255) * 114) / 1000);
                }
            }
            return new Frame(luma, width, height, width, 0, 0);
        }
    }
}
