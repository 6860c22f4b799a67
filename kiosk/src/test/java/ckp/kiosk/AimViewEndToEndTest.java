package ckp.kiosk;

import ckp.kiosk.fixtures.Await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.fixtures.MessageSchema;
import ckp.kiosk.fixtures.QrFrames;
import ckp.kiosk.fixtures.TestIssuer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aiming view of a real {@code kiosk run} process with the files camera: the three endpoints answer, the picture
 * is a gray frame with the pass outlined in colour, the socket listens on loopback only, and no response carries the
 * pass; a view beyond loopback without a token stops the start with exit 78.
 */
class AimViewEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path config(int port, String... extra) throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "kiosk.id=k-aim", "kiosk.site=site-a", "kiosk.lane=lane-1",
                "mqtt.uris=tcp://127.0.0.1:1",
                "store.path=" + dir.resolve("events.db"),
                "camera.source=files", "camera.files.dir=frames", "camera.files.fps=10", "camera.files.loop=true",
                "thermometer.type=sim", "thermometer.sim.readings=36.6",
                "pass.trust.dir=trust", "lane.signal.ms=0", "shutdown.drain.seconds=0",
                "aim.http.port=" + port));
        lines.addAll(List.of(extra));
        return Files.writeString(dir.resolve("kiosk.properties"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The local addresses of the listening TCP sockets on {@code port}, read from /proc/net/tcp and tcp6 (hex). */
    private static List<String> listeners(int port) throws IOException {
        List<String> out = new ArrayList<>();
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[1].endsWith(":" + hexPort) && f[3].equals("0A")) {
                    out.add(f[1].substring(0, f[1].indexOf(':')));
                }
            }
        }
        return out;
    }

    @Test
    void aKioskWithTheFilesCameraServesTheViewOnLoopbackOnlyAndNeverThePass() throws Exception {
        TestIssuer issuer = new TestIssuer("aim-e2e");
        issuer.writePublicKey(dir.resolve("trust"));
        Files.createDirectories(dir.resolve("frames"));
        String pass = issuer.validPass("AIM-E2E-ID-0815", "京A98765");
        QrFrames.write(dir.resolve("frames/pass.png"), pass);
        int port = freePort();
        Process kiosk = KioskEndToEndTest.KioskProcess.start(dir, "run", "--config", config(port).toString(),
                "--assume-clock-synced");
        try (HttpClient http = HttpClient.newHttpClient()) {
            List<byte[]> bodies = new ArrayList<>();
            HttpResponse<byte[]> page = awaitServing(http, port, kiosk);
            bodies.add(page.body());
            assertTrue(new String(page.body(), StandardCharsets.UTF_8).contains("<html"), "the page is HTML");

            List<String> bound = listeners(port);
            // 127.0.0.1 as an IPv4 socket, or as the IPv4-mapped ::ffff:127.0.0.1 of the JVM's dual-stack socket.
            assertEquals(1, bound.size(), "one listening socket: " + bound);
            assertTrue(List.of("0100007F", "0000000000000000FFFF00000100007F").contains(bound.get(0)),
                    "listening on 127.0.0.1 only (hex, /proc/net/tcp): " + bound);

            // The first pictures may precede the first frame with the code decoded: wait for one that shows it.
            BufferedImage img = null;
            long deadline = System.nanoTime() + Await.GENEROUS.toNanos();
            while (System.nanoTime() < deadline) {
                HttpResponse<byte[]> snapshot = get(http, port, "/snapshot.jpg");
                bodies.add(snapshot.body());
                if (snapshot.statusCode() == 200) {
                    img = ImageIO.read(new ByteArrayInputStream(snapshot.body()));
                    if (ckp.kiosk.aim.AimServerTestAccess.greenPixels(img) > 500) {
                        break;
                    }
                }
                Thread.sleep(250);
            }
            assertTrue(img != null && img.getWidth() >= 320, "a JPEG of at least 320 pixels width");
            assertTrue(ckp.kiosk.aim.AimServerTestAccess.greenPixels(img) > 500, "the pass is outlined in green");
            int corner = img.getRGB(20, 20);
            assertTrue(Math.abs(((corner >> 16) & 0xff) - (corner & 0xff)) < 12, "on a gray frame");

            HttpResponse<byte[]> status = get(http, port, "/status.json");
            bodies.add(status.body());
            assertEquals(200, status.statusCode());
            MessageSchema.AIM_STATUS.assertValid(status.body());
            JsonNode s = JSON.readTree(status.body());
            assertEquals("CKP1", s.at("/decode/codes/0/kind").asText(), s.toString());
            assertTrue(s.at("/thermometer/sensor").asText().contains("sim"), s.toString());

            for (byte[] body : bodies) {
                String text = new String(body, StandardCharsets.ISO_8859_1) + new String(body, StandardCharsets.UTF_8);
                assertFalse(text.contains("AIM-E2E-ID-0815") || text.contains("京A98765") || text.contains("98765"),
                        "no response holds the pass id or plate");
                for (int i = 5; i + 12 <= pass.length(); i += 6) {
                    assertFalse(text.contains(pass.substring(i, i + 12)), "no response holds part of the pass text");
                }
            }
        } finally {
            kiosk.destroy();
            assertTrue(kiosk.waitFor(60, TimeUnit.SECONDS), "the kiosk stops on SIGTERM");
        }
        String log = KioskEndToEndTest.KioskProcess.output(dir);
        assertFalse(log.contains("AIM-E2E-ID-0815") || log.contains(pass), "the log holds no pass either");
    }

    private static HttpResponse<byte[]> get(HttpClient http, int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> awaitServing(HttpClient http, int port, Process kiosk) throws Exception {
        long deadline = System.nanoTime() + Await.GENEROUS.toNanos();
        while (true) {
            try {
                HttpResponse<byte[]> r = get(http, port, "/");
                if (r.statusCode() == 200) {
                    return r;
                }
            } catch (IOException notYet) {
                // The kiosk is still starting (it warms the decoder up before it listens).
            }
            if (!kiosk.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the aiming view did not answer on port " + port + "; kiosk output:\n"
                        + KioskEndToEndTest.KioskProcess.output(dir));
            }
            Thread.sleep(200);
        }
    }

    @Test
    void aViewBeyondLoopbackWithoutATokenStopsTheStartWithExit78NamingTheKey() throws Exception {
        Files.createDirectories(dir.resolve("frames"));
        Files.createDirectories(dir.resolve("trust"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.runService(config(8088, "aim.http.bind=0.0.0.0"), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), true);
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(ConfigException.EXIT_STATUS, status, message);
        assertTrue(message.contains("aim.http.token"), message);
    }
}
