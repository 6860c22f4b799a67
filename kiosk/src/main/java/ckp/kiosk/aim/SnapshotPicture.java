package ckp.kiosk.aim;

import ckp.drivers.camera.Frame;
import ckp.kiosk.scan.DecodedCode;
import ckp.kiosk.scan.ScannedFrame;
import ckp.kiosk.scan.UnreadCode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The aiming view's picture: the frame's luma as gray, scaled to between {@link #MIN_WIDTH} and {@link #MAX_WIDTH}
 * pixels wide, each code read outlined in green, each code found but not read in amber, and the size guide (a bar a
 * fifth of the frame wide: a code should be at least that wide), written as a JPEG by {@code javax.imageio}.
 */
final class SnapshotPicture {
    /** The picture is at least this wide, so a small camera frame still shows the outlines clearly. */
    static final int MIN_WIDTH = 320;
    /** And at most this wide: a 4K frame is shrunk, which keeps the JPEG quick to make and to send. */
    static final int MAX_WIDTH = 1280;
    static final Color READ = new Color(0, 220, 0);
    static final Color UNREAD = new Color(255, 176, 0);
    static final Color GUIDE = new Color(0, 160, 255);
    private static final float JPEG_QUALITY = 0.8f;

    private SnapshotPicture() {
    }

    static byte[] jpeg(ScannedFrame scanned) {
        BufferedImage picture = draw(scanned);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(JPEG_QUALITY);
            writer.write(null, new IIOImage(picture, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a JPEG to memory failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** The picture before encoding. */
    static BufferedImage draw(ScannedFrame scanned) {
        Frame frame = scanned.frame();
        double scale = frame.width() < MIN_WIDTH ? MIN_WIDTH / (double) frame.width()
                : frame.width() > MAX_WIDTH ? MAX_WIDTH / (double) frame.width() : 1;
        int w = Math.max(1, (int) Math.round(frame.width() * scale));
        int h = Math.max(1, (int) Math.round(frame.height() * scale));
        BufferedImage gray = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] target = ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < frame.height(); y++) {
            System.arraycopy(frame.luma(), y * frame.stride(), target, y * frame.width(), frame.width());
        }
        BufferedImage picture = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(gray, 0, 0, w, h, null);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            float line = Math.max(4, w / 160f);
            g.setStroke(new BasicStroke(line, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setColor(UNREAD);
            for (UnreadCode u : scanned.unread()) {
                g.draw(outline(u.corners(), scale));
            }
            g.setColor(READ);
            for (DecodedCode c : scanned.codes()) {
                g.draw(outline(c.corners(), scale));
            }
            // The size guide, bottom left: a code narrower than this bar is too far away. No text is drawn: a kiosk
            // may have no fonts installed, and the page explains the bar.
            int guide = (int) Math.round(w * Guidance.MIN_WIDTH_SHARE);
            int margin = Math.max(6, w / 80);
            int y = h - margin - (int) line;
            g.setColor(GUIDE);
            g.fillRect(margin, y, guide, (int) line);
            g.fillRect(margin, y - 3 * (int) line, (int) line, 4 * (int) line);
            g.fillRect(margin + guide - (int) line, y - 3 * (int) line, (int) line, 4 * (int) line);
        } finally {
            g.dispose();
        }
        return picture;
    }

    private static Path2D outline(List<DecodedCode.Point> corners, double scale) {
        Path2D.Double path = new Path2D.Double();
        path.moveTo(corners.get(0).x() * scale, corners.get(0).y() * scale);
        for (int i = 1; i < corners.size(); i++) {
            path.lineTo(corners.get(i).x() * scale, corners.get(i).y() * scale);
        }
        path.closePath();
        return path;
    }
}
