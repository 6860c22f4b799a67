package ckp.drivers.camera;

import java.awt.image.BufferedImage;

/** Converts decoded images to a luma plane with the BT.601 weights cameras use for their Y plane. */
public final class Luma {
    private Luma() {
    }

    /** The image's luma as a frame; transparent pixels count as white, as a code on a page would show. */
    public static Frame of(BufferedImage img, long sequence, long monotonicNanos) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] y = new byte[w * h];
        if (img.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY
                && !img.getColorModel().hasAlpha() && img.getRaster().getNumBands() == 1) {
            // A grey PNG's samples are the luma already; getRGB would put them through a linear-to-sRGB curve that
            // lifts dark greys (20 becomes about 80) and flattens a dark-mode screen's contrast.
            int shift = img.getColorModel().getComponentSize(0) - 8;
            int[] row = new int[w];
            for (int r = 0; r < h; r++) {
                img.getRaster().getSamples(0, r, w, 1, 0, row);
                for (int c = 0; c < w; c++) {
                    y[r * w + c] = (byte) (shift >= 0 ? row[c] >> shift : row[c] << -shift);
                }
            }
            return new Frame(y, w, h, w, sequence, monotonicNanos);
        }
        int[] row = new int[w];
        for (int r = 0; r < h; r++) {
            img.getRGB(0, r, w, 1, row, 0, w);
            for (int c = 0; c < w; c++) {
                int argb = row[c];
                int a = argb >>> 24;
                int red = (argb >> 16) & 0xff;
                int green = (argb >> 8) & 0xff;
                int blue = argb & 0xff;
                int luma = (299 * red + 587 * green + 114 * blue + 500) / 1000;
                y[r * w + c] = (byte) ((luma * a + 255 * (255 - a)) / 255);
            }
        }
        return new Frame(y, w, h, w, sequence, monotonicNanos);
    }
}
