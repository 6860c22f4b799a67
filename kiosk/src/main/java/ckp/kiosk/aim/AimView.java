package ckp.kiosk.aim;

import ckp.kiosk.scan.ScannedFrame;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * Makes the aiming view's snapshots on its own thread, and only while someone watches: a request marks the view
 * watched for {@link #WATCH_SPAN}; while watched, at most {@link #SNAPSHOTS_PER_SECOND} times a second, the newest
 * decoded frame is measured and, when it is a frame not drawn before, encoded as a JPEG. While nobody watches the
 * thread sleeps and nothing is measured or encoded, so the decoder keeps the cores.
 */
public final class AimView implements AutoCloseable {
    private static final TaggedLogger LOG = Logger.tag("aim");
    /** A viewer counts as watching for this long after its last request (the page asks several times a second). */
    static final Duration WATCH_SPAN = Duration.ofSeconds(5);
    static final int SNAPSHOTS_PER_SECOND = 4;
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final long PERIOD_NANOS = 1_000_000_000L / SNAPSHOTS_PER_SECOND;

    /** One snapshot: the status, and the picture when a frame had been decoded. */
    record Snapshot(long generation, long madeNanos, Optional<byte[]> jpeg, AimStatus status) { }

    private final AimSources sources;
    private final Supplier<Instant> clock;
    private final Object lock = new Object();
    private final AtomicLong picturesMade = new AtomicLong();
    private final AtomicLong pictureCpuNanos = new AtomicLong();
    private volatile Snapshot latest;
    private volatile long lastRequestNanos;
    private volatile boolean everRequested;
    private volatile boolean running = true;
    private Thread thread;
    // Touched only by the snapshot thread.
    private ScannedFrame drawn;
    private byte[] drawnJpeg;
    private FrameQuality drawnQuality;
    private List<Guidance> drawnGuidance;
    private long generation;
    private long fpsBaseNanos;
    private long fpsBaseCount;
    private OptionalDouble fps = OptionalDouble.empty();

    public AimView(AimSources sources, Supplier<Instant> clock) {
        this.sources = sources;
        this.clock = clock;
    }

    public void start() {
        thread = Thread.ofPlatform().name("aim-snapshot").daemon().start(this::run);
    }

    private boolean watched(long now) {
        return everRequested && now - lastRequestNanos < WATCH_SPAN.toNanos();
    }

    private void run() {
        try {
            while (running) {
                synchronized (lock) {
                    while (running && !watched(System.nanoTime())) {
                        lock.wait(1000);
                    }
                }
                if (!running) {
                    break;
                }
                long t0 = System.nanoTime();
                try {
                    snapshot(t0);
                } catch (RuntimeException e) {
                    LOG.error(e, "aiming view snapshot failed");
                }
                long wait = PERIOD_NANOS - (System.nanoTime() - t0);
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void snapshot(long now) {
        long count = sources.framesDecoded().getAsLong();
        if (fpsBaseNanos == 0 || now - fpsBaseNanos > 3 * WATCH_SPAN.toNanos()) {
            // First look after a rest: the count since then says nothing about now.
            fpsBaseNanos = now;
            fpsBaseCount = count;
            fps = OptionalDouble.empty();
        } else if (now - fpsBaseNanos >= 1_000_000_000L) {
            fps = OptionalDouble.of((count - fpsBaseCount) * 1e9 / (now - fpsBaseNanos));
            fpsBaseNanos = now;
            fpsBaseCount = count;
        }
        Optional<ScannedFrame> newest = sources.newestFrame().get();
        if (newest.isPresent() && newest.get() != drawn) {
            ScannedFrame f = newest.get();
            long cpu0 = CPU.getCurrentThreadCpuTime();
            drawnQuality = FrameQuality.of(f.frame(), Guidance.outlines(f));
            drawnGuidance = Guidance.of(f, drawnQuality);
            drawnJpeg = SnapshotPicture.jpeg(f);
            drawn = f;
            picturesMade.incrementAndGet();
            pictureCpuNanos.addAndGet(CPU.getCurrentThreadCpuTime() - cpu0);
        }
        long age = newest.map(f -> Math.max(0, (System.nanoTime() - f.frame().monotonicNanos()) / 1_000_000)).orElse(0L);
        AimStatus status = new AimStatus(clock.get(), newest, age, Optional.ofNullable(drawnQuality).filter(q -> newest.isPresent()),
                newest.isPresent() ? drawnGuidance : List.of(Guidance.NO_CODE), fps, count,
                sources.thermometerHealth().get(), sources.thermometerSample().get(), sources.laneState().get());
        synchronized (lock) {
            latest = new Snapshot(++generation, now, newest.map(f -> drawnJpeg), status);
            lock.notifyAll();
        }
    }

    /**
     * The newest snapshot for a request: marks the view watched, and when the last snapshot is older than two
     * periods (nobody was watching), waits up to {@code wait} for a fresh one.
     */
    Optional<Snapshot> forRequest(Duration wait) throws InterruptedException {
        long now = System.nanoTime();
        synchronized (lock) {
            lastRequestNanos = now;
            everRequested = true;
            lock.notifyAll();
            long deadline = now + wait.toNanos();
            while (running && (latest == null || now - latest.madeNanos() > 2 * PERIOD_NANOS)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Snapshot before = latest;
                lock.wait(Math.max(1, left / 1_000_000));
                if (latest != before && latest != null) {
                    break;
                }
            }
            return Optional.ofNullable(latest);
        }
    }

    /** CPU time the snapshot thread spent measuring and encoding pictures, for the benchmark. */
    public long pictureCpuNanos() {
        return pictureCpuNanos.get();
    }

    /** Pictures encoded since start: stays put while nobody watches. */
    public long picturesMade() {
        return picturesMade.get();
    }

    @Override
    public void close() {
        running = false;
        synchronized (lock) {
            lock.notifyAll();
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
