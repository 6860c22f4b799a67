package ckp.drivers.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.drivers.time.Ticker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderSourceTest {

    @Test
    void unreadableTruncatedAndOversizedImagesAreSkippedNamingEachAndTheRestIsPlayed(@TempDir Path dir)
            throws Exception {
        HostileImages.grayPng(dir.resolve("a-good.png"), 40, 30, 1);
        HostileImages.hugePng(dir.resolve("b-huge.png"), 20_000, 20_000);
        HostileImages.truncatedPng(dir.resolve("c-truncated.png"));
        HostileImages.notAnImage(dir.resolve("d-text.png"));
        HostileImages.grayPng(dir.resolve("e-good.png"), 40, 30, 2);
        assertTrue(Files.size(dir.resolve("b-huge.png")) < 1_000_000, "the huge image is small on disk");

        try (ImageFolderSource source = new ImageFolderSource(dir, 1000, 1, false, Ticker.system())) {
            List<String> skipped = source.skipped();
            assertEquals(3, skipped.size(), skipped.toString());
            assertTrue(skipped.get(0).contains("b-huge.png") && skipped.get(0).contains("20000x20000")
                    && skipped.get(0).contains("4096x4096"), skipped.get(0));
            assertTrue(skipped.get(1).contains("c-truncated.png"), skipped.get(1));
            assertTrue(skipped.get(2).contains("d-text.png"), skipped.get(2));
            Frame first = source.next().orElseThrow();
            Frame second = source.next().orElseThrow();
            assertEquals(40, first.width());
            assertEquals(30, second.height());
            assertTrue(source.next().isEmpty(), "only the two good images are played");
        }
    }

    @Test
    void framesArePacedAndStampedOnTheTickerTheCameraIsGiven(@TempDir Path dir) throws Exception {
        HostileImages.grayPng(dir.resolve("a.png"), 40, 30, 1);
        List<Duration> slept = new ArrayList<>();
        long[] nanos = {7_000_000_000L};
        Ticker virtual = new Ticker() {
            @Override
            public long nanos() {
                return nanos[0];
            }

            @Override
            public void sleep(Duration d) {
                slept.add(d);
                nanos[0] += d.toNanos();
            }
        };
        try (FrameSource camera = Cameras.imageFolder(dir, 10, 3, false, virtual)) {
            List<Long> stamps = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                stamps.add(camera.next().orElseThrow().monotonicNanos());
            }
            assertEquals(List.of(7_000_000_000L, 7_100_000_000L, 7_200_000_000L), stamps,
                    "10 frames a second on the virtual clock, with no real waiting");
            assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(100)), slept);
        }
    }

    @Test
    void imagesPastTheMemoryBudgetAreReadAgainWhenTheyComeIntoViewAndPlayTheSame(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 3; i++) {
            HostileImages.grayPng(dir.resolve("f" + i + ".png"), 40 + i, 30, i);
        }
        try (ImageFolderSource kept = new ImageFolderSource(dir, 1000, 2, false, Ticker.system());
             ImageFolderSource onDemand = new ImageFolderSource(dir, 1000, 2, false, 40 * 30, Ticker.system())) {
            for (int frame = 0; frame < 6; frame++) {
                Frame a = kept.next().orElseThrow();
                Frame b = onDemand.next().orElseThrow();
                assertEquals(a.width(), b.width(), "frame " + frame);
                assertTrue(java.util.Arrays.equals(a.luma(), b.luma()), "frame " + frame + " has the same pixels");
            }
            assertTrue(onDemand.next().isEmpty());
        }
    }

    @Test
    void aFolderWithNothingPlayableIsRefusedNamingTheFolderAndWhy(@TempDir Path dir) throws IOException {
        HostileImages.notAnImage(dir.resolve("x.png"));
        IOException e = assertThrows(IOException.class, () -> new ImageFolderSource(dir, 10, 1, false, Ticker.system()));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("x.png"), e.getMessage());
    }

    @Test
    void theLimitIsReadFromTheHeaderWithoutDecodingThePixels(@TempDir Path dir) throws IOException {
        Path huge = HostileImages.hugePng(dir.resolve("huge.png"), 20_000, 20_000);
        ImageFile.Read read = ImageFile.read(huge);
        ImageFile.Read.Refused refused = assertInstanceOfRefused(read);
        assertTrue(refused.reason().contains("20000x20000"), refused.reason());
        // Past the limit only a header was read: the pixels of a 4097 x 1 image are not decoded either.
        assertInstanceOfRefused(ImageFile.read(HostileImages.hugePng(dir.resolve("wide.png"), 4097, 1)));
        ImageFile.Read ok = ImageFile.read(HostileImages.hugePng(dir.resolve("max.png"), 4096, 16));
        assertTrue(ok instanceof ImageFile.Read.Image image && image.frame().width() == 4096, ok.toString());
    }

    private static ImageFile.Read.Refused assertInstanceOfRefused(ImageFile.Read read) {
        assertTrue(read instanceof ImageFile.Read.Refused, read.toString());
        return (ImageFile.Read.Refused) read;
    }
}
