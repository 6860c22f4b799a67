package ckp.drivers.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class LumaTest {
    private static BufferedImage throughPng(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
    }

    @Test
    void aGreyPngKeepsItsSampleValuesRatherThanTheSrgbCurvesLiftedOnes() throws IOException {
        BufferedImage grey = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 20);
        grey.getRaster().setSample(1, 0, 0, 128);
        grey.getRaster().setSample(2, 0, 0, 235);
        Frame f = Luma.of(throughPng(grey), 0, 0);
        assertEquals(20, f.luma()[0] & 0xff);
        assertEquals(128, f.luma()[1] & 0xff);
        assertEquals(235, f.luma()[2] & 0xff);
    }

    @Test
    void aSixteenBitGreyPngKeepsItsHighByte() throws IOException {
        BufferedImage grey = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey.getRaster().setSample(0, 0, 0, 20 * 257);
        assertEquals(20, Luma.of(throughPng(grey), 0, 0).luma()[0] & 0xff);
    }

    @Test
    void colourPixelsUseTheBt601Weights() {
        BufferedImage rgb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0xff0000);
        assertEquals(76, Luma.of(rgb, 0, 0).luma()[0] & 0xff);
    }
}
