package ckp.kiosk.aim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.fixtures.QrFrames;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aiming page in a real headless browser (Debian's {@code chromium}, installed by {@code kiosk/bin/test}): its
 * script fetches the picture, and the screenshot must show the code's green outline; the same page on a frame with
 * no code must not (the legend's small green swatch alone stays far under the threshold).
 */
class AimPageInBrowserTest {
    /** Far more than the legend's 14x4 swatch, far less than an outline around a code spanning half the picture. */
    static final int OUTLINE_PIXELS = 500;

    @TempDir
    Path dir;

    static Path chromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        throw new AssertionError("this test needs a headless browser: apt-get install chromium (kiosk/bin/test installs it)");
    }

    /** Opens the page, lets its script run for a few (virtual) seconds, and returns the screenshot. */
    BufferedImage screenshot(AimRig rig, String name) throws IOException, InterruptedException {
        Path png = dir.resolve(name + ".png");
        List<String> cmd = new ArrayList<>(List.of(chromium().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--user-data-dir=" + dir.resolve(name + "-profile"), "--window-size=1100,640",
                "--virtual-time-budget=4000", "--screenshot=" + png, rig.uri("/").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish within 2 minutes");
        assertEquals(0, p.exitValue(), "chromium's exit status; its output:\n" + Files.readString(dir.resolve(name + ".log")));
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img != null, "chromium wrote no PNG screenshot; its output:\n" + Files.readString(dir.resolve(name + ".log")));
        // Kept for the technician guide's picture: target/aim-view-<name>.png.
        Files.copy(png, Path.of("target", "aim-view-" + name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return img;
    }

    @Test
    void thePageInAHeadlessBrowserShowsTheCodeOutlinedInGreen() throws Exception {
        AimServerTest.passFrames(dir.resolve("frames"));
        try (AimRig rig = new AimRig(dir.resolve("frames"), AimServerTest.loopback(AimServerTest.freePort()))) {
            rig.awaitFirstFrame();
            BufferedImage shot = screenshot(rig, "pass");
            int green = AimServerTest.pixels(shot, AimServerTest::green);
            assertTrue(green > OUTLINE_PIXELS, "the screenshot shows the green outline: " + green + " green pixels");
        }
    }

    @Test
    void thePageOnAFrameWithNoCodeShowsNoOutline() throws Exception {
        Files.createDirectories(dir.resolve("frames"));
        QrFrames.write(dir.resolve("frames/empty.png"), null);
        try (AimRig rig = new AimRig(dir.resolve("frames"), AimServerTest.loopback(AimServerTest.freePort()))) {
            rig.awaitFirstFrame();
            BufferedImage shot = screenshot(rig, "empty");
            int green = AimServerTest.pixels(shot, AimServerTest::green);
            assertTrue(green < OUTLINE_PIXELS, "no code, no outline: " + green + " green pixels");
            // The picture did load: the frame's light gray fills a large part of the screenshot.
            int gray = AimServerTest.pixels(shot, rgb -> (rgb & 0xff) > 180 && (rgb & 0xff) < 215
                    && ((rgb >> 8) & 0xff) > 180 && ((rgb >> 16) & 0xff) > 180);
            assertTrue(gray > 50_000, "the page shows the camera's frame: " + gray + " light gray pixels");
        }
    }
}
