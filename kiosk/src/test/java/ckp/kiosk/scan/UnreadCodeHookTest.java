package ckp.kiosk.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.drivers.camera.Frame;
import ckp.kiosk.fixtures.QrFrames;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decoder's read-only hook for the aiming view: codes found but not read, with their outlines. */
class UnreadCodeHookTest {

    static Frame frame(BufferedImage image) {
        byte[] luma = new byte[image.getWidth() * image.getHeight()];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                luma[y * image.getWidth() + x] = (byte) (image.getRGB(x, y) & 0xff);
            }
        }
        return new Frame(luma, image.getWidth(), image.getHeight(), image.getWidth(), 0, System.nanoTime());
    }

    /** A code whose finder patterns are intact and whose data modules are painted over: found, never read. */
    static BufferedImage damagedCode() {
        BufferedImage img = QrFrames.render("https://example.org/a-code-with-enough-data-to-fill-modules", 640, 480);
        // The code spans the middle 360x360 pixels; blank a band right of the finders down the middle.
        for (int y = 200; y < 330; y++) {
            for (int x = 300; x < 420; x++) {
                img.setRGB(x, y, ((x / 7 + y / 5) % 3 == 0) ? 0x202020 : 0xF0F0F0);
            }
        }
        return img;
    }

    @Test
    void aCodeFoundButNotReadIsReportedWithFourCornersAroundIt() {
        QrDecoder decoder = new QrDecoder();
        List<DecodedCode> read = decoder.decode(frame(damagedCode()));
        assertEquals(List.of(), read, "the damaged code does not read");
        List<UnreadCode> unread = decoder.lastUnread();
        assertTrue(!unread.isEmpty(), "the decoder reports the code it found and could not read");
        DecodedCode.Point c = unread.get(0).centre();
        assertTrue(c.x() > 220 && c.x() < 420 && c.y() > 140 && c.y() < 340, "the outline is around the code: " + unread);
    }

    @Test
    void aCodeReadIsNotReportedAsUnread() {
        QrDecoder decoder = new QrDecoder();
        List<DecodedCode> read = decoder.decode(frame(QrFrames.render("CKP1:NOT-A-REAL-PASS", 640, 480)));
        assertEquals(1, read.size());
        assertEquals(List.of(), decoder.lastUnread());
    }
}
