package ckp.drivers.camera;

import ckp.drivers.time.Ticker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * A folder of PNG/JPEG images played as a camera: images in name order, each held in view for {@code holdFrames}
 * frames at {@code fps}, optionally looping. Used by the simulation and by technicians replaying recorded frames.
 *
 * <p>Each image is read once at start (see {@link ImageFile}: larger than 4096 x 4096, unreadable, truncated and
 * non-image files are skipped, each with a warning naming it). The luma planes are kept in memory up to
 * {@value #CACHE_BYTES} bytes together; images past that are read again from their file when they come into view, so
 * a large folder costs time, not heap.
 */
final class ImageFolderSource implements FrameSource {
    private static final TaggedLogger LOG = Logger.tag("camera");
    /** Luma bytes kept decoded; 64 MiB holds a couple of hundred VGA frames or four 4096 x 4096 ones. */
    static final long CACHE_BYTES = 64L << 20;

    private final List<Path> files;
    /** The decoded frame of each file, or null when it is read again on demand. */
    private final Frame[] decoded;
    private final List<String> skipped;
    /** The frame last read on demand, and its index. */
    private Frame onDemand;
    private int onDemandIndex = -1;
    private final long frameIntervalNanos;
    private final int holdFrames;
    private final boolean loop;
    private final String description;
    private long sequence;
    private long nextDueNanos;
    private final Ticker ticker;

    ImageFolderSource(Path dir, double fps, int holdFrames, boolean loop, Ticker ticker) throws IOException {
        this(dir, fps, holdFrames, loop, CACHE_BYTES, ticker);
    }

    /** With the bytes of decoded frames kept in memory chosen: for tests of the read-on-demand path. */
    ImageFolderSource(Path dir, double fps, int holdFrames, boolean loop, long cacheBytes, Ticker ticker)
            throws IOException {
        this.ticker = ticker;
        if (!(fps > 0 && fps <= 1000)) {
            throw new IllegalArgumentException("fps must be in (0, 1000], got " + fps);
        }
        if (holdFrames < 1) {
            throw new IllegalArgumentException("holdFrames must be at least 1, got " + holdFrames);
        }
        List<Path> playable = new ArrayList<>();
        List<Frame> frames = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        long cached = 0;
        for (Path p : imageFiles(dir)) {
            switch (ImageFile.read(p)) {
                case ImageFile.Read.Image image -> {
                    playable.add(p);
                    long bytes = image.frame().luma().length;
                    frames.add(cached + bytes <= cacheBytes ? image.frame() : null);
                    cached += frames.getLast() == null ? 0 : bytes;
                }
                case ImageFile.Read.Refused r -> {
                    LOG.warn("frame image skipped: {}", r.reason());
                    refused.add(r.reason());
                }
            }
        }
        if (playable.isEmpty()) {
            throw new IOException("no playable PNG or JPEG image in " + dir
                    + (refused.isEmpty() ? "" : "; skipped: " + String.join("; ", refused)));
        }
        this.files = List.copyOf(playable);
        this.decoded = frames.toArray(Frame[]::new);
        this.skipped = List.copyOf(refused);
        this.frameIntervalNanos = (long) (1e9 / fps);
        this.holdFrames = holdFrames;
        this.loop = loop;
        this.description = "files:" + dir.getFileName() + " (" + files.size() + " images"
                + (skipped.isEmpty() ? "" : ", " + skipped.size() + " skipped") + ")";
        this.nextDueNanos = ticker.nanos();
    }

    /** Lists the images of a folder in name order; the same order the source plays them in. */
    public static List<Path> imageFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(ImageFolderSource::isImage).sorted().toList();
        }
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
    }

    /** The files skipped at start, each named with the reason, in name order. */
    public List<String> skipped() {
        return skipped;
    }

    /** The frame of image {@code index}: kept, or read again (a file that broke since start repeats the last frame). */
    private Frame image(int index) {
        if (decoded[index] != null) {
            return decoded[index];
        }
        if (index != onDemandIndex) {
            switch (ImageFile.read(files.get(index))) {
                case ImageFile.Read.Image image -> onDemand = image.frame();
                case ImageFile.Read.Refused r -> {
                    LOG.warn("frame image unreadable now: {}", r.reason());
                    if (onDemand == null) {
                        onDemand = new Frame(new byte[16 * 16], 16, 16, 16, 0, 0);
                    }
                }
            }
            onDemandIndex = index;
        }
        return onDemand;
    }

    @Override
    public Optional<Frame> next() throws InterruptedException {
        long total = (long) files.size() * holdFrames;
        if (!loop && sequence >= total) {
            return Optional.empty();
        }
        long waitNanos = nextDueNanos - ticker.nanos();
        if (waitNanos > 0) {
            ticker.sleep(Duration.ofNanos(waitNanos));
            if (Thread.interrupted()) {
                throw new InterruptedException("waiting for the next frame of " + description);
            }
        }
        nextDueNanos = Math.max(nextDueNanos + frameIntervalNanos, ticker.nanos() - frameIntervalNanos);
        Frame image = image((int) ((sequence % total) / holdFrames));
        Frame frame = new Frame(image.luma(), image.width(), image.height(), image.stride(), sequence++,
                ticker.nanos());
        return Optional.of(frame);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public CameraHealth health() {
        return CameraHealth.steady(sequence);
    }

    @Override
    public void close() {
        // Nothing held open: files are read whole when needed.
    }
}
