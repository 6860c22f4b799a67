package ckp.drivers.camera;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * One PNG or JPEG file read as a frame, its size read from the header first: a 20000 x 20000 PNG is a few hundred
 * kilobytes on disk and close to a gigabyte decoded, so anything larger than {@value #MAX_WIDTH} x
 * {@value #MAX_HEIGHT} pixels is refused before a pixel is decoded (a 12-megapixel phone photo, 4032 x 3024, fits).
 */
public final class ImageFile {
    /** Widest image read; the documented limit (docs/configuration.md, camera.files.dir; the decode command). */
    public static final int MAX_WIDTH = 4096;
    /** Tallest image read. */
    public static final int MAX_HEIGHT = 4096;

    private ImageFile() {
    }

    /** What reading a file gave: its frame, or why it was refused (the file named). */
    public sealed interface Read {
        record Image(Frame frame) implements Read {
            public Image {
                Objects.requireNonNull(frame);
            }
        }

        record Refused(Path file, String reason) implements Read {
            public Refused {
                Objects.requireNonNull(file);
                Objects.requireNonNull(reason);
            }
        }
    }

    /** Reads {@code file}: the header (size checked against the limit), then the pixels, then the luma plane. */
    public static Read read(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return new Read.Refused(file, file + ": cannot be opened");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return new Read.Refused(file, file + ": not a PNG or JPEG image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width > MAX_WIDTH || height > MAX_HEIGHT || width < 1 || height < 1) {
                    return new Read.Refused(file, file + ": " + width + "x" + height + " pixels; images up to "
                            + MAX_WIDTH + "x" + MAX_HEIGHT + " are read");
                }
                BufferedImage img = reader.read(0);
                return new Read.Image(Luma.of(img, 0, 0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // ImageIO reports a cut-off or corrupt file as IIOException, and some readers as unchecked exceptions.
            return new Read.Refused(file, file + ": not a readable PNG or JPEG image (" + e.getMessage() + ")");
        }
    }
}
