package ckp.kiosk.scan;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Makes realistic kiosk camera frames with the expected text beside each ({@code N.png}, {@code N.txt}), one folder
 * per condition: a paper pass or a phone screen (light or dark mode) held at a slant and a distance, under blur,
 * sensor noise, glare, screen moiré or low light, at 640x480 and 1280x720, 4032x3024 phone photos, and frames with no code. Deterministic for
 * a seed; run by {@code kiosk/bin/bench-decode --generate}:
 * <pre>java -cp CLASSPATH ckp.kiosk.scan.KioskFrameGenerator OUT_DIR [SEED] [FRAMES_PER_FOLDER]</pre>
 */
public final class KioskFrameGenerator {
    /** The conditions, one folder each. */
    enum Condition { PAPER, PHONE_LIGHT, PHONE_DARK, TILT, BLUR, NOISE, GLARE, MOIRE, LOW_LIGHT, HD_1280X720, PHOTO_4032X3024, NO_CODE }

    private final Random random;

    KioskFrameGenerator(long seed) {
        this.random = new Random(seed);
    }

    public static void main(String[] args) throws IOException, WriterException {
        Path out = Path.of(args[0]);
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        int perFolder = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        KioskFrameGenerator gen = new KioskFrameGenerator(seed);
        for (Condition c : Condition.values()) {
            Path dir = out.resolve(c.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            Files.createDirectories(dir);
            // Phone photos are big to write and rare at a kiosk: a quarter as many.
            int count = c == Condition.PHOTO_4032X3024 ? Math.max(1, perFolder / 4) : perFolder;
            for (int i = 1; i <= count; i++) {
                String text = gen.passText();
                BufferedImage img = gen.frame(c, text);
                ImageIO.write(img, "png", dir.resolve(i + ".png").toFile());
                if (c != Condition.NO_CODE) {
                    Files.writeString(dir.resolve(i + ".txt"), text, StandardCharsets.UTF_8);
                }
            }
        }
    }

    /** A pass-like text: a CKP1 prefix and Base45-alphabet payload, sometimes with a Chinese plate in UTF-8. */
    String passText() {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        StringBuilder sb = new StringBuilder("CKP1:");
        int n = 80 + random.nextInt(140);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        if (random.nextInt(4) == 0) {
            String[] plates = {"京A·12345", "沪B·6789X", "粤C·D1234", "川A·88888"};
            sb.append('|').append(plates[random.nextInt(plates.length)]);
        }
        return sb.toString();
    }

    BufferedImage frame(Condition c, String text) throws WriterException {
        int w = c == Condition.HD_1280X720 ? 1280 : c == Condition.PHOTO_4032X3024 ? 4032 : 640;
        int h = c == Condition.HD_1280X720 ? 720 : c == Condition.PHOTO_4032X3024 ? 3024 : 480;
        float[] px = new float[w * h];
        // Background: a lane scene of smooth gradients.
        float bg0 = 60 + random.nextInt(120);
        float gx = (random.nextFloat() - 0.5f) * 80 / w;
        float gy = (random.nextFloat() - 0.5f) * 80 / h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = bg0 + gx * x + gy * y;
            }
        }
        if (c != Condition.NO_CODE) {
            boolean phone = c == Condition.PHONE_LIGHT || c == Condition.PHONE_DARK || c == Condition.MOIRE
                    || (c != Condition.PAPER && random.nextBoolean());
            boolean dark = c == Condition.PHONE_DARK || (phone && c != Condition.PHONE_LIGHT && random.nextInt(3) == 0);
            // In a phone photo the code is either close (modules 20+ pixels wide) or a small part of a wide shot.
            double smallest = c == Condition.PHOTO_4032X3024 && random.nextBoolean() ? 0.06 : 0.30;
            drawCode(px, w, h, text, phone, dark, c == Condition.TILT ? 0.35 : 0.12, smallest);
        } else if (random.nextBoolean()) {
            // A code-like distraction: a checkerboard sign, which must not read as a code.
            int s = 8 + random.nextInt(10);
            int x0 = random.nextInt(w / 2);
            int y0 = random.nextInt(h / 2);
            for (int y = 0; y < s * 12 && y0 + y < h; y++) {
                for (int x = 0; x < s * 12 && x0 + x < w; x++) {
                    px[(y0 + y) * w + x0 + x] = ((x / s + y / s) & 1) == 0 ? 30 : 220;
                }
            }
        }
        switch (c) {
            case BLUR -> blur(px, w, h, 2 + random.nextInt(2));
            case GLARE -> glare(px, w, h);
            case MOIRE -> moire(px, w, h);
            case LOW_LIGHT -> {
                for (int i = 0; i < px.length; i++) {
                    px[i] = 8 + px[i] * 0.18f;
                }
                noise(px, 5);
            }
            default -> {
            }
        }
        blur(px, w, h, 1);
        noise(px, c == Condition.NOISE ? 14 : 3);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) {
            data[i] = (byte) Math.max(0, Math.min(255, Math.round(px[i])));
        }
        return img;
    }

    /** Draws the code (on paper with a margin, or on a phone screen with a bezel) through a random perspective. */
    private void drawCode(float[] px, int w, int h, String text, boolean phone, boolean dark, double tilt,
            double smallest) throws WriterException {
        BitMatrix m = matrix(text);
        int modules = m.getWidth();
        // The card in its own units: modules plus a quiet zone (4) plus paper or screen edge.
        double quiet = 4;
        double edge = phone ? 3 : 2;
        double side = modules + 2 * (quiet + edge);
        // Size on screen: the code spans 30% to 75% of the frame height (from 6% in a wide phone shot).
        double span = h * (smallest + (0.75 - smallest) * random.nextDouble() * (smallest < 0.3 ? 0.1 : 1));
        double cx = w / 2.0 + (random.nextDouble() - 0.5) * (w - span) * 0.6;
        double cy = h / 2.0 + (random.nextDouble() - 0.5) * (h - span) * 0.6;
        double angle = (random.nextDouble() - 0.5) * Math.PI / 3;
        // Corners of the card in the frame, each jittered for perspective.
        double[][] unit = {{-0.5, -0.5}, {0.5, -0.5}, {0.5, 0.5}, {-0.5, 0.5}};
        double[] dst = new double[8];
        for (int i = 0; i < 4; i++) {
            double ux = unit[i][0] * (1 + (random.nextDouble() - 0.5) * tilt);
            double uy = unit[i][1] * (1 + (random.nextDouble() - 0.5) * tilt);
            dst[2 * i] = cx + span * (ux * Math.cos(angle) - uy * Math.sin(angle));
            dst[2 * i + 1] = cy + span * (ux * Math.sin(angle) + uy * Math.cos(angle));
        }
        double[] hm = homography(new double[] {0, 0, side, 0, side, side, 0, side}, dst);
        double[] inv = invert(hm);
        float paperWhite = phone ? (dark ? 25 : 235) : 200 + random.nextInt(40);
        float ink = phone ? (dark ? 210 : 20) : 25 + random.nextInt(30);
        float bezel = 15;
        int minX = (int) Math.max(0, Math.floor(Math.min(Math.min(dst[0], dst[2]), Math.min(dst[4], dst[6]))));
        int maxX = (int) Math.min(w - 1, Math.ceil(Math.max(Math.max(dst[0], dst[2]), Math.max(dst[4], dst[6]))));
        int minY = (int) Math.max(0, Math.floor(Math.min(Math.min(dst[1], dst[3]), Math.min(dst[5], dst[7]))));
        int maxY = (int) Math.min(h - 1, Math.ceil(Math.max(Math.max(dst[1], dst[3]), Math.max(dst[5], dst[7]))));
        // Supersample 3x3 per pixel so module edges are anti-aliased as a lens would make them.
        for (int y = minY; y <= maxY; y++) {
            for (int x = minX; x <= maxX; x++) {
                float sum = 0;
                int inside = 0;
                for (int sy = 0; sy < 3; sy++) {
                    for (int sx = 0; sx < 3; sx++) {
                        double fx = x + (sx + 0.5) / 3;
                        double fy = y + (sy + 0.5) / 3;
                        double d = inv[6] * fx + inv[7] * fy + inv[8];
                        double u = (inv[0] * fx + inv[1] * fy + inv[2]) / d;
                        double v = (inv[3] * fx + inv[4] * fy + inv[5]) / d;
                        if (u < 0 || v < 0 || u >= side || v >= side) {
                            sum += px[y * w + x];
                            continue;
                        }
                        inside++;
                        double mu = u - edge - quiet;
                        double mv = v - edge - quiet;
                        if (u < edge || v < edge || u >= side - edge || v >= side - edge) {
                            sum += phone ? bezel : paperWhite - 20;
                        } else if (mu >= 0 && mv >= 0 && mu < modules && mv < modules && m.get((int) mu, (int) mv)) {
                            sum += ink;
                        } else {
                            sum += paperWhite;
                        }
                    }
                }
                if (inside > 0) {
                    px[y * w + x] = sum / 9;
                }
            }
        }
    }

    /**
     * The code's modules: UTF-8 bytes in byte mode without an ECI, as most pass printers make them (ZXing's writer
     * adds an ECI whenever it is given a charset, so the bytes go in as ISO-8859-1 characters).
     */
    static BitMatrix matrix(String text) throws WriterException {
        String bytes = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        return new QRCodeWriter().encode(bytes, BarcodeFormat.QR_CODE, 0, 0,
                Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 0));
    }

    private void blur(float[] px, int w, int h, int radius) {
        float[] tmp = new float[px.length];
        int n = 2 * radius + 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int k = -radius; k <= radius; k++) {
                    s += px[y * w + Math.max(0, Math.min(w - 1, x + k))];
                }
                tmp[y * w + x] = s / n;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int k = -radius; k <= radius; k++) {
                    s += tmp[Math.max(0, Math.min(h - 1, y + k)) * w + x];
                }
                px[y * w + x] = s / n;
            }
        }
    }

    private void noise(float[] px, double sigma) {
        for (int i = 0; i < px.length; i++) {
            px[i] += (float) (random.nextGaussian() * sigma);
        }
    }

    /** A bright elliptical reflection with a hot core that washes out part of the code. */
    private void glare(float[] px, int w, int h) {
        double gx = w * (0.3 + 0.4 * random.nextDouble());
        double gy = h * (0.3 + 0.4 * random.nextDouble());
        double r = h * (0.08 + 0.12 * random.nextDouble());
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d2 = ((x - gx) * (x - gx) / 2.0 + (y - gy) * (y - gy)) / (r * r);
                float a = (float) Math.exp(-d2);
                px[y * w + x] = px[y * w + x] * (1 - 0.8f * a) + 255 * 0.8f * a;
            }
        }
    }

    /** Screen moiré: the beat between display pixels and sensor pixels, a slanted fine sinusoid. */
    private void moire(float[] px, int w, int h) {
        double f = 0.3 + 0.3 * random.nextDouble();
        double a = random.nextDouble() * Math.PI;
        double amp = 0.2 + 0.15 * random.nextDouble();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = Math.sin(f * (x * Math.cos(a) + y * Math.sin(a)));
                px[y * w + x] *= (float) (1 - amp + amp * s);
            }
        }
    }

    /** The 3x3 homography (row-major, h[8] = 1) mapping the four src points onto the four dst points. */
    static double[] homography(double[] src, double[] dst) {
        double[][] a = new double[8][9];
        for (int i = 0; i < 4; i++) {
            double x = src[2 * i];
            double y = src[2 * i + 1];
            double u = dst[2 * i];
            double v = dst[2 * i + 1];
            a[2 * i] = new double[] {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
            a[2 * i + 1] = new double[] {0, 0, 0, x, y, 1, -v * x, -v * y, v};
        }
        for (int c = 0; c < 8; c++) {
            int p = c;
            for (int r = c + 1; r < 8; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[p][c])) {
                    p = r;
                }
            }
            double[] t = a[c];
            a[c] = a[p];
            a[p] = t;
            for (int r = 0; r < 8; r++) {
                if (r != c) {
                    double f = a[r][c] / a[c][c];
                    for (int k = c; k < 9; k++) {
                        a[r][k] -= f * a[c][k];
                    }
                }
            }
        }
        double[] hm = new double[9];
        for (int i = 0; i < 8; i++) {
            hm[i] = a[i][8] / a[i][i];
        }
        hm[8] = 1;
        return hm;
    }

    static double[] invert(double[] m) {
        double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
        double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        return new double[] {
            (e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det,
            (f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det,
            (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det};
    }
}
