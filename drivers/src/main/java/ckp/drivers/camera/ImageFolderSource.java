package ckp.drivers.camera;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A folder of PNG/JPEG images played as a camera: images in name order, each held in view for {@code holdFrames}
 * frames at {@code fps}, optionally looping. Used by the simulation and by technicians replaying recorded frames.
 */
public final class ImageFolderSource implements FrameSource {
    private final List<Frame> images;
    private final long frameIntervalNanos;
    private final int holdFrames;
    private final boolean loop;
    private final String description;
    private long sequence;
    private long nextDueNanos;

    public ImageFolderSource(Path dir, double fps, int holdFrames, boolean loop) throws IOException {
        if (!(fps > 0 && fps <= 1000)) {
            throw new IllegalArgumentException("fps must be in (0, 1000], got " + fps);
        }
        if (holdFrames < 1) {
            throw new IllegalArgumentException("holdFrames must be at least 1, got " + holdFrames);
        }
        this.images = loadAll(dir);
        if (images.isEmpty()) {
            throw new IOException("no PNG or JPEG images in " + dir);
        }
        this.frameIntervalNanos = (long) (1e9 / fps);
        this.holdFrames = holdFrames;
        this.loop = loop;
        this.description = "files:" + dir.getFileName() + " (" + images.size() + " images)";
        this.nextDueNanos = System.nanoTime();
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

    private static List<Frame> loadAll(Path dir) throws IOException {
        List<Frame> out = new ArrayList<>();
        for (Path p : imageFiles(dir)) {
            BufferedImage img = ImageIO.read(p.toFile());
            if (img == null) {
                throw new IOException("not a readable PNG/JPEG image: " + p);
            }
            out.add(Luma.of(img, 0, 0));
        }
        return out;
    }

    @Override
    public Optional<Frame> next() throws InterruptedException {
        long total = (long) images.size() * holdFrames;
        if (!loop && sequence >= total) {
            return Optional.empty();
        }
        long waitNanos = nextDueNanos - System.nanoTime();
        if (waitNanos > 0) {
            Thread.sleep(Duration.ofNanos(waitNanos));
        }
        nextDueNanos = Math.max(nextDueNanos + frameIntervalNanos, System.nanoTime() - frameIntervalNanos);
        Frame image = images.get((int) ((sequence % total) / holdFrames));
        Frame frame = new Frame(image.luma(), image.width(), image.height(), image.stride(), sequence++,
                System.nanoTime());
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
        // Nothing held open: the images were read into memory at start.
    }
}
