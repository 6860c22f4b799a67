package ckp.kiosk.aim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.Settings;
import ckp.kiosk.fixtures.MessageSchema;
import ckp.kiosk.fixtures.QrFrames;
import ckp.kiosk.fixtures.TestIssuer;
import ckp.kiosk.scan.UnreadCodeHookTestAccess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The aiming view over HTTP with the JDK's client, against the view wired to a real scanner on a folder of frames. */
class AimServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PASS_ID = "AIM-PASS-4711";
    static final String PLATE = "鲁L12345";
    static final String TOKEN = "aim-token-0123456789abcdef";

    @TempDir
    Path dir;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A folder with one frame showing a real, signed CKP1 pass; returns the pass text. */
    static String passFrames(Path frames) throws IOException {
        Files.createDirectories(frames);
        String pass = new TestIssuer("aim1").validPass(PASS_ID, PLATE);
        QrFrames.write(frames.resolve("pass.png"), pass);
        return pass;
    }

    static AimConfig loopback(int port) {
        return new AimConfig(port, InetAddress.getLoopbackAddress(), Optional.empty());
    }

    static int pixels(BufferedImage img, java.util.function.IntPredicate rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if (rgb.test(img.getRGB(x, y))) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The outline's green: a strong green channel over weak red and blue (JPEG blurs the line's edges only). */
    static boolean green(int rgb) {
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        return g > 150 && r < 110 && b < 110;
    }

    static boolean amber(int rgb) {
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        return r > 200 && g > 120 && g < 215 && b < 90;
    }

    @Test
    void theViewServesThePageAGrayPictureWithThePassOutlinedInGreenAndItsFiguresAndNeverThePassText() throws Exception {
        String pass = passFrames(dir.resolve("frames"));
        try (AimRig rig = new AimRig(dir.resolve("frames"), loopback(freePort()))) {
            rig.awaitFirstFrame();
            List<byte[]> bodies = new ArrayList<>();

            HttpResponse<byte[]> page = rig.get("/");
            bodies.add(page.body());
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            String html = new String(page.body(), StandardCharsets.UTF_8);
            assertTrue(html.contains("snapshot.jpg") && html.contains("status.json"), "the page loads the picture and the figures");
            assertFalse(Pattern.compile("(src|href)\\s*=\\s*\"?(https?:)?//|@import|\\burl\\(", Pattern.CASE_INSENSITIVE)
                    .matcher(html).find(), "the page loads no external assets (it must work offline)");

            HttpResponse<byte[]> snapshot = rig.get("/snapshot.jpg");
            bodies.add(snapshot.body());
            assertEquals(200, snapshot.statusCode());
            assertEquals("image/jpeg", snapshot.headers().firstValue("Content-Type").orElse(""));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(snapshot.body()));
            assertTrue(img.getWidth() >= 320, "at least 320 pixels wide: " + img.getWidth());
            assertTrue(pixels(img, AimServerTest::green) > 500, "the code read is outlined in green");
            assertEquals(0, pixels(img, AimServerTest::amber), "no code found and not read, so nothing in amber");
            int corner = img.getRGB(20, 20);
            assertTrue(Math.abs(((corner >> 16) & 0xff) - (corner & 0xff)) < 12
                    && Math.abs(((corner >> 8) & 0xff) - (corner & 0xff)) < 12, "the frame is gray: " + Integer.toHexString(corner));

            HttpResponse<byte[]> status = rig.get("/status.json");
            bodies.add(status.body());
            assertEquals(200, status.statusCode());
            assertEquals("application/json", status.headers().firstValue("Content-Type").orElse(""));
            MessageSchema.AIM_STATUS.assertValid(status.body());
            JsonNode s = JSON.readTree(status.body());
            assertEquals("read", s.at("/decode/result").asText());
            assertEquals("CKP1", s.at("/decode/codes/0/kind").asText());
            assertEquals("read", s.at("/decode/codes/0/outcome").asText());
            assertEquals(36.62, s.at("/thermometer/objectCelsius").asDouble(), 1e-9);
            assertEquals(21.5, s.at("/thermometer/ambientCelsius").asDouble(), 1e-9);
            assertEquals("ok", s.at("/thermometer/health").asText());
            assertEquals("idle", s.at("/lane/state").asText());
            assertEquals("good", s.at("/guidance/0/code").asText(), s.toString());
            assertTrue(s.at("/image/brightness").asDouble() > 50);
            assertTrue(s.at("/image/sharpnessPercent").asDouble() > 35, "a rendered code is sharp: " + s.at("/image"));

            for (String path : List.of("/nothing", "/snapshot.jpg/../status.json")) {
                bodies.add(rig.get(path).body());
            }
            assertNoPassData(bodies, pass);
        }
    }

    /** No response carries the pass's text, any stretch of it, its id or its plate. */
    static void assertNoPassData(List<byte[]> bodies, String pass) {
        for (byte[] body : bodies) {
            String utf8 = new String(body, StandardCharsets.UTF_8);
            String latin1 = new String(body, StandardCharsets.ISO_8859_1);
            for (String text : List.of(utf8, latin1)) {
                assertFalse(text.contains(PASS_ID), "a response holds the pass id");
                assertFalse(text.contains(PLATE) || text.contains("12345"), "a response holds the plate");
                for (int i = 5; i + 12 <= pass.length(); i += 6) {
                    assertFalse(text.contains(pass.substring(i, i + 12)), "a response holds part of the pass text");
                }
            }
        }
    }

    @Test
    void aCodeFoundButNotReadIsOutlinedInAmberAndSaidSo() throws Exception {
        Files.createDirectories(dir.resolve("frames"));
        ImageIO.write(UnreadCodeHookTestAccess.damagedCode(), "png", dir.resolve("frames/damaged.png").toFile());
        try (AimRig rig = new AimRig(dir.resolve("frames"), loopback(freePort()))) {
            rig.awaitFirstFrame();
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(rig.get("/snapshot.jpg").body()));
            assertTrue(pixels(img, AimServerTest::amber) > 300, "the unread code is outlined in amber");
            assertEquals(0, pixels(img, AimServerTest::green), "nothing read, so nothing green");
            JsonNode s = JSON.readTree(rig.get("/status.json").body());
            assertEquals("found_not_read", s.at("/decode/result").asText());
            assertEquals("not_read", s.at("/guidance/0/code").asText(), s.toString());
        }
    }

    @Test
    void theViewListensOnLoopbackOnlyByDefault() throws Exception {
        int port = freePort();
        AimConfig config = AimConfig.from(new Settings(Map.of("aim.http.port", String.valueOf(port)), AimConfig.KEYS, dir));
        assertTrue(config.bind().isLoopbackAddress(), "the default bind address is loopback: " + config.bind());
        passFrames(dir.resolve("frames"));
        try (AimRig rig = new AimRig(dir.resolve("frames"), config)) {
            assertTrue(rig.server.address().getAddress().isLoopbackAddress(),
                    "the socket is bound to loopback: " + rig.server.address());
            assertEquals(port, rig.server.address().getPort());
        }
    }

    @Test
    void boundBeyondLoopbackEveryRequestNeedsTheToken() throws Exception {
        passFrames(dir.resolve("frames"));
        AimConfig wide = new AimConfig(freePort(), InetAddress.getByName("0.0.0.0"), Optional.of(TOKEN));
        try (AimRig rig = new AimRig(dir.resolve("frames"), wide)) {
            rig.awaitFirstFrame();
            assertFalse(rig.server.address().getAddress().isLoopbackAddress(), "bound to every address");
            for (String path : List.of("/", "/snapshot.jpg", "/status.json", "/nothing")) {
                assertEquals(401, rig.get(path).statusCode(), path + " without the token");
                assertEquals(401, rig.get(path, "Authorization", "Bearer " + TOKEN.substring(1)).statusCode(),
                        path + " with a wrong token");
                assertEquals(401, rig.get(path + "?token=" + TOKEN + "x").statusCode(), path + " with a longer token");
            }
            assertEquals(200, rig.get("/", "Authorization", "Bearer " + TOKEN).statusCode());
            assertEquals(200, rig.get("/snapshot.jpg", "Authorization", "Bearer " + TOKEN).statusCode());
            assertEquals(200, rig.get("/status.json?token=" + TOKEN).statusCode(), "the page's own address may carry it");
        }
    }

    @Test
    void aViewBeyondLoopbackWithoutATokenOrWithAShortOneIsAConfigErrorNamingTheToken() {
        ConfigException missing = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> AimConfig.from(
                new Settings(Map.of("aim.http.port", "8088", "aim.http.bind", "0.0.0.0"), AimConfig.KEYS, dir)));
        assertEquals("aim.http.token", missing.key());
        ConfigException tooShort = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> AimConfig.from(
                new Settings(Map.of("aim.http.port", "8088", "aim.http.bind", "0.0.0.0", "aim.http.token", "short"),
                        AimConfig.KEYS, dir)));
        assertEquals("aim.http.token", tooShort.key());
        ConfigException hostName = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> AimConfig.from(
                new Settings(Map.of("aim.http.port", "8088", "aim.http.bind", "kiosk.example"), AimConfig.KEYS, dir)));
        assertEquals("aim.http.bind", hostName.key());
    }

    @Test
    void nothingIsEncodedWhileNobodyWatches() throws Exception {
        passFrames(dir.resolve("frames"));
        try (AimRig rig = new AimRig(dir.resolve("frames"), loopback(freePort()))) {
            rig.awaitFirstFrame();
            long start = rig.scanner.framesDecoded();
            while (rig.scanner.framesDecoded() < start + 10) {
                Thread.sleep(20);
            }
            assertEquals(0, rig.view.picturesMade(), "ten frames decoded, nobody watching: no picture made");
            assertEquals(200, rig.get("/snapshot.jpg").statusCode());
            assertTrue(rig.view.picturesMade() >= 1, "a viewer gets a picture");
        }
    }
}
