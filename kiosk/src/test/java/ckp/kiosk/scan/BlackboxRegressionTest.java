package ckp.kiosk.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Pins the decoder's score on ZXing's black-box QR photos (../shared/testdata/zxing-blackbox) upright and at
 * 90/180/270 degrees: a change that loses a code in any folder, or reads any code wrongly, fails here. The budget is
 * unlimited so the score does not depend on how loaded the machine is; the figures are in docs/performance.md.
 */
class BlackboxRegressionTest {
    /** Codes found per folder at 0, 90, 180 and 270 degrees when this test was written. */
    private static final Map<String, int[]> ACHIEVED = Map.of(
            "qrcode-1", new int[] {20, 20, 20, 20},
            "qrcode-2", new int[] {34, 34, 33, 33},
            "qrcode-3", new int[] {42, 42, 42, 42},
            "qrcode-4", new int[] {39, 40, 39, 40},
            "qrcode-5", new int[] {19, 19, 19, 19},
            "qrcode-6", new int[] {15, 15, 15, 15});

    @Test
    void everyFolderKeepsItsCountAtEveryRotationWithNoMisreads() throws IOException {
        Path root = Path.of(System.getProperty("ckp.shared", "../shared"), "testdata", "zxing-blackbox");
        Assumptions.assumeTrue(Files.isDirectory(root.resolve("qrcode-1")),
                "skipped: the ZXing black-box images are not at " + root + " (set -Dckp.shared to the shared folder)");
        QrDecoder decoder = new QrDecoder(Duration.ofSeconds(30), EnumSet.allOf(DecodeStep.class));
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
}
