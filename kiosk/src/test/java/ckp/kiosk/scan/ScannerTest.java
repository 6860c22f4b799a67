package ckp.kiosk.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.drivers.camera.Frame;
import ckp.drivers.camera.FrameSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ScannerTest {

    /**
     * A camera of {@code count} tiny frames that hands over the next frame only once the decoder has finished the
     * last one (or when {@code paced} is false, as fast as asked): no frame is dropped whatever the machine's speed.
     */
    private static final class ScriptedCamera implements FrameSource {
        private final int count;
        private final Semaphore decoded = new Semaphore(0);
        private final boolean paced;
        private int next;

        ScriptedCamera(int count, boolean paced) {
            this.count = count;
            this.paced = paced;
        }

        /** Wraps a decoder so that each finished decode lets the camera deliver the next frame. */
        FrameDecoder pacing(FrameDecoder decoder) {
            return frame -> {
                try {
                    return decoder.decode(frame);
                } finally {
                    decoded.release();
                }
            };
        }

        @Override
        public Optional<Frame> next() throws InterruptedException {
            if (paced && next > 0 && !decoded.tryAcquire(60, TimeUnit.SECONDS)) {
                throw new AssertionError("frame " + (next - 1) + " was not decoded within 60 s");
            }
            if (next >= count) {
                return Optional.empty();
            }
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

    private static Frame frame(long sequence) {
        return new Frame(new byte[16], 4, 4, 4, sequence, System.nanoTime());
    }

    @Test
    void whenDecodingFallsBehindOldFramesAreDroppedNotQueued() throws Exception {
        // The decoder holds frame 0 while the camera delivers frames 1-1000 into the one-frame slot: each overwrites
        // the one before it, so 999 are dropped and frame 1000 is decoded next. Latches, not timing, decide this.
        int burst = 1_000;
        CountDownLatch decodingFirst = new CountDownLatch(1);
        CountDownLatch burstDelivered = new CountDownLatch(1);
        List<Long> decoded = new CopyOnWriteArrayList<>();
        FrameDecoder held = frame -> {
            decoded.add(frame.sequence());
            if (frame.sequence() == 0) {
                decodingFirst.countDown();
                await(burstDelivered);
            }
            return List.of();
        };
        FrameSource camera = new FrameSource() {
            private long next;

            @Override
            public Optional<Frame> next() throws InterruptedException {
                if (next == 1) {
                    await(decodingFirst); // frame 0 is in the decoder's hands, not in the slot
                }
                if (next > burst) {
                    // Asked for more, so frame 1000 is in the slot: the burst is over.
                    burstDelivered.countDown();
                    return Optional.empty();
                }
                return Optional.of(frame(next++));
            }

            @Override
            public String describe() {
                return "burst";
            }

            @Override
            public void close() {
            }
        };
        Scanner scanner = new Scanner(camera, held, new RepeatFilter(Duration.ofSeconds(10)), s -> { });
        scanner.start();
        scanner.awaitEnd();
        scanner.close();
        assertEquals(burst + 1, scanner.framesRead());
        assertEquals(List.of(0L, (long) burst), decoded, "the one being decoded, then the newest; none queued between");
        assertEquals(2, scanner.framesDecoded());
        assertEquals(burst - 1, scanner.framesDropped(), "every frame overwritten in the slot is counted as dropped");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the other thread did not get there within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Corners of a code somewhere in the frame, for scripted decoders. */
    static final List<DecodedCode.Point> SQUARE = List.of(new DecodedCode.Point(10, 10), new DecodedCode.Point(110, 10),
            new DecodedCode.Point(110, 110), new DecodedCode.Point(10, 110));

    @Test
    void aCodeHeldUpForManyFramesIsOneSightingAndANewCodeIsANewOne() throws Exception {
        List<Sighting> sightings = new CopyOnWriteArrayList<>();
        FrameDecoder scripted = frame -> List.of(new DecodedCode(frame.sequence() < 50 ? "A" : "B", SQUARE));
        ScriptedCamera camera = new ScriptedCamera(100, true);
        Scanner scanner = new Scanner(camera, camera.pacing(scripted), new RepeatFilter(Duration.ofSeconds(10)), sightings::add);
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
        ScriptedCamera camera = new ScriptedCamera(150, true);
        Scanner scanner = new Scanner(camera, camera.pacing(scripted), new RepeatFilter(Duration.ofSeconds(10)), sightings::add);
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

        Scanner ranOut = new Scanner(new ScriptedCamera(3, false), f -> List.of(), new RepeatFilter(Duration.ofSeconds(1)), s -> { });
        ranOut.start();
        ranOut.awaitEnd();
        ranOut.close();
        assertTrue(!ranOut.sourceFailed());
    }
}
