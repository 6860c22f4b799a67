package ckp.kiosk.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.drivers.camera.Frame;
import ckp.drivers.camera.Luma;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Pins the decoder's score on ZXing's black-box QR photos (../shared/testdata/zxing-blackbox) upright and at
 * 90/180/270 degrees: a change that loses a code in any folder, or reads any code wrongly, fails here. The budget is
 * unlimited so the score does not depend on how loaded the machine is; the figures are in docs/performance.md. The
 * multi-code photo must give all four of its codes.
 */
class BlackboxRegressionTest {
    /** Codes found per folder at 0, 90, 180 and 270 degrees when this test was written. */
    private static final Map<String, int[]> ACHIEVED = Map.of(
            "qrcode-1", new int[] {20, 20, 20, 20},
            "qrcode-2", new int[] {34, 34, 33, 33},
            "qrcode-3", new int[] {42, 42, 42, 42},
            "qrcode-4", new int[] {40, 41, 41, 41},
            "qrcode-5", new int[] {19, 19, 19, 19},
            "qrcode-6", new int[] {15, 15, 15, 15});

    /** The black-box images; a missing folder fails the test (it is the regression guard, not an optional extra). */
    static Path root() {
        Path root = Path.of(System.getProperty("ckp.shared", "../shared"), "testdata", "zxing-blackbox");
        assertTrue(Files.isDirectory(root.resolve("qrcode-1")),
                "the ZXing black-box images are not at " + root.toAbsolutePath() + " (set -Dckp.shared to the shared folder)");
        return root;
    }

    @Test
    void everyFolderKeepsItsCountAtEveryRotationWithNoMisreads() throws IOException {
        Path root = root();
        QrDecoder decoder = new QrDecoder(Duration.ofSeconds(30), List.of(DecodeStep.values()), false);
        List<String> drops = new ArrayList<>();
        int misreads = 0;
        for (var entry : new java.util.TreeMap<>(ACHIEVED).entrySet()) {
            List<DecodeBenchmark.Sample> samples = DecodeBenchmark.load(root.resolve(entry.getKey()));
            int[] rotations = {0, 90, 180, 270};
            for (int i = 0; i < rotations.length; i++) {
                DecodeBenchmark.Score s = DecodeBenchmark.score(decoder, entry.getKey(), samples, rotations[i], 1, null);
                misreads += s.misreads();
                if (s.found() < entry.getValue()[i]) {
                    drops.add(entry.getKey() + "@" + rotations[i] + ": " + s.found() + " < " + entry.getValue()[i]
                            + " (missed " + s.misses() + ")");
                }
            }
        }
        assertEquals(0, misreads, "misreads on the black-box set");
        assertTrue(drops.isEmpty(), "folders decoded fewer codes than pinned: " + drops);
    }

    /** The four codes of ZXing's multi-code photo, as ZXing's own multi-code test expects them. */
    private static final Set<String> MULTI_CODE_TEXTS = Set.of(
            "You earned the class 5 EXTRA MINUTES OF RECESS!!  Fabulous!!  Way to go!!",
            "You get to SIT AT MRS. SIGMON'S DESK FOR A DAY!!  Awesome!!  Way to go!! Guess I better clean up! :)",
            "You get to CREATE OUR JOURNAL PROMPT FOR THE DAY!  Yay!  Way to go!  ",
            "You earned the class a 5 MINUTE DANCE PARTY!!  Awesome!  Way to go!  Let's boogie!");

    @Test
    void theMultiCodePhotoYieldsAllFourCodesEachWithItsOwnCornersInTheFirstStep() throws IOException {
        BufferedImage img = ImageIO.read(root().resolve("multi-qrcode-1").resolve("1.png").toFile());
        Frame frame = Luma.of(img, 0, 0);
        // A zero budget runs the first step only, whatever the machine's speed: several codes in view cost one step.
        List<DecodedCode> codes = new QrDecoder(Duration.ZERO).decode(frame);
        assertEquals(MULTI_CODE_TEXTS, codes.stream().map(DecodedCode::text).collect(Collectors.toSet()));
        for (DecodedCode code : codes) {
            for (DecodedCode.Point p : code.corners()) {
                assertTrue(p.x() >= -1 && p.y() >= -1 && p.x() <= img.getWidth() + 1 && p.y() <= img.getHeight() + 1,
                        "corner " + p + " of " + code.text() + " lies in the photo");
            }
            // The four codes sit apart: no code's centre lies inside another's corners.
            for (DecodedCode other : codes) {
                if (other != code) {
                    assertFalse(other.contains(code.centre()), code.text() + " inside " + other.text());
                }
            }
        }
    }
}
