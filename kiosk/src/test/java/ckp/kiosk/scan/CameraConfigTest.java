package ckp.kiosk.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.drivers.camera.RawFrameLayout;
import ckp.drivers.camera.RpicamCommand;
import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CameraConfigTest {
    @TempDir
    Path dir;

    private CameraConfig load(String... keyValues) throws ConfigException {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return CameraConfig.from(new Settings(m, CameraConfig.KEYS, dir));
    }

    private static CameraSource.Rpicam rpicam(CameraConfig c) {
        return assertInstanceOf(CameraSource.Rpicam.class, c.source());
    }

    private String badKey(String... keyValues) {
        return assertThrows(ConfigException.class, () -> load(keyValues)).key();
    }

    @Test
    void rpicamDefaultsTo640x480At15FpsWithTheBoardsStride() throws Exception {
        CameraConfig c = load("camera.source", "rpicam");
        RpicamCommand pi4 = rpicam(c).command(64);
        assertEquals(List.of("rpicam-vid", "-t", "0", "-n", "--codec", "yuv420", "--flush", "--width", "640",
                "--height", "480", "--framerate", "15", "-o", "-"), pi4.argv());
        assertEquals(640, pi4.stride());
        assertEquals(Duration.ofMillis(500), c.restart().firstBackoff());
        assertEquals(Duration.ofSeconds(30), c.restart().maxBackoff());
        assertEquals(Duration.ofSeconds(10), c.restart().stallTimeout());
    }

    @Test
    void aStrideThatRpicamVidWillNotWriteIsAConfigErrorNamingCameraStride() throws Exception {
        assertEquals("camera.stride", badKey("camera.source", "rpicam", "camera.width", "650", "camera.stride", "650",
                "camera.rpicam.align", "64"));
        CameraConfig auto = load("camera.source", "rpicam", "camera.width", "650", "camera.stride", "704");
        assertEquals(704, rpicam(auto).command(64).stride());
        ConfigException onPi5 = assertThrows(ConfigException.class, () -> rpicam(auto).command(128));
        assertEquals("camera.stride", onPi5.key());
        assertTrue(onPi5.getMessage().contains("768"), onPi5.getMessage());
    }

    @Test
    void rpicamOptionsReachTheArgv() throws Exception {
        CameraConfig c = load("camera.source", "rpicam", "camera.width", "1280", "camera.height", "720",
                "camera.fps", "30", "camera.autofocus", "manual", "camera.lens.dioptres", "2",
                "camera.shutter.us", "4000", "camera.gain", "2.5", "camera.rpicam.binary", "/opt/rpicam-vid",
                "camera.rpicam.align", "128");
        assertEquals(List.of("/opt/rpicam-vid", "-t", "0", "-n", "--codec", "yuv420", "--flush", "--width", "1280",
                "--height", "720", "--framerate", "30", "--autofocus-mode", "manual", "--lens-position", "2",
                "--shutter", "4000", "--gain", "2.5", "-o", "-"), rpicam(c).command(64).argv());
    }

    @Test
    void badCameraValuesAreRefusedByTheKeyToFix() {
        assertEquals("camera.command", badKey("camera.source", "command"));
        assertEquals("camera.command", badKey("camera.source", "command", "camera.command", "ffmpeg -i x -"));
        assertEquals("camera.command", badKey("camera.source", "command", "camera.command", "[\"ffmpeg\", 3]"));
        assertEquals("camera.command", badKey("camera.source", "command", "camera.command", "[]"));
        assertEquals("camera.stride", badKey("camera.source", "command", "camera.command", "[\"cat\"]",
                "camera.stride", "600"));
        assertEquals("camera.width", badKey("camera.source", "command", "camera.command", "[\"cat\"]",
                "camera.width", "641"));
        assertEquals("camera.format", badKey("camera.source", "rpicam", "camera.format", "gray"));
        assertEquals("camera.lens.dioptres", badKey("camera.source", "rpicam", "camera.lens.dioptres", "1"));
        assertEquals("camera.autofocus", badKey("camera.source", "rpicam", "camera.autofocus", "sometimes"));
        assertEquals("camera.shutter.us", badKey("camera.source", "rpicam", "camera.shutter.us", "5s"));
        assertEquals("camera.restart.max.ms", badKey("camera.source", "rpicam", "camera.restart.first.ms", "5000",
                "camera.restart.max.ms", "1000"));
        assertEquals("camera.rpicam.align", badKey("camera.source", "rpicam", "camera.rpicam.align", "32"));
        assertEquals("camera.files.fps", badKey("camera.source", "rpicam", "camera.files.fps", "0"),
                "a bad value is refused even in a key the chosen camera does not read");
        assertEquals("camera.source", badKey("camera.source", "usb"));
    }

    @Test
    void aCommandArgvIsAJsonArrayWhoseItemsMayHoldSpaces() throws Exception {
        CameraConfig c = load("camera.source", "command", "camera.format", "gray", "camera.width", "641",
                "camera.command", "[\"/opt/my camera/grab\", \"--size\", \"641x480\"]");
        assertEquals(new CameraSource.Command(List.of("/opt/my camera/grab", "--size", "641x480"),
                new RawFrameLayout(RawFrameLayout.PixelFormat.GRAY, 641, 480, 641)), c.source());
    }

    @Test
    void everyCameraKeyIsDocumentedInTheConfigurationReference() throws Exception {
        Path root = Path.of(System.getProperty("ckp.root", "..")).toAbsolutePath().normalize();
        String doc = Files.readString(root.resolve("docs/configuration.md"));
        for (ConfigKey key : CameraConfig.KEYS) {
            assertTrue(doc.contains("| `" + key.name() + "` |"), key.name() + " is not in docs/configuration.md");
        }
    }
}
