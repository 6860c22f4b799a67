package ckp.kiosk.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.drivers.camera.Frame;
import ckp.drivers.camera.FrameSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ScannerTest {

    /** A camera that delivers {@code count} tiny frames, one per interval (0: as fast as asked). */
    private static final class ScriptedCamera implements FrameSource {
        private final int count;
        private final long frameIntervalMillis;
        private int next;

        ScriptedCamera(int count, long frameIntervalMillis) {
            this.count = count;
            this.frameIntervalMillis = frameIntervalMillis;
        }

        @Override
        public Optional<Frame> next() throws InterruptedException {
            if (next >= count) {
                return Optional.empty();
            }
            Thread.sleep(frameIntervalMillis);
            return Optional.of(new Frame(new byte[16], 4, 4, 4, next++, System.nanoTime()));
        }

        @Override
        public String describe() {
            return "scripted";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void whenDecodingFallsBehindOldFramesAreDroppedNotQueued() throws Exception {
        List<Long> decoded = new CopyOnWriteArrayList<>();
        FrameDecoder slow = frame -> {
            decoded.add(frame.sequence());
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        };
        Scanner scanner = new Scanner(new ScriptedCamera(2_000, 0), slow, new RepeatFilter(Duration.ofSeconds(10)), s -> { });
        scanner.start();
        scanner.awaitEnd();
        scanner.close();
        assertEquals(2_000, scanner.framesRead());
        assertEquals(scanner.framesRead(), scanner.framesDecoded() + scanner.framesDropped(),
                "every frame read is either decoded or counted as dropped");
        assertTrue(scanner.framesDropped() > 1_000, "a 20 ms decoder cannot keep up with an instant camera: "
                + scanner.framesDropped() + " dropped");
        List<Long> sorted = new ArrayList<>(decoded);
        sorted.sort(null);
        assertEquals(sorted, decoded, "frames are decoded newest-available first, never out of order");
        assertEquals(1_999L, decoded.get(decoded.size() - 1), "the last frame is decoded, not dropped");
    }

    /** Corners of a code somewhere in the frame, for scripted decoders. */
    static final List<DecodedCode.Point> SQUARE = List.of(new DecodedCode.Point(10, 10), new DecodedCode.Point(110, 10),
            new DecodedCode.Point(110, 110), new DecodedCode.Point(10, 110));

    @Test
    void aCodeHeldUpForManyFramesIsOneSightingAndANewCodeIsANewOne() throws Exception {
        List<Sighting> sightings = new CopyOnWriteArrayList<>();
        FrameDecoder scripted = frame -> List.of(new DecodedCode(frame.sequence() < 50 ? "A" : "B", SQUARE));
        Scanner scanner = new Scanner(new ScriptedCamera(100, 3), scripted, new RepeatFilter(Duration.ofSeconds(10)), sightings::add);
        scanner.start();
        scanner.awaitEnd();
        scanner.close();
        assertEquals(List.of(List.of("A"), List.of("B")), sightings.stream().map(Sighting::texts).toList());
    }

    @Test
    void aFrameWithANewCodeBesideKnownOnesIsOneSightingCarryingEveryCodeInIt() throws Exception {
        List<Sighting> sightings = new CopyOnWriteArrayList<>();
        // Frames 0-49 show A; 50-99 show A and a new B; 100-149 show C and D together.
        FrameDecoder scripted = frame -> {
            long n = frame.sequence();
            List<String> texts = n < 50 ? List.of("A") : n < 100 ? List.of("A", "B") : List.of("C", "D");
            return texts.stream().map(t -> new DecodedCode(t, SQUARE)).toList();
        };
        Scanner scanner = new Scanner(new ScriptedCamera(150, 2), scripted, new RepeatFilter(Duration.ofSeconds(10)), sightings::add);
        scanner.start();
        scanner.awaitEnd();
        scanner.close();
        assertEquals(List.of(List.of("A"), List.of("A", "B"), List.of("C", "D")),
                sightings.stream().map(Sighting::texts).toList());
    }

    @Test
    void aCameraThatFailsIsToldApartFromOneThatRanOut() throws Exception {
        FrameSource broken = new FrameSource() {
            @Override
            public Optional<Frame> next() throws java.io.IOException {
                throw new java.io.IOException("camera delivers 1280x720, camera.width/height say 640x480");
            }

            @Override
            public String describe() {
                return "broken";
            }

            @Override
            public void close() {
            }
        };
        Scanner failing = new Scanner(broken, f -> List.of(), new RepeatFilter(Duration.ofSeconds(1)), s -> { });
        failing.start();
        failing.awaitEnd();
        failing.close();
        assertTrue(failing.sourceFailed());

        Scanner ranOut = new Scanner(new ScriptedCamera(3, 0), f -> List.of(), new RepeatFilter(Duration.ofSeconds(1)), s -> { });
        ranOut.start();
        ranOut.awaitEnd();
        ranOut.close();
        assertTrue(!ranOut.sourceFailed());
    }
}
