package ckp.kiosk.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ckp.drivers.camera.Frame;
import ckp.drivers.camera.FrameSource;
import ckp.drivers.camera.Luma;
import ckp.kiosk.Devices;
import ckp.kiosk.config.Settings;
import java.nio.file.Path;
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
        Path png = Path.of(getClass().getResource("/ckp/kiosk/demo/frames/02-valid-freight.png").toURI());
        List<DecodedCode> fromPng = new QrDecoder().decode(Luma.of(ImageIO.read(png.toFile()), 0, 0));
        assertEquals(1, fromPng.size(), "the demo frame holds one readable code");
        // 640-pixel rows padded to 704 bytes, as rpicam-vid writes a 650-wide frame on a Pi 4.
        String command = "[\"ffmpeg\",\"-nostdin\",\"-hide_banner\",\"-loglevel\",\"error\",\"-loop\",\"1\","
                + "\"-i\",\"" + png + "\",\"-frames:v\",\"3\",\"-vf\",\"pad=704:480:0:0\",\"-pix_fmt\",\"yuv420p\","
                + "\"-f\",\"rawvideo\",\"-\"]";
        CameraConfig config = CameraConfig.from(new Settings(Map.of("camera.source", "command",
                "camera.command", command, "camera.width", "640", "camera.height", "480", "camera.stride", "704"),
                CameraConfig.KEYS, dir));

        try (FrameSource camera = Devices.camera(config)) {
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
}
