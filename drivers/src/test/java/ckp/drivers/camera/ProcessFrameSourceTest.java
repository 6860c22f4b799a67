package ckp.drivers.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.drivers.Await;
import ckp.drivers.camera.RawFrameLayout.PixelFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessFrameSourceTest {
    private static final RestartPolicy QUICK = new RestartPolicy(Duration.ofMillis(50), Duration.ofSeconds(3),
            Duration.ofSeconds(20));

    @TempDir
    Path dir;

    @Test
    void aCommandPrintingPaddedYuv420FramesThroughFfmpegDeliversThemInOrder() throws Exception {
        Path in = dir.resolve("in.yuv");
        Files.write(in, TestFrames.yuv420(100, 60, 4));
        RawFrameLayout layout = new RawFrameLayout(PixelFormat.YUV420, 100, 60, 128);
        try (ProcessFrameSource source = ProcessFrameSource.command(TestFrames.ffmpegPad(in, "yuv420p", 100, 60, 128),
                layout, QUICK)) {
            for (int f = 0; f < 4; f++) {
                Frame frame = source.next().orElseThrow();
                assertEquals(f, frame.sequence());
                TestFrames.assertPattern(frame, f);
            }
            assertTrue(source.describe().contains("100x60 yuv420 stride 128"), source.describe());
        }
    }

    @Test
    void aProcessKilledMidFrameIsRestartedWithAGrowingBackoffAndTheSequenceContinues() throws Exception {
        RawFrameLayout layout = RawFrameLayout.unpadded(PixelFormat.YUV420, 64, 32);
        Path in = dir.resolve("in.yuv");
        Files.write(in, TestFrames.yuv420(64, 32, 2));
        // Writes one whole frame and half of the next, then dies by SIGKILL, as a crashing camera process would.
        Path camera = TestFrames.script(dir, "dying-camera",
                "head -c " + (layout.frameBytes() + layout.frameBytes() / 2) + " " + in,
                "kill -9 $$");
        try (ProcessFrameSource source = ProcessFrameSource.command(List.of(camera.toString()), layout, QUICK)) {
            List<Long> pids = new ArrayList<>();
            List<Duration> backoffs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Frame frame = source.next().orElseThrow();
                assertEquals(i, frame.sequence(), "sequence continues across restarts");
                TestFrames.assertPattern(frame, 0);
                pids.add(source.pid().orElseThrow());
                backoffs.add(source.health().nextBackoff());
            }
            CameraHealth health = source.health();
            assertEquals(3, health.restarts());
            assertEquals(4, health.framesRead());
            String error = health.lastError().orElseThrow();
            assertTrue(error.contains("killed by signal 9"), error);
            assertTrue(error.contains(layout.frameBytes() / 2 + " bytes into a " + layout.frameBytes() + "-byte frame"),
                    error);
            assertEquals(4, pids.stream().distinct().count(), "each frame came from a new process: " + pids);
            assertEquals(List.of(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
                    Duration.ofMillis(400)), backoffs);
        }
    }

    @Test
    void aProcessThatStopsWritingIsKilledWithItsChildrenAndRestarted() throws Exception {
        RawFrameLayout layout = RawFrameLayout.unpadded(PixelFormat.GRAY, 32, 16);
        Path in = dir.resolve("in.gray");
        Files.write(in, TestFrames.gray(32, 16, 1));
        // The sleep is a child, not exec'd: it holds stdout open after its shell is killed unless it is killed too.
        Path camera = TestFrames.script(dir, "hanging-camera", "cat " + in, "sleep 300", "true");
        RestartPolicy policy = new RestartPolicy(Duration.ofMillis(50), Duration.ofSeconds(3), Duration.ofMillis(1500));
        try (ProcessFrameSource source = ProcessFrameSource.command(List.of(camera.toString()), layout, policy)) {
            source.next().orElseThrow();
            long firstPid = source.pid().orElseThrow();
            ProcessHandle shell = ProcessHandle.of(firstPid).orElseThrow();
            // Kept as seen by the wait: read again later, the list can be empty because the watchdog already
            // killed the shell (it stalls 1.5 s after the first frame, sooner than a loaded machine gets here).
            AtomicReference<List<ProcessHandle>> seen = new AtomicReference<>(List.of());
            Await.until("the camera script has started its sleep", () -> {
                seen.set(shell.children().toList());
                return !seen.get().isEmpty();
            });
            List<ProcessHandle> children = seen.get();
            Frame second = source.next().orElseThrow();

            assertEquals(1, second.sequence());
            assertNotEquals(firstPid, source.pid().orElseThrow());
            String error = source.health().lastError().orElseThrow();
            assertTrue(error.contains("stalled"), error);
            assertFalse(children.isEmpty(), "the script's sleep was running");
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aCameraFloodingStderrStillDeliversEveryFrame() throws Exception {
        RawFrameLayout layout = RawFrameLayout.unpadded(PixelFormat.GRAY, 32, 16);
        Path in = dir.resolve("in.gray");
        Files.write(in, TestFrames.gray(32, 16, 3));
        // 4 MB of stderr, far past the 64 KiB pipe buffer, before the first frame: undrained, the script blocks.
        Path camera = TestFrames.script(dir, "chatty-camera",
                "head -c 4000000 /dev/zero | tr '\\000' 'x' | fold -w 100 >&2",
                "echo last words >&2",
                "cat " + in);
        try (ProcessFrameSource source = ProcessFrameSource.command(List.of(camera.toString()), layout, QUICK)) {
            for (int f = 0; f < 3; f++) {
                TestFrames.assertPattern(source.next().orElseThrow(), f);
            }
        }
    }

    @Test
    void aProgramThatCannotStartIsRetriedAndReportedUntilClosed() throws Exception {
        RawFrameLayout layout = RawFrameLayout.unpadded(PixelFormat.GRAY, 32, 16);
        ProcessFrameSource source = ProcessFrameSource.command(List.of(dir.resolve("no-such-camera").toString()),
                layout, QUICK);
        CompletableFuture<Optional<Frame>> next = CompletableFuture.supplyAsync(() -> {
            try {
                return source.next();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until("two restarts of the missing program", () -> source.health().restarts() >= 2);
        String error = source.health().lastError().orElseThrow();
        assertTrue(error.contains("could not start") && error.contains("no-such-camera"), error);
        assertFalse(source.health().running());

        source.close();
        assertEquals(Optional.empty(), next.get(10, TimeUnit.SECONDS));
    }

    @Test
    void closingTheSourceStopsTheCameraProcessAndEndsTheStream() throws Exception {
        RawFrameLayout layout = RawFrameLayout.unpadded(PixelFormat.GRAY, 32, 16);
        Path in = dir.resolve("in.gray");
        Files.write(in, TestFrames.gray(32, 16, 1));
        Path camera = TestFrames.script(dir, "slow-camera", "cat " + in, "exec sleep 300");
        ProcessFrameSource source = ProcessFrameSource.command(List.of(camera.toString()), layout, QUICK);
        source.next().orElseThrow();
        ProcessHandle process = ProcessHandle.of(source.pid().orElseThrow()).orElseThrow();
        assertTrue(source.health().running());

        source.close();

        process.onExit().get(10, TimeUnit.SECONDS);
        assertEquals(Optional.empty(), source.next());
    }

    @Test
    void rpicamReportingAnotherStreamSizeIsAFaultNamingTheKeysToFix() throws Exception {
        Path fake = TestFrames.script(dir, "rpicam-vid",
                "echo 'INFO Camera camera.cpp:1215 configuring streams: (0) 640x368-YUV420/sYCC' >&2",
                "exec sleep 300");
        RpicamCommand command = new RpicamCommand(fake.toString(), 640, 360, 15, RpicamCommand.Autofocus.DEFAULT,
                OptionalDouble.empty(), OptionalLong.empty(), OptionalDouble.empty(), 64);
        try (ProcessFrameSource source = ProcessFrameSource.rpicam(command, QUICK)) {
            IOException e = assertThrows(IOException.class, source::next);
            assertTrue(e.getMessage().contains("640x368") && e.getMessage().contains("camera.height=368"),
                    e.getMessage());
            assertEquals(0, source.health().restarts(), "a wrong size is not fixed by restarting");
            assertEquals(e.getMessage(), source.health().lastError().orElseThrow());
        }
    }
}
