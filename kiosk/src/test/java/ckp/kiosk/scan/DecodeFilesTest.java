package ckp.kiosk.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecodeFilesTest {
    @TempDir
    Path dir;

    @Test
    void eachImagePrintsOneJsonLineWithTextPointsInImagePixelsAndDecodeMillis() throws Exception {
        String text = "CKP1:京A·12345";
        BitMatrix m = new QRCodeWriter().encode(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1),
                BarcodeFormat.QR_CODE, 0, 0, Map.of(EncodeHintType.MARGIN, 4));
        int scale = 8;
        int x0 = 500;
        int y0 = 300;
        BufferedImage img = new BufferedImage(1280, 960, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 960; y++) {
            for (int x = 0; x < 1280; x++) {
                int mx = (x - x0) / scale;
                int my = (y - y0) / scale;
                boolean ink = x >= x0 && y >= y0 && mx < m.getWidth() && my < m.getHeight() && m.get(mx, my);
                img.setRGB(x, y, ink ? 0x101010 : 0xf0f0f0);
            }
        }
        ImageIO.write(img, "png", dir.resolve("pass.png").toFile());
        Files.writeString(dir.resolve("broken.jpg"), "not an image");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int unreadable = DecodeFiles.run(List.of(dir), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        assertEquals(1, unreadable);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size());
        JsonNode broken = new ObjectMapper().readTree(lines.get(0));
        assertTrue(broken.get("file").asText().endsWith("broken.jpg"));
        assertTrue(broken.has("error"));
        JsonNode pass = new ObjectMapper().readTree(lines.get(1));
        assertTrue(pass.get("file").asText().endsWith("pass.png"));
        assertEquals(text, pass.get("codes").get(0).get("text").asText());
        assertTrue(pass.get("ms").asDouble() > 0);
        JsonNode corners = pass.get("codes").get(0).get("corners");
        assertEquals(4, corners.size(), "four corners: " + corners);
        // The top-left corner is the drawn code's, 4 modules of quiet zone in, in the image's own pixels.
        double near = 4.0 * scale;
        assertTrue(Math.abs(corners.get(0).get(0).asDouble() - (x0 + near)) < scale
                && Math.abs(corners.get(0).get(1).asDouble() - (y0 + near)) < scale,
                "corners " + corners + " should start at the top-left corner near (" + (x0 + near) + ", " + (y0 + near) + ")");
    }
}
