package ckp.drivers.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RpicamCommandTest {
    @TempDir
    Path dir;

    private static RpicamCommand command(String binary, int width, int height, int align) {
        return new RpicamCommand(binary, width, height, 15, RpicamCommand.Autofocus.DEFAULT, OptionalDouble.empty(),
                OptionalLong.empty(), OptionalDouble.empty(), align);
    }

    @Test
    void theLumaStrideIsTheWidthRoundedUpTo64BytesOnAPi4And128OnAPi5() {
        assertEquals(640, RpicamCommand.strideFor(640, 64));
        assertEquals(704, RpicamCommand.strideFor(650, 64));
        assertEquals(832, RpicamCommand.strideFor(780, 64));
        assertEquals(4096, RpicamCommand.strideFor(4056, 64));
        assertEquals(640, RpicamCommand.strideFor(640, 128));
        assertEquals(768, RpicamCommand.strideFor(650, 128));
        assertEquals(1280, RpicamCommand.strideFor(1280, 128));
        assertEquals(1408, RpicamCommand.strideFor(1296, 128));
    }

    @Test
    void aPi5IsRecognisedByItsDeviceTreeAndEverythingElseUsesThePi4Rule() throws Exception {
        Path pi5 = dir.resolve("pi5");
        Files.write(pi5, "raspberrypi,5-model-b\0brcm,bcm2712\0".getBytes(StandardCharsets.US_ASCII));
        Path pi4 = dir.resolve("pi4");
        Files.write(pi4, "raspberrypi,4-model-b\0brcm,bcm2711\0".getBytes(StandardCharsets.US_ASCII));

        assertEquals(128, RpicamCommand.rowAlignOf(pi5));
        assertEquals(64, RpicamCommand.rowAlignOf(pi4));
        assertEquals(64, RpicamCommand.rowAlignOf(dir.resolve("absent")));
    }

    @Test
    void theArgvCarriesFocusAndExposureOnlyWhenSet() {
        RpicamCommand full = new RpicamCommand("rpicam-vid", 1280, 720, 30, RpicamCommand.Autofocus.MANUAL,
                OptionalDouble.of(2.5), OptionalLong.of(8000), OptionalDouble.of(4), 128);
        assertEquals(List.of("rpicam-vid", "-t", "0", "-n", "--codec", "yuv420", "--flush", "--width", "1280",
                "--height", "720", "--framerate", "30", "--autofocus-mode", "manual", "--lens-position", "2.5",
                "--shutter", "8000", "--gain", "4", "-o", "-"), full.argv());
        assertEquals(List.of("rpicam-vid", "-t", "0", "-n", "--codec", "yuv420", "--flush", "--width", "640",
                "--height", "480", "--framerate", "15", "-o", "-"), command("rpicam-vid", 640, 480, 64).argv());
    }

    @Test
    void aLensPositionWithoutManualFocusIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RpicamCommand("rpicam-vid",
                640, 480, 15, RpicamCommand.Autofocus.CONTINUOUS, OptionalDouble.of(1), OptionalLong.empty(),
                OptionalDouble.empty(), 64));
        assertTrue(e.getMessage().contains("manual"), e.getMessage());
    }

    @Test
    void theLibcameraStreamLineIsAFaultOnlyWhenItDiffersFromTheAskedSize() {
        RpicamCommand c = command("rpicam-vid", 640, 480, 64);
        assertEquals(Optional.empty(), c.faultIn("[0:01:02.3] INFO Camera camera.cpp:1215 configuring streams: "
                + "(0) 640x480-YUV420/sYCC (1) 1332x990-SBGGR10_CSI2P/RAW"));
        assertEquals(Optional.empty(), c.faultIn("some other line"));
        assertTrue(c.faultIn("configuring streams: (0) 640x480-NV12/sYCC").isPresent());
        assertTrue(c.faultIn("configuring streams: (0) 648x480-YUV420").orElseThrow().contains("camera.width=648"));
    }

    @Test
    void aFakeRpicamVidIsStartedWithTheDocumentedArgvAndItsPaddedFramesAreRead() throws Exception {
        Path in = dir.resolve("in.yuv");
        Files.write(in, TestFrames.yuv420(650, 360, 3));
        Path argvFile = dir.resolve("argv.txt");
        // Records its arguments, then streams like rpicam-vid on a Pi 4: 650-pixel rows padded to a 704-byte stride.
        Path fake = TestFrames.script(dir, "rpicam-vid",
                "printf '%s\\n' \"$@\" > " + argvFile,
                "echo 'INFO Camera camera.cpp:1215 configuring streams: (0) 650x360-YUV420/sYCC' >&2",
                "exec " + String.join(" ", TestFrames.ffmpegPad(in, "yuv420p", 650, 360, 704)));
        RpicamCommand command = command(fake.toString(), 650, 360, 64);
        RestartPolicy policy = new RestartPolicy(Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ofSeconds(20));
        try (ProcessFrameSource source = ProcessFrameSource.rpicam(command, policy)) {
            for (int f = 0; f < 3; f++) {
                Frame frame = source.next().orElseThrow();
                assertEquals(704, frame.stride());
                assertEquals(650, frame.width());
                TestFrames.assertPattern(frame, f);
            }
        }
        assertEquals(command.argv().subList(1, command.argv().size()), Files.readAllLines(argvFile));
    }
}
