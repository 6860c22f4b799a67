package ckp.kiosk.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.drivers.camera.Frame;
import java.awt.image.Raster;
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

class EvenLightTest {
    /** A ZXing black-box camera crop (240x240, Apache-2.0, ../shared/testdata/zxing-blackbox/README.md). */
    private static final Path PHOTO = Path.of(System.getProperty("ckp.shared", "../shared"), "testdata", "zxing-blackbox",
            "qrcode-3", "03.png");

    /**
     * The photo under a cast shadow: light falls to 22% across a soft edge through the middle at {@code degrees}
     * (a logistic penumbra 2% of the side wide, as a hand's shadow in sun), plus seeded sensor noise.
     */
    private static Frame shadowed(int degrees) throws IOException {
        assertTrue(Files.isRegularFile(PHOTO), "the ZXing black-box photo is not at " + PHOTO.toAbsolutePath()
                + " (check out the shared folder beside the repo, or set -Dckp.shared to it)");
        Raster raster = ImageIO.read(PHOTO.toFile()).getRaster();
        int w = raster.getWidth();
        int h = raster.getHeight();
        double angle = Math.toRadians(degrees);
        Random noise = new Random(11);
        byte[] luma = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = (x - w / 2.0) * Math.cos(angle) + (y - h / 2.0) * Math.sin(angle);
                double light = 0.22 + 0.78 / (1 + Math.exp(-d / (0.02 * Math.max(w, h))));
                double v = raster.getSample(x, y, 0) * light + noise.nextGaussian() * 2;
                luma[y * w + x] = (byte) Math.max(0, Math.min(255, Math.round(v)));
            }
        }
        return new Frame(luma, w, h, w, 0, 0);
    }

    private static String expected() throws IOException {
        return Files.readString(PHOTO.resolveSibling("03.txt"), StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    @Test
    void aCameraFrameWithAShadowEdgeAcrossTheCodeIsReadThoughTheFirstLookSawNoFinderTriple() throws IOException {
        // Before the even-light step, the first look found no triple on these and the camera decoder stopped there.
        for (int degrees : new int[] {15, 75, 105}) {
            QrDecoder camera = new QrDecoder(Duration.ofSeconds(5), List.of(DecodeStep.values()));
            List<DecodedCode> codes = camera.decode(shadowed(degrees));
            assertEquals(List.of(expected()), codes.stream().map(DecodedCode::text).toList(), "shadow at " + degrees + " degrees");
        }
    }

    @Test
    void boofCvAloneReadsNoShadowedCodeAndTheEvenLightStepDoes() throws IOException {
        Frame frame = shadowed(105);
        assertEquals(List.of(), new QrDecoder(Duration.ofSeconds(5), EnumSet.of(DecodeStep.BOOFCV)).decode(frame));
        List<DecodedCode> codes = new QrDecoder(Duration.ofSeconds(5), EnumSet.of(DecodeStep.EVEN_LIGHT)).decode(frame);
        assertEquals(List.of(expected()), codes.stream().map(DecodedCode::text).toList());
    }

    @Test
    void dimmingAPlaneEvenlyLeavesItsEvenLightPlaneAlmostUnchanged() {
        // The ratio to the local white level does not see a factor on the light, as long as the white stays above the floor.
        Random random = new Random(5);
        int w = 64;
        int h = 48;
        byte[] lit = new byte[w * h];
        byte[] dim = new byte[w * h];
        for (int i = 0; i < lit.length; i++) {
            int v = random.nextBoolean() ? 40 + random.nextInt(20) : 200 + random.nextInt(40);
            lit[i] = (byte) v;
            dim[i] = (byte) Math.round(v * 0.5);
        }
        LumaPlane a = EvenLight.of(LumaPlane.of(lit, w, h, w), false);
        LumaPlane b = EvenLight.of(LumaPlane.of(dim, w, h, w), false);
        for (int i = 0; i < lit.length; i++) {
            int diff = Math.abs((a.luma()[i] & 0xff) - (b.luma()[i] & 0xff));
            assertTrue(diff <= 3, "pixel " + i + ": " + (a.luma()[i] & 0xff) + " lit, " + (b.luma()[i] & 0xff) + " dimmed");
        }
    }
}
