package ckp.kiosk.scan;

/**
 * A luma plane divided by its local white level (the brightest pixel within a few pixels, averaged over as many), so
 * a cast shadow's dark side and the lit side show the same module contrast. A shadow multiplies the light a code
 * reflects: BoofCV's detector thresholds in 40-pixel blocks and reads the modules against one level taken from the
 * finder patterns, so a shadow edge across a code hides it from BoofCV altogether (0 of 110 shadowed photos); the
 * ratio to the local white level undoes a multiplication whatever its factor, and both detectors read the result.
 */
final class EvenLight {
    /**
     * The window radius, in pixels of the plane, of the white level's maximum and of its mean (taken on 2x2 cells, so
     * half as many cells). Measured with BoofCV on the shadowed photos (seed 11, 110 codes, full-resolution windows):
     * 3 read 53, 4 84, 5 83, 6 75, 10 32, 16 12: the level must follow a penumbra about a module wide, so the window is
     * smaller than a finder pattern and its mean keeps the finder's dark core from turning light.
     */
    static final int RADIUS = 4;
    /** The level a pixel as bright as its white level maps to (below 255: the brightest pixels keep some room). */
    static final int WHITE = 230;
    /**
     * White levels below this are taken as this: a dark flat area (no code, the night outside) is not stretched into
     * noise that costs BoofCV time on countless contours. Measured on the shadowed photos: 1 read 88, 24 91, 40 92.
     */
    static final int MIN_WHITE = 40;

    private EvenLight() {
    }

    /** The plane divided by its white level, light on dark first when {@code inverted}; same size and geometry. */
    static LumaPlane of(LumaPlane plane, boolean inverted) {
        int w = plane.width();
        int h = plane.height();
        byte[] luma = plane.luma();
        int stride = plane.stride();
        // The white level changes slowly: it is found on 2x2 cells (each cell's brightest pixel), a quarter of the work.
        int cw = (w + 1) / 2;
        int ch = (h + 1) / 2;
        int r = Math.max(1, RADIUS / 2);
        int[] peak = new int[cw * ch];
        for (int y = 0; y < h; y++) {
            int s = y * stride;
            int c = (y / 2) * cw;
            for (int x = 0; x < w; x++) {
                int v = light(luma[s + x], inverted);
                if (v > peak[c + x / 2]) {
                    peak[c + x / 2] = v;
                }
            }
        }
        int[] in = new int[Math.max(cw, ch)];
        int[] out = new int[Math.max(cw, ch)];
        for (int y = 0; y < ch; y++) {
            System.arraycopy(peak, y * cw, in, 0, cw);
            LocalPeakBinarizer.slidingMax(in, cw, r, out);
            System.arraycopy(out, 0, peak, y * cw, cw);
        }
        for (int x = 0; x < cw; x++) {
            for (int y = 0; y < ch; y++) {
                in[y] = peak[y * cw + x];
            }
            LocalPeakBinarizer.slidingMax(in, ch, r, out);
            for (int y = 0; y < ch; y++) {
                peak[y * cw + x] = out[y];
            }
        }
        int[] integral = new int[(cw + 1) * (ch + 1)];
        for (int y = 0; y < ch; y++) {
            int rowSum = 0;
            for (int x = 0; x < cw; x++) {
                rowSum += peak[y * cw + x];
                integral[(y + 1) * (cw + 1) + x + 1] = integral[y * (cw + 1) + x + 1] + rowSum;
            }
        }
        // Each cell's factor: WHITE over the mean white level around it, in 1/65536ths.
        int[] factor = new int[cw * ch];
        for (int y = 0; y < ch; y++) {
            int y0 = Math.max(0, y - r);
            int y1 = Math.min(ch, y + r + 1);
            for (int x = 0; x < cw; x++) {
                int x0 = Math.max(0, x - r);
                int x1 = Math.min(cw, x + r + 1);
                int area = (y1 - y0) * (x1 - x0);
                int sum = integral[y1 * (cw + 1) + x1] - integral[y0 * (cw + 1) + x1]
                        - integral[y1 * (cw + 1) + x0] + integral[y0 * (cw + 1) + x0];
                factor[y * cw + x] = (WHITE << 16) / Math.max(MIN_WHITE, sum / area);
            }
        }
        byte[] even = new byte[w * h];
        for (int y = 0; y < h; y++) {
            int s = y * stride;
            int c = (y / 2) * cw;
            for (int x = 0; x < w; x++) {
                int v = light(luma[s + x], inverted);
                even[y * w + x] = (byte) Math.min(255, (v * factor[c + x / 2]) >> 16);
            }
        }
        return new LumaPlane(even, w, h, w, plane.scale(), plane.turned());
    }

    /** A pixel's light, counted from dark: the luma, or its inverse on a dark-mode screen. */
    private static int light(byte luma, boolean inverted) {
        int v = luma & 0xff;
        return inverted ? 255 - v : v;
    }
}
