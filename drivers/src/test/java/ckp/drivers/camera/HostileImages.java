package ckp.drivers.camera;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;

/** Image files a hostile tester drops into a frames folder, made by the tests themselves. */
public final class HostileImages {
    private HostileImages() {
    }

    /**
     * A valid PNG of {@code width} x {@code height} one-bit grey pixels, all black: a few hundred kilobytes on disk for
     * 20000 x 20000, which a decoder turns into hundreds of megabytes.
     */
    public static Path hugePng(Path file, int width, int height) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 1).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", ihdr.array());
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9))) {
            byte[] row = new byte[1 + (width + 7) / 8]; // filter byte 0, then zero bits
            for (int r = 0; r < height; r++) {
                z.write(row);
            }
        }
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return Files.write(file, png.toByteArray());
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A real PNG cut off half way through. */
    public static Path truncatedPng(Path file) throws IOException {
        byte[] whole = Files.readAllBytes(grayPng(file, 64, 64, 7));
        return Files.write(file, Arrays.copyOf(whole, whole.length / 2));
    }

    /** A text file named like an image. */
    public static Path notAnImage(Path file) throws IOException {
        return Files.writeString(file, "this is not a picture\n");
    }

    /** A small grey PNG with a seeded pattern. */
    public static Path grayPng(Path file, int width, int height, int seed) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.getRaster().setSample(x, y, 0, (x * 7 + y * 13 + seed * 31) & 0xff);
            }
        }
        ImageIO.write(img, "png", file.toFile());
        return file;
    }
}
