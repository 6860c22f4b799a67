package ckp.kiosk.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.drivers.camera.Frame;
import com.google.zxing.common.BitMatrix;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ClippedWhiteTest {
    /** ZXing black-box camera crops (240x240, Apache-2.0, ../shared/testdata/zxing-blackbox/README.md). */
    private static final Path BLACKBOX = Path.of(System.getProperty("ckp.shared", "../shared"), "testdata", "zxing-blackbox");

    /**
     * The photo over-exposed as `photo-variants.py bright` does: its luma (ITU-R 601 weights) times 2.2 plus 60,
     * clipped at 255, so light modules saturate and their blur turns the dark modules light grey.
     */
    private static Frame overExposed(String photo) throws IOException {
        Path path = BLACKBOX.resolve(photo);
        assertTrue(Files.isRegularFile(path), "the ZXing black-box photo is not at " + path.toAbsolutePath()
                + " (check out the shared folder beside the repo, or set -Dckp.shared to it)");
        BufferedImage image = ImageIO.read(path.toFile());
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] luma = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                double grey = ((rgb >> 16) & 0xff) * 0.299 + ((rgb >> 8) & 0xff) * 0.587 + (rgb & 0xff) * 0.114;
                luma[y * w + x] = (byte) Math.min(255, Math.round(Math.round(grey) * 2.2 + 60));
            }
        }
        return new Frame(luma, w, h, w, 0, 0);
    }

    private static String expected(String photo) throws IOException {
        Path text = BLACKBOX.resolve(photo.replace(".png", ".txt"));
        return Files.readString(text, StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    private static List<String> texts(List<DecodedCode> codes) {
        return codes.stream().map(c -> c.text().replace("\r\n", "\n")).toList();
    }

    @Test
    void overExposedCameraPhotosWhoseDarkModulesTheBlurThinnedAreRead() throws IOException {
        // Before the clipped-white step the camera decoder read none of these: its thresholds call the thinned
        // dark modules light, and the first look saw at most single finder patterns.
        for (String photo : List.of("qrcode-3/25.png", "qrcode-3/27.png", "qrcode-3/34.png")) {
            QrDecoder camera = new QrDecoder(Duration.ofSeconds(5), List.of(DecodeStep.values()));
            List<DecodedCode> codes = camera.decode(overExposed(photo));
            assertEquals(List.of(expected(photo)), texts(codes), photo);
        }
    }

    @Test
    void theClippedWhiteStepAloneReadsAnOverExposedPhotoThatHybridBinarizationDoesNot() throws IOException {
        Frame frame = overExposed("qrcode-3/19.png");
        // Each with the grid rescues that run inside a ZXing step.
        EnumSet<DecodeStep> rescues = EnumSet.of(DecodeStep.ALIGNED_GRID, DecodeStep.EDGE_FINDER, DecodeStep.SOFT_DECISION);
        EnumSet<DecodeStep> hybrid = EnumSet.copyOf(rescues);
        hybrid.add(DecodeStep.HYBRID);
        assertEquals(List.of(), new QrDecoder(Duration.ofSeconds(5), hybrid).decode(frame));
        EnumSet<DecodeStep> clippedWhite = EnumSet.copyOf(rescues);
        clippedWhite.add(DecodeStep.CLIPPED_WHITE);
        assertEquals(List.of(expected("qrcode-3/19.png")), texts(new QrDecoder(Duration.ofSeconds(5), clippedWhite).decode(frame)));
    }

    @Test
    void aShallowDipInAClippedWhiteIsDarkWhereAnEvenlyLitPlaneUsesTheMidpoint() {
        int w = 40;
        int h = 40;
        byte[] clipped = new byte[w * h];
        java.util.Arrays.fill(clipped, (byte) 255);
        for (int y = 0; y < h; y++) {
            clipped[y * w + 20] = (byte) 230; // a dark module the blur turned light grey
        }
        BitMatrix bits = new ClippedWhiteBinarizer(LumaPlane.of(clipped, w, h, w).source(), 16, 6).getBlackMatrix();
        assertTrue(bits.get(20, 10));
        assertFalse(bits.get(19, 10));

        // No plateau at the top: a pixel is dark only below the midpoint of its window's darkest and brightest.
        byte[] even = new byte[w * h];
        for (int i = 0; i < even.length; i++) {
            even[i] = (byte) (i % w < 20 ? 60 : 200);
        }
        even[10 * w + 30] = (byte) 190;
        even[10 * w + 31] = (byte) 120;
        BitMatrix midpoint = new ClippedWhiteBinarizer(LumaPlane.of(even, w, h, w).source(), 16, 6).getBlackMatrix();
        assertFalse(midpoint.get(30, 10));
        assertTrue(midpoint.get(31, 10));
        assertTrue(midpoint.get(5, 10));
    }

    @Test
    void noCodeIsReadFromClippedFramesOfNoiseAndStripes() {
        // The false-positive risk: a threshold just under the clip turns any texture below it into dark marks.
        Random random = new Random(31);
        QrDecoder camera = new QrDecoder(Duration.ofSeconds(5), List.of(DecodeStep.values()));
        for (int n = 0; n < 20; n++) {
            int w = 320;
            int h = 240;
            byte[] luma = new byte[w * h];
            for (int i = 0; i < luma.length; i++) {
                int x = i % w;
                int base = (x / (3 + n % 5)) % 2 == 0 ? 255 : 200 + random.nextInt(50);
                luma[i] = (byte) Math.min(255, base + (int) Math.round(random.nextGaussian() * (n % 4) * 4));
            }
            assertEquals(List.of(), camera.decode(new Frame(luma, w, h, w, 0, 0)), "frame " + n);
        }
    }
}
