package ckp.provisioning.aim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.drivers.camera.Cameras;
import ckp.drivers.time.Ticker;
import ckp.drivers.thermometer.ThermometerSample;
import ckp.kiosk.KioskConfig;
import ckp.kiosk.aim.AimServer;
import ckp.kiosk.aim.AimSources;
import ckp.kiosk.aim.AimView;
import ckp.kiosk.fixtures.QrFrames;
import ckp.kiosk.lane.LaneCycle;
import ckp.kiosk.scan.QrDecoder;
import ckp.kiosk.scan.RepeatFilter;
import ckp.kiosk.scan.Scanner;
import ckp.kiosk.screening.ThermometerHealth;
import ckp.provisioning.KioskCtl;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kioskctl aim} against an aiming view served from the same config, wired as the kiosk wires it. */
class AimCommandTest {
    @TempDir
    Path dir;

    private Path config(String aimLines) throws IOException {
        Files.createDirectories(dir.resolve("frames"));
        Files.createDirectories(dir.resolve("trust"));
        QrFrames.write(dir.resolve("frames/code.png"), "https://example.org/aim");
        return Files.writeString(dir.resolve("kiosk.properties"), String.join("\n",
                "kiosk.id=k1", "kiosk.site=s1", "kiosk.lane=l1", "mqtt.uris=tcp://127.0.0.1:1",
                "store.path=" + dir.resolve("events.db"), "camera.source=files", "camera.files.dir=frames",
                "thermometer.type=sim", "pass.trust.dir=trust", aimLines, ""), StandardCharsets.UTF_8);
    }

    private record Run(int status, String out, String err) { }

    private static Run kioskctl(String... args) {
        CommandLine cmd = KioskCtl.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int status = cmd.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The service's aiming view for a config: a real scanner on the config's frames, the real view and server. */
    private static AutoCloseable serve(Path configFile) throws Exception {
        KioskConfig c = KioskConfig.load(configFile);
        Scanner scanner = new Scanner(Cameras.imageFolder(configFile.getParent().resolve("frames"), 10, 1, true, Ticker.system()),
                new QrDecoder(), new RepeatFilter(Duration.ofSeconds(5)), s -> { });
        AimView view = new AimView(new AimSources(scanner::newest, scanner::framesDecoded,
                () -> new ThermometerHealth("sim", ThermometerSample.Status.OK, 0, ""), Optional::empty,
                () -> LaneCycle.State.IDLE), Instant::now);
        scanner.start();
        view.start();
        AimServer server = AimServer.start(c.aim(), view);
        long deadline = System.nanoTime() + ckp.kiosk.fixtures.Await.GENEROUS.toNanos();
        while (scanner.newest().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return () -> {
            server.close();
            scanner.close();
        };
    }

    @Test
    void aimPrintsTheAddressAndTheSshLineOfTheRunningView() throws Exception {
        int port = freePort();
        Path cfg = config("aim.http.port=" + port);
        try (AutoCloseable service = serve(cfg)) {
            Run r = kioskctl("aim", "--config", cfg.toString(), "--host", "lane3-kiosk");
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains("ssh -L 8080:127.0.0.1:" + port + " lane3-kiosk"), r.out());
            assertTrue(r.out().contains("http://127.0.0.1:" + port + "/"), r.out());
            assertTrue(r.out().contains("http://localhost:8080/"), r.out());
            assertTrue(r.out().contains("answers:   yes"), r.out());
        }
    }

    @Test
    void aimSnapshotSavesOnePictureWithTheToken() throws Exception {
        int port = freePort();
        Path cfg = config("aim.http.port=" + port + "\naim.http.bind=0.0.0.0\naim.http.token=0123456789abcdef0123");
        Path jpeg = dir.resolve("ticket.jpg");
        try (AutoCloseable service = serve(cfg)) {
            Run r = kioskctl("aim", "--config", cfg.toString(), "--snapshot", jpeg.toString());
            assertEquals(0, r.status(), r.out() + r.err());
            BufferedImage img = ImageIO.read(jpeg.toFile());
            assertTrue(img != null && img.getWidth() >= 320, "a JPEG picture was saved");
        }
    }

    @Test
    void aimWithTheViewOffSaysWhichKeyTurnsItOn() throws Exception {
        Run r = kioskctl("aim", "--config", config("").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("aim.http.port"), r.err());
    }

    @Test
    void aimWithNoServiceListeningSaysSo() throws Exception {
        Run r = kioskctl("aim", "--config", config("aim.http.port=" + freePort()).toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("does not answer"), r.err());
    }
}
