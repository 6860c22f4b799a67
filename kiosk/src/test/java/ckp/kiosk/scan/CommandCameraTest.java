package ckp.kiosk.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ckp.drivers.camera.Frame;
import ckp.drivers.camera.FrameSource;
import ckp.drivers.camera.Luma;
import ckp.drivers.time.Ticker;
import ckp.kiosk.Devices;
import ckp.kiosk.config.Settings;
import ckp.kiosk.fixtures.QrFrames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommandCameraTest {
    @TempDir
    Path dir;

    @Test
    void aQrCodeStreamedByFfmpegAtAPaddedStrideIsDecodedFromTheLumaPlane() throws Exception {
        Path png = QrFrames.write(dir.resolve("freight.png"), "CKP-TEST-FREIGHT-0001");
        List<DecodedCode> fromPng = new QrDecoder().decode(Luma.of(ImageIO.read(png.toFile()), 0, 0));
        assertEquals(1, fromPng.size(), "the frame holds one readable code");
        // 640-pixel rows padded to 704 bytes, as rpicam-vid writes a 650-wide frame on a Pi 4.
        String command = "[\"ffmpeg\",\"-nostdin\",\"-hide_banner\",\"-loglevel\",\"error\",\"-loop\",\"1\","
                + "\"-i\",\"" + png + "\",\"-frames:v\",\"3\",\"-vf\",\"pad=704:480:0:0\",\"-pix_fmt\",\"yuv420p\","
                + "\"-f\",\"rawvideo\",\"-\"]";
        CameraConfig config = CameraConfig.from(new Settings(Map.of("camera.source", "command",
                "camera.command", command, "camera.width", "640", "camera.height", "480", "camera.stride", "704"),
                CameraConfig.KEYS, dir));

        try (FrameSource camera = Devices.camera(config, Ticker.system())) {
            QrDecoder decoder = new QrDecoder();
            for (int i = 0; i < 3; i++) {
                Frame frame = camera.next().orElseThrow();
                assertEquals(704, frame.stride());
                assertEquals(640, frame.width());
                List<DecodedCode> codes = decoder.decode(frame);
                assertEquals(1, codes.size(), "frame " + i);
                assertFalse(codes.get(0).text().isEmpty());
                assertEquals(fromPng.get(0).text(), codes.get(0).text());
            }
            assertEquals(0, camera.health().restarts());
        }
    }

    @Test
    void aFakeRpicamVidNamedByCameraRpicamBinaryIsRunWithTheConfiguredOptionsAndItsFramesDecode() throws Exception {
        Path png = QrFrames.write(dir.resolve("passenger.png"), "CKP-TEST-PASSENGER-0002");
        String expected = new QrDecoder().decode(Luma.of(ImageIO.read(png.toFile()), 0, 0)).get(0).text();
        Path argvFile = dir.resolve("argv.txt");
        // Streams like rpicam-vid on a Pi 4 asked for 650x480: rows padded to a 704-byte stride.
        Path fake = dir.resolve("rpicam-vid");
        Files.writeString(fake, "#!/bin/sh\n"
                + "printf '%s\\n' \"$@\" > '" + argvFile + "'\n"
                + "exec ffmpeg -nostdin -hide_banner -loglevel error -loop 1 -i '" + png + "' -frames:v 2"
                + " -vf pad=704:480:0:0 -pix_fmt yuv420p -f rawvideo -\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        CameraConfig config = CameraConfig.from(new Settings(Map.of("camera.source", "rpicam",
                "camera.rpicam.binary", fake.toString(), "camera.rpicam.align", "64", "camera.width", "650",
                "camera.fps", "20", "camera.autofocus", "continuous", "camera.shutter.us", "3000"),
                CameraConfig.KEYS, dir));

        try (FrameSource camera = Devices.camera(config, Ticker.system())) {
            QrDecoder decoder = new QrDecoder();
            for (int i = 0; i < 2; i++) {
                Frame frame = camera.next().orElseThrow();
                assertEquals(704, frame.stride());
                List<DecodedCode> codes = decoder.decode(frame);
                assertEquals(1, codes.size(), "frame " + i);
                assertEquals(expected, codes.get(0).text());
            }
        }
        assertEquals(List.of("-t", "0", "-n", "--codec", "yuv420", "--flush", "--width", "650", "--height", "480",
                "--framerate", "20", "--autofocus-mode", "continuous", "--shutter", "3000", "-o", "-"),
                Files.readAllLines(argvFile));
    }
}
