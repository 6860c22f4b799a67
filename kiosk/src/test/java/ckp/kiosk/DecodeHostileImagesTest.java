package ckp.kiosk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
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
        Path huge = hugePng(dir.resolve("a-huge.png"), 20_000, 20_000);
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

    /** A valid PNG of one-bit black pixels: tiny on disk, huge decoded. */
    static Path hugePng(Path file, int width, int height) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 1).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9))) {
            byte[] row = new byte[1 + (width + 7) / 8];
            for (int r = 0; r < height; r++) {
                z.write(row);
            }
        }
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return Files.write(file, png.toByteArray());
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
