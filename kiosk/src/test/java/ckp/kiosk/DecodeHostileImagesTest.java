package ckp.kiosk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.fixtures.HugePng;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiosk decode} on image files a hostile tester made, in a real child JVM with a 96 MiB heap: a 20000 x 20000
 * PNG of a few hundred kilobytes (about 400 MB as a luma plane) is refused by its size, not an OutOfMemoryError.
 */
class DecodeHostileImagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aHugeATruncatedAndAFakePngEachGetALineNamingWhyAndTheGoodOneIsStillDecoded(@TempDir Path dir)
            throws Exception {
        Path huge = HugePng.write(dir.resolve("a-huge.png"), 20_000, 20_000);
        assertTrue(Files.size(huge) < 1_000_000);
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        Files.write(dir.resolve("b-truncated.png"), Arrays.copyOf(png.toByteArray(), png.size() / 2));
        Files.writeString(dir.resolve("c-text.png"), "not a picture\n");
        Files.write(dir.resolve("d-good.png"), png.toByteArray());

        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx96m",
                "-cp", System.getProperty("java.class.path"), "ckp.kiosk.Main", "decode", dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertFalse(out.contains("OutOfMemoryError"), out);
        List<JsonNode> lines = new ArrayList<>();
        for (String l : out.split("\n")) {
            if (l.startsWith("{")) {
                lines.add(JSON.readTree(l));
            }
        }
        assertEquals(4, lines.size(), out);
        assertTrue(lines.get(0).path("error").asText().contains("20000x20000"), out);
        assertTrue(lines.get(0).path("error").asText().contains("4096x4096"), out);
        assertTrue(lines.get(1).path("error").asText().contains("b-truncated.png"), out);
        assertTrue(lines.get(2).path("error").asText().contains("c-text.png"), out);
        assertTrue(lines.get(3).has("codes"), out);
    }
}
