package ckp.kiosk.scan;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Makes synthetic kiosk camera frames through a physical camera model, in folders by difficulty tier and resolution,
 * with the expected text beside each image ({@code N.png} or {@code N.jpg} with {@code N.txt}; frames with no
 * readable code have no {@code .txt}, as {@code ../shared/bench/qr-peers.py} and {@code DecodeBenchmark} expect) and
 * the frame's conditions in {@code N.conditions.txt}.
 *
 * <p>A paper pass (flat or curved on a cylinder) or a phone screen (light or dark mode, with its subpixel grid) is
 * placed in 3D before a pinhole camera with slight barrel distortion and ray-cast per sub-pixel; lighting, shadows and
 * specular glare lobes are computed from the surface normal; then the lens (defocus disc, motion line, base blur), a
 * Bayer sensor under auto-exposure (shot noise, read noise, gain, clipping), bilinear demosaicing, sRGB gamma and, for
 * some frames, JPEG at quality 60. Deterministic for a seed: each frame draws from its own seeded stream and uses
 * StrictMath, so a seed gives byte-identical files. Run by {@code kiosk/bin/bench-decode --generate}:
 * <pre>java -cp CLASSPATH ckp.kiosk.scan.KioskFrameGenerator OUT_DIR [SEED] [FRAMES_PER_FOLDER] [curved]</pre>
 * With {@code curved}, every code is printed on paper bent on a cylinder, with the hard tier's arcs (17-57 degrees
 * over the code) in every tier, to measure the reading of bent codes apart from the other conditions.
 */
public final class KioskFrameGenerator {
    /** How hard a folder's conditions are; the parameters were calibrated against zxing-cpp (docs/performance.md). */
    enum Tier {
        //   module px   min px  tilt deg   curve      defocus   motion     glare: p, radius mod, peak      low light: p, ambient  shadow    jpeg  edge: p, margin mod
        EASY(3.2, 6.0, 2.6, 0, 25, 0.20, 0.15, 0.30, 0.25, 0.25, 0.30, 0.20, 1, 3, 0.3, 1.2, 0.15, 0.15, 0.5, 0.25, 0.40, 0.30, 0.15, 2.0),
        MEDIUM(3.0, 5.0, 2.3, 5, 40, 0.20, 0.30, 0.35, 0.40, 0.35, 0.70, 0.35, 2, 5, 0.8, 2.5, 0.30, 0.04, 0.3, 0.35, 0.55, 0.45, 0.25, 1.0),
        HARD(2.5, 4.2, 2.0, 20, 55, 0.30, 1.00, 0.35, 0.60, 0.35, 1.50, 0.40, 3, 8, 1.5, 6.0, 0.30, 0.01, 0.1, 0.40, 0.75, 0.50, 0.30, 0.5);

        final double modulePxMin, modulePxMax, minFootprintPx, tiltMinDeg, tiltMaxDeg, pCurve, arcMaxRad;
        final double pDefocus, defocusMaxModules, pMotion, motionMaxModules;
        final double pGlare, glareRadiusMinModules, glareRadiusMaxModules, glarePeakMin, glarePeakMax;
        final double pLowLight, ambientMin, ambientMax, pShadow, shadowDepthMax, pJpeg, pEdge, edgeMarginModules;

        Tier(double modulePxMin, double modulePxMax, double minFootprintPx, double tiltMinDeg, double tiltMaxDeg,
                double pCurve, double arcMaxRad, double pDefocus, double defocusMaxModules, double pMotion,
                double motionMaxModules, double pGlare, double glareRadiusMinModules, double glareRadiusMaxModules,
                double glarePeakMin, double glarePeakMax, double pLowLight, double ambientMin, double ambientMax,
                double pShadow, double shadowDepthMax, double pJpeg, double pEdge, double edgeMarginModules) {
            this.modulePxMin = modulePxMin;
            this.modulePxMax = modulePxMax;
            this.minFootprintPx = minFootprintPx;
            this.tiltMinDeg = tiltMinDeg;
            this.tiltMaxDeg = tiltMaxDeg;
            this.pCurve = pCurve;
            this.arcMaxRad = arcMaxRad;
            this.pDefocus = pDefocus;
            this.defocusMaxModules = defocusMaxModules;
            this.pMotion = pMotion;
            this.motionMaxModules = motionMaxModules;
            this.pGlare = pGlare;
            this.glareRadiusMinModules = glareRadiusMinModules;
            this.glareRadiusMaxModules = glareRadiusMaxModules;
            this.glarePeakMin = glarePeakMin;
            this.glarePeakMax = glarePeakMax;
            this.pLowLight = pLowLight;
            this.ambientMin = ambientMin;
            this.ambientMax = ambientMax;
            this.pShadow = pShadow;
            this.shadowDepthMax = shadowDepthMax;
            this.pJpeg = pJpeg;
            this.pEdge = pEdge;
            this.edgeMarginModules = edgeMarginModules;
        }
    }

    /** What a folder's frames hold: one readable code each, none (clutter and cut-off codes), or several codes. */
    enum Kind { CODE, EMPTY, MULTI }

    /** One output folder. */
    record Folder(String name, int width, int height, Tier tier, Kind kind) {
    }

    /** The folders in the order they are made; tiers at both resolutions the team measures. */
    static final List<Folder> FOLDERS = List.of(
            new Folder("easy-640x480", 640, 480, Tier.EASY, Kind.CODE),
            new Folder("medium-640x480", 640, 480, Tier.MEDIUM, Kind.CODE),
            new Folder("hard-640x480", 640, 480, Tier.HARD, Kind.CODE),
            new Folder("empty-640x480", 640, 480, Tier.MEDIUM, Kind.EMPTY),
            new Folder("easy-1280x720", 1280, 720, Tier.EASY, Kind.CODE),
            new Folder("medium-1280x720", 1280, 720, Tier.MEDIUM, Kind.CODE),
            new Folder("hard-1280x720", 1280, 720, Tier.HARD, Kind.CODE),
            new Folder("empty-1280x720", 1280, 720, Tier.MEDIUM, Kind.EMPTY),
            new Folder("multi-1280x720", 1280, 720, Tier.EASY, Kind.MULTI));

    /** One made frame: the 8-bit luma image, whether it is stored as JPEG, the texts of its codes and its conditions. */
    record Shot(BufferedImage image, boolean jpeg, Optional<String> expected, List<String> texts, String conditions) {
    }

    /** Whether every code is paper bent on a cylinder (the {@code curved} argument); false for the regular sets. */
    static boolean allCurved;

    public static void main(String[] args) throws IOException, WriterException {
        Path out = Path.of(args[0]);
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        int perFolder = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        allCurved = args.length > 3 && args[3].equals("curved");
        for (int f = 0; f < FOLDERS.size(); f++) {
            Folder folder = FOLDERS.get(f);
            Path dir = out.resolve(folder.name());
            Files.createDirectories(dir);
            // Frames with several codes take a folder of their own (the .txt format holds one text): a quarter as many.
            int count = folder.kind() == Kind.MULTI ? Math.max(1, perFolder / 4) : perFolder;
            for (int i = 1; i <= count; i++) {
                Shot shot = shot(folder, frameSeed(seed, f, i));
                write(shot, dir, Integer.toString(i));
            }
        }
    }

    /** Writes {@code NAME.png} or {@code NAME.jpg}, {@code NAME.txt} when a code must be read, and the conditions. */
    static void write(Shot shot, Path dir, String name) throws IOException {
        Files.write(dir.resolve(name + (shot.jpeg() ? ".jpg" : ".png")), encode(shot));
        if (shot.expected().isPresent()) {
            Files.writeString(dir.resolve(name + ".txt"), shot.expected().get(), StandardCharsets.UTF_8);
        }
        StringBuilder cond = new StringBuilder(shot.conditions()).append('\n');
        if (shot.texts().size() > 1) {
            // Every code in a multi-code frame, one a line; N.txt holds the pass, the one a lane must read.
            cond.append("codes:\n");
            shot.texts().forEach(t -> cond.append(t).append('\n'));
        }
        Files.writeString(dir.resolve(name + ".conditions.txt"), cond, StandardCharsets.UTF_8);
    }

    /** The file bytes: PNG, or baseline JPEG at quality 0.60 as a camera's or a messenger's encoder makes it. */
    static byte[] encode(Shot shot) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!shot.jpeg()) {
            ImageIO.write(shot.image(), "png", bytes);
            return bytes.toByteArray();
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.60f);
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(shot.image(), null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** A frame's own seed, so a frame does not change when other folders or counts do. */
    static long frameSeed(long seed, int folder, int index) {
        long z = seed * 0x9E3779B97F4A7C15L + folder * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Payloads

    private static final String BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

    /** A realistic payload: a CKP1 pass (sometimes with a plate in UTF-8), a long HC1-like certificate or a URL. */
    static String payload(Random r, boolean passOnly) {
        int kind = passOnly ? (r.nextInt(5) == 0 ? 1 : 0) : r.nextInt(3);
        if (kind == 2) {
            String[] hosts = {"https://pass.example.org/v/", "https://checkpoint.example.gov.cn/p?id=",
                    "http://example.com/lane/", "https://verify.example.net/c/"};
            StringBuilder sb = new StringBuilder(hosts[r.nextInt(hosts.length)]);
            String b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            int n = 12 + r.nextInt(60);
            for (int i = 0; i < n; i++) {
                sb.append(b64.charAt(r.nextInt(b64.length())));
            }
            return sb.toString();
        }
        StringBuilder sb = new StringBuilder(kind == 1 ? "HC1:" : "CKP1:");
        int n = kind == 1 ? 240 + r.nextInt(200) : 100 + r.nextInt(200);
        for (int i = 0; i < n; i++) {
            sb.append(BASE45.charAt(r.nextInt(BASE45.length())));
        }
        if (kind == 0 && r.nextInt(4) == 0) {
            String[] plates = {"京A·12345", "沪B·6789X", "粤C·D1234", "川A·88888"};
            sb.append('|').append(plates[r.nextInt(plates.length)]);
        }
        return sb.toString();
    }

    static ErrorCorrectionLevel ecLevel(Random r) {
        int p = r.nextInt(100);
        return p < 15 ? ErrorCorrectionLevel.L : p < 60 ? ErrorCorrectionLevel.M : p < 85 ? ErrorCorrectionLevel.Q
                : ErrorCorrectionLevel.H;
    }

    /**
     * The code's modules: UTF-8 bytes in byte mode without an ECI, as most pass printers make them (ZXing's writer
     * adds an ECI whenever it is given a charset, so the bytes go in as ISO-8859-1 characters).
     */
    static BitMatrix matrix(String text, ErrorCorrectionLevel ec) throws WriterException {
        String bytes = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        return new QRCodeWriter().encode(bytes, BarcodeFormat.QR_CODE, 0, 0,
                Map.of(EncodeHintType.ERROR_CORRECTION, ec, EncodeHintType.MARGIN, 0));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The camera

    /** A pinhole camera with radial distortion: pixel (x, y) looks along (xn, yn, 1) in camera coordinates (y down). */
    record Camera(int width, int height, double focalPx, double k1) {
        double cx() {
            return width / 2.0;
        }

        double cy() {
            return height / 2.0;
        }

        /** The ray direction's x and y (z = 1) through a point of the sensor. */
        void ray(double x, double y, double[] d) {
            double xn = (x - cx()) / focalPx;
            double yn = (y - cy()) / focalPx;
            double s = 1 + k1 * (xn * xn + yn * yn);
            d[0] = xn * s;
            d[1] = yn * s;
            d[2] = 1;
        }

        /** The pixel a camera-frame point projects to (inverting the distortion by fixed-point iteration). */
        void project(double[] p, double[] px) {
            double xu = p[0] / p[2];
            double yu = p[1] / p[2];
            double xn = xu;
            double yn = yu;
            for (int i = 0; i < 6; i++) {
                double s = 1 + k1 * (xn * xn + yn * yn);
                xn = xu / s;
                yn = yu / s;
            }
            px[0] = cx() + xn * focalPx;
            px[1] = cy() + yn * focalPx;
        }
    }

    /** A specular reflection of a light source: a lobe around the mirror direction, wider along one tangent axis. */
    record Glare(double[] light, double peak, double sigmaRad, double aspect, double axisRad) {
    }

    /**
     * A card in the scene: paper (flat or bent on a cylinder whose axis runs along v) or a phone, with the code and
     * its surroundings, its pose (card to camera: rotation and translation of the card's centre) and its lighting.
     * Card coordinates are millimetres, u right and v down on the card's face; u is arc length on a bent card.
     */
    static final class Card {
        double[] rot = new double[9];
        double[] pos = new double[3];
        /** Signed distance of the cylinder's axis behind the card (positive: the card bulges towards the camera); 0: flat. */
        double axis;
        double halfW;
        double halfH;
        BitMatrix code;
        double moduleMm;
        double codeU0;
        double codeV0;
        boolean phone;
        boolean dark;
        double white;
        double ink;
        double screenHalfW;
        double screenHalfH;
        double pitchMm;
        double blackLevel;
        double textTop;
        double textGlyphMm;
        long textBits;
        double ambient = 1;
        double[] lightDir = {0, -0.5, -1};
        double shadowNu;
        double shadowNv;
        double shadowD = Double.NaN;
        double shadowSoftMm = 5;
        double shadowDepth;
        double gradU;
        double gradV;
        List<Glare> glares = new ArrayList<>();

        /** The card-frame point of card coordinates (u, v). */
        void surface(double u, double v, double[] q) {
            if (axis == 0) {
                q[0] = u;
                q[1] = v;
                q[2] = 0;
            } else {
                double rc = Math.abs(axis);
                double th = u / rc;
                q[0] = rc * StrictMath.sin(th);
                q[1] = v;
                q[2] = axis * (1 - StrictMath.cos(th));
            }
        }

        /** The camera-frame point of card coordinates (u, v). */
        void toCamera(double u, double v, double[] p) {
            double[] q = new double[3];
            surface(u, v, q);
            for (int i = 0; i < 3; i++) {
                p[i] = rot[3 * i] * q[0] + rot[3 * i + 1] * q[1] + rot[3 * i + 2] * q[2] + pos[i];
            }
        }

        /** The front normal in the camera frame at card coordinates (u, v). */
        void normal(double u, double v, double[] n) {
            double nx = 0;
            double nz = -1;
            if (axis != 0) {
                double th = u / Math.abs(axis);
                nx = Math.signum(axis) * StrictMath.sin(th);
                nz = -StrictMath.cos(th);
            }
            for (int i = 0; i < 3; i++) {
                n[i] = rot[3 * i] * nx + rot[3 * i + 2] * nz;
            }
        }

        /**
         * Intersects the ray t*d from the camera's centre with the card; fills hit = {t, u, v} and returns true when
         * the card is hit within its extent.
         */
        boolean hit(double[] d, double[] hit) {
            // Into the card's frame: o' = -R^T pos, d' = R^T d.
            double ox = -(rot[0] * pos[0] + rot[3] * pos[1] + rot[6] * pos[2]);
            double oy = -(rot[1] * pos[0] + rot[4] * pos[1] + rot[7] * pos[2]);
            double oz = -(rot[2] * pos[0] + rot[5] * pos[1] + rot[8] * pos[2]);
            double dx = rot[0] * d[0] + rot[3] * d[1] + rot[6] * d[2];
            double dy = rot[1] * d[0] + rot[4] * d[1] + rot[7] * d[2];
            double dz = rot[2] * d[0] + rot[5] * d[1] + rot[8] * d[2];
            if (axis == 0) {
                if (Math.abs(dz) < 1e-12) {
                    return false;
                }
                double t = -oz / dz;
                double u = ox + t * dx;
                double v = oy + t * dy;
                if (t <= 0 || Math.abs(u) > halfW || Math.abs(v) > halfH) {
                    return false;
                }
                hit[0] = t;
                hit[1] = u;
                hit[2] = v;
                return true;
            }
            double rc = Math.abs(axis);
            double a = dx * dx + dz * dz;
            double b = 2 * (ox * dx + (oz - axis) * dz);
            double c = ox * ox + (oz - axis) * (oz - axis) - rc * rc;
            double disc = b * b - 4 * a * c;
            if (disc < 0 || a < 1e-12) {
                return false;
            }
            double sq = Math.sqrt(disc);
            for (double t : new double[] {(-b - sq) / (2 * a), (-b + sq) / (2 * a)}) {
                if (t <= 0) {
                    continue;
                }
                double x = ox + t * dx;
                double y = oy + t * dy;
                double z = oz + t * dz;
                double th = StrictMath.atan2(x, -Math.signum(axis) * (z - axis));
                double u = th * rc;
                if (Math.abs(u) <= halfW && Math.abs(y) <= halfH && Math.abs(th) < Math.PI / 2) {
                    hit[0] = t;
                    hit[1] = u;
                    hit[2] = y;
                    return true;
                }
            }
            return false;
        }

        /** Whether card coordinates (u, v) show a dark module of the code (false outside the code). */
        boolean module(double u, double v) {
            double mu = (u - codeU0) / moduleMm;
            double mv = (v - codeV0) / moduleMm;
            int n = code.getWidth();
            return mu >= 0 && mv >= 0 && mu < n && mv < n && code.get((int) mu, (int) mv);
        }

        /**
         * The radiance (linear, per colour channel) the camera sees at card point (u, v) hit by the ray d; du, dv: the
         * footprint of the sub-pixel on the card (mm), which integrates a screen's subpixel grid.
         */
        void radiance(double u, double v, double[] d, double du, double dv, double[] rgb) {
            double[] n = new double[3];
            normal(u, v, n);
            double dl = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
            double vx = -d[0] / dl;
            double vy = -d[1] / dl;
            double vz = -d[2] / dl;
            double facing = n[0] * vx + n[1] * vy + n[2] * vz;
            double specular = 0;
            for (Glare g : glares) {
                specular += lobe(g, n, vx, vy, vz);
            }
            if (facing <= 0) {
                // The back of a strongly bent sheet: plain paper, lit from behind.
                double back = 0.3 * ambient;
                rgb[0] = rgb[1] = rgb[2] = back;
                return;
            }
            if (!phone) {
                double reflect = module(u, v) ? ink : white;
                if (textGlyphMm > 0 && v >= textTop && v < halfH - 2 && Math.abs(u) < halfW - 4) {
                    // Lines of print: glyph boxes on a grid, some left out as spaces.
                    double gu = (u + halfW - 4) / textGlyphMm;
                    double gv = (v - textTop) / (textGlyphMm * 2.2);
                    int iu = (int) gu;
                    int iv = (int) gv;
                    if (gu - iu < 0.7 && (gv - iv) * 2.2 < 1.3 - 0.3 * (hash(textBits, iu, -iv) & 1)
                            && hash(textBits, iu, iv) % 6 != 0) {
                        reflect = ink;
                    }
                }
                double ll = Math.sqrt(lightDir[0] * lightDir[0] + lightDir[1] * lightDir[1] + lightDir[2] * lightDir[2]);
                double lambert = Math.max(0, -(n[0] * lightDir[0] + n[1] * lightDir[1] + n[2] * lightDir[2]) / ll);
                double irradiance = ambient * (0.45 + 0.55 * lambert) * (1 + gradU * u + gradV * v) * shadow(u, v);
                double val = reflect * irradiance + specular * Math.max(ambient, 0.3);
                rgb[0] = rgb[1] = rgb[2] = val;
                return;
            }
            // Phone: glass reflects a little of the surroundings and the glare; the bezel is black glass.
            double reflection = 0.03 * ambient + specular * Math.max(ambient, 0.3);
            if (Math.abs(u) > screenHalfW || Math.abs(v) > screenHalfH) {
                rgb[0] = rgb[1] = rgb[2] = 0.02 * ambient + reflection;
                return;
            }
            double su = (u + screenHalfW) / pitchMm;
            double sv = (v + screenHalfH) / pitchMm;
            // The screen shows the code at its own pixel resolution: sample the content at the screen pixel's centre.
            double cu = (Math.floor(su) + 0.5) * pitchMm - screenHalfW;
            double cv = (Math.floor(sv) + 0.5) * pitchMm - screenHalfH;
            boolean darkModule = module(cu, cv);
            double content = dark ? (darkModule ? white * 0.85 : blackLevel + white * 0.012)
                    : (darkModule ? blackLevel : white);
            double fu = Math.max(du / pitchMm, 1e-3);
            double fv = Math.max(dv / pitchMm, 1e-3);
            double row = litFraction(sv - fv / 2, sv + fv / 2, 0.1, 0.8) / 0.8;
            for (int k = 0; k < 3; k++) {
                double col = litFraction(su - fu / 2, su + fu / 2, k / 3.0 + 0.03, 0.27) / 0.27;
                rgb[k] = content * col * row + reflection;
            }
        }

        private double shadow(double u, double v) {
            if (Double.isNaN(shadowD)) {
                return 1;
            }
            double s = (u * shadowNu + v * shadowNv - shadowD) / shadowSoftMm;
            double inShadow = 1 / (1 + StrictMath.exp(-4 * s));
            return 1 - shadowDepth * inShadow;
        }

        private static double lobe(Glare g, double[] n, double vx, double vy, double vz) {
            double hx = g.light()[0] + vx;
            double hy = g.light()[1] + vy;
            double hz = g.light()[2] + vz;
            double hl = Math.sqrt(hx * hx + hy * hy + hz * hz);
            hx /= hl;
            hy /= hl;
            hz /= hl;
            // The half vector's tilt from the normal, split along two tangent axes for an elongated light.
            double dot = hx * n[0] + hy * n[1] + hz * n[2];
            double tx = hx - dot * n[0];
            double ty = hy - dot * n[1];
            double tz = hz - dot * n[2];
            double[] a1 = tangent(n, g.axisRad());
            double[] a2 = {n[1] * a1[2] - n[2] * a1[1], n[2] * a1[0] - n[0] * a1[2], n[0] * a1[1] - n[1] * a1[0]};
            double p = (tx * a1[0] + ty * a1[1] + tz * a1[2]) / (g.sigmaRad() * g.aspect());
            double q = (tx * a2[0] + ty * a2[1] + tz * a2[2]) / g.sigmaRad();
            double r2 = p * p + q * q;
            // A hot core and a soft halo (the light's own falloff and the surface's micro-roughness).
            return g.peak() * (StrictMath.exp(-r2 / 2) + 0.15 * StrictMath.exp(-r2 / 18));
        }

        private static double[] tangent(double[] n, double angle) {
            double[] ref = Math.abs(n[0]) < 0.9 ? new double[] {1, 0, 0} : new double[] {0, 1, 0};
            double dot = ref[0] * n[0] + ref[1] * n[1] + ref[2] * n[2];
            double[] t1 = {ref[0] - dot * n[0], ref[1] - dot * n[1], ref[2] - dot * n[2]};
            double l = Math.sqrt(t1[0] * t1[0] + t1[1] * t1[1] + t1[2] * t1[2]);
            t1[0] /= l;
            t1[1] /= l;
            t1[2] /= l;
            double[] t2 = {n[1] * t1[2] - n[2] * t1[1], n[2] * t1[0] - n[0] * t1[2], n[0] * t1[1] - n[1] * t1[0]};
            double c = StrictMath.cos(angle);
            double s = StrictMath.sin(angle);
            return new double[] {c * t1[0] + s * t2[0], c * t1[1] + s * t2[1], c * t1[2] + s * t2[2]};
        }
    }

    /**
     * The lit share of [a, b] (in screen pixels) under a pattern lit on [start, start + width) of every pixel: the
     * box integral of a subpixel stripe over a sensor sub-pixel's footprint, so fine grids average out or alias as a
     * sensor makes them.
     */
    static double litFraction(double a, double b, double start, double width) {
        return (cumulativeLit(b, start, width) - cumulativeLit(a, start, width)) / (b - a);
    }

    private static double cumulativeLit(double x, double start, double width) {
        double fl = Math.floor(x);
        return fl * width + Math.max(0, Math.min(width, x - fl - start));
    }

    /** A patch of the background in frame pixels: a rotated rectangle with a pattern. */
    record Clutter(int pattern, double cx, double cy, double halfW, double halfH, double cos, double sin, double cell,
            double albedo, long bits) {
        Clutter(int pattern, double cx, double cy, double halfW, double halfH, double angle, double cell, double albedo,
                long bits) {
            this(pattern, cx, cy, halfW, halfH, StrictMath.cos(angle), StrictMath.sin(angle), cell, albedo, bits);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The frame

    /** Makes one frame of a folder from its seed. */
    static Shot shot(Folder folder, long seed) throws WriterException {
        Random r = new Random(seed);
        int w = folder.width();
        int h = folder.height();
        Tier tier = folder.tier();
        // About 62 degrees across, as a Raspberry Pi camera module; 16:9 frames are a crop of the same lens.
        double focal = (w / 2.0) / StrictMath.tan(StrictMath.toRadians(31 + 4 * r.nextDouble()));
        Camera cam = new Camera(w, h, focal, -0.08 * r.nextDouble());
        StringBuilder cond = new StringBuilder("tier=").append(tier.name().toLowerCase(Locale.ROOT))
                .append(" kind=").append(folder.kind().name().toLowerCase(Locale.ROOT));
        double ambient = 1;
        if (r.nextDouble() < tier.pLowLight) {
            ambient = tier.ambientMin * StrictMath.pow(tier.ambientMax / tier.ambientMin, r.nextDouble());
            cond.append(String.format(Locale.ROOT, " low_light_ambient=%.3f", ambient));
        }
        List<Card> cards = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        Optional<String> expected = Optional.empty();
        double modulePx = 0;
        switch (folder.kind()) {
            case CODE -> {
                String text = payload(r, false);
                boolean edge = r.nextDouble() < tier.pEdge;
                Card card = placeCode(r, tier, cam, text, new double[] {0, 0, w, h}, edge ? r.nextInt(4) : -1,
                        ambient, cond);
                cards.add(card);
                texts.add(text);
                expected = Optional.of(text);
                // Blur is sized by the smallest modules (the far side of a tilted code), so it stays below the
                // tier's bound where the code is hardest to read rather than where it is easiest.
                modulePx = minModulePx(card, cam);
            }
            case MULTI -> {
                // A pass and up to three other codes (stickers, a second phone), each in its own quarter of the frame.
                int n = 2 + r.nextInt(3);
                int first = r.nextInt(4);
                for (int k = 0; k < n; k++) {
                    int slot = (first + k) % 4;
                    double[] box = {(slot % 2) * w / 2.0, (slot / 2) * h / 2.0, (slot % 2 + 1) * w / 2.0,
                            (slot / 2 + 1) * h / 2.0};
                    String text = k == 0 ? payload(r, true) : otherPayload(r);
                    cond.append(" code").append(k + 1).append(':');
                    Card card = placeCode(r, tier, cam, text, box, -1, ambient, cond);
                    cards.add(card);
                    texts.add(text);
                    if (k == 0) {
                        expected = Optional.of(text);
                        modulePx = minModulePx(card, cam);
                    }
                }
            }
            case EMPTY -> {
                if (r.nextInt(4) == 0) {
                    // A code cut by the frame's edge, its centre outside: at least one finder pattern is lost, so
                    // nobody can read it, and the frame counts as one with no code.
                    String text = payload(r, false);
                    cards.add(placeCutCode(r, tier, cam, text, ambient, cond));
                }
                modulePx = 2 + 3 * r.nextDouble();
            }
        }
        List<Clutter> clutter = clutter(r, w, h, folder.kind() == Kind.EMPTY, cond);
        double bgAlbedo = 0.12 + 0.3 * r.nextDouble();
        double bgGradX = (r.nextDouble() - 0.5) * 0.8 / w;
        double bgGradY = (r.nextDouble() - 0.5) * 0.8 / h;
        float[][] planes = render(cam, cards, clutter, ambient, bgAlbedo, bgGradX, bgGradY);

        // Auto-exposure: a mid grey for the frame's mean, within the shutter and gain the camera has.
        double mean = 0;
        for (float v : planes[1]) {
            mean += v;
        }
        mean /= planes[1].length;
        // Highlights bound it too (as libcamera's AGC constrains the brightest pixels): the top 0.5% at most 1.5x
        // saturation, so a lit phone in a dark lane is not burnt out while a small glare blob still saturates.
        float[] sorted = planes[1].clone();
        java.util.Arrays.sort(sorted);
        double top = sorted[(int) (sorted.length * 0.995)];
        double exposure = Math.max(0.25, Math.min(32, Math.min(0.2 / Math.max(mean, 1e-6), 1.5 / Math.max(top, 1e-6))));
        double shutter = exposure <= 1 ? exposure : Math.min(4, exposure);
        double gain = exposure / shutter;
        cond.append(String.format(Locale.ROOT, " shutter=x%.2f gain=x%.2f", shutter, gain));

        // The lens: base blur, defocus, and motion during the (possibly long) exposure.
        double basePsf = 0.45 + 0.25 * r.nextDouble();
        double defocusPx = 0;
        if (r.nextDouble() < tier.pDefocus) {
            defocusPx = Math.min(6, modulePx * tier.defocusMaxModules * (0.3 + 0.7 * r.nextDouble()));
            cond.append(String.format(Locale.ROOT, " defocus_radius_px=%.2f", defocusPx));
        }
        double motionPx = 0;
        double motionAngle = r.nextDouble() * Math.PI;
        if (r.nextDouble() < tier.pMotion || shutter > 1.5) {
            double speed = modulePx * tier.motionMaxModules * r.nextDouble() * Math.max(1, shutter) / 2;
            motionPx = Math.min(modulePx * tier.motionMaxModules, speed);
            if (motionPx >= 0.5) {
                cond.append(String.format(Locale.ROOT, " motion_px=%.2f@%.0fdeg", motionPx,
                        StrictMath.toDegrees(motionAngle)));
            } else {
                motionPx = 0;
            }
        }
        for (float[] p : planes) {
            float[] q = gaussian(p, w, h, basePsf);
            if (defocusPx >= 0.6) {
                q = disc(q, w, h, defocusPx);
            }
            if (motionPx > 0) {
                q = motion(q, w, h, motionPx, motionAngle);
            }
            System.arraycopy(q, 0, p, 0, p.length);
        }
        BufferedImage img = sensor(r, planes, w, h, shutter, gain, cond);
        boolean jpeg = r.nextDouble() < tier.pJpeg;
        if (jpeg) {
            cond.append(" jpeg_quality=60");
        }
        return new Shot(img, jpeg, expected, texts, cond.toString());
    }

    private static String otherPayload(Random r) {
        String text = payload(r, false);
        return text.startsWith("CKP1:") || text.startsWith("HC1:") ? "https://example.org/info/" + r.nextInt(100000)
                : text;
    }

    /** The mean size of a module in the frame, in pixels. */
    static double meanModulePx(Card card, Camera cam) {
        double[] p = new double[3];
        double[] a = new double[2];
        double[] b = new double[2];
        double n = card.code.getWidth() * card.moduleMm;
        card.toCamera(card.codeU0, card.codeV0 + n / 2, p);
        cam.project(p, a);
        card.toCamera(card.codeU0 + n, card.codeV0 + n / 2, p);
        cam.project(p, b);
        return Math.hypot(a[0] - b[0], a[1] - b[1]) / card.code.getWidth();
    }

    /**
     * A paper pass or a phone showing the code, posed so the code with its quiet zone lies inside the box (or, for an
     * edge placement, pushed against side 0-3 of the frame), every module of it at least the tier's smallest size.
     */
    static Card placeCode(Random r, Tier tier, Camera cam, String text, double[] box, int edgeSide, double ambient,
            StringBuilder cond) throws WriterException {
        ErrorCorrectionLevel ec = ecLevel(r);
        BitMatrix m = matrix(text, ec);
        int n = m.getWidth();
        int carrier = r.nextInt(10);
        boolean phone = carrier >= 5 && !allCurved;
        boolean dark = phone && carrier >= 8;
                double boxSide = Math.min(box[2] - box[0], box[3] - box[1]);
        double modulePx = (tier.modulePxMin + (tier.modulePxMax - tier.modulePxMin) * r.nextDouble());
        modulePx = Math.min(modulePx, 0.8 * boxSide / (n + 8));
        double tilt = StrictMath.toRadians(tier.tiltMinDeg + (tier.tiltMaxDeg - tier.tiltMinDeg) * r.nextDouble());
        double tiltAxis = r.nextDouble() * 2 * Math.PI;
        double roll = r.nextDouble() * 2 * Math.PI;
        double arc = !phone && (r.nextDouble() < tier.pCurve || allCurved)
                ? (allCurved ? Tier.HARD.arcMaxRad : tier.arcMaxRad) * (0.3 + 0.7 * r.nextDouble()) : 0;
        boolean convex = r.nextInt(10) < 7;
        Card card = new Card();
        card.code = m;
        card.phone = phone;
        card.dark = dark;
        card.ambient = ambient;
        double codeMm = phone ? 30 + 20 * r.nextDouble() : 25 + 35 * r.nextDouble();
        card.moduleMm = codeMm / n;
        card.codeU0 = -codeMm / 2;
        if (phone) {
            card.screenHalfW = Math.max(codeMm / 2 + 4 * card.moduleMm + 2, 30 + 5 * r.nextDouble());
            card.screenHalfH = Math.max(card.screenHalfW * 2, codeMm);
            card.halfW = card.screenHalfW + 2 + 3 * r.nextDouble();
            card.halfH = card.screenHalfH + 6 + 6 * r.nextDouble();
            card.codeV0 = -codeMm / 2 - card.screenHalfH * 0.2 * r.nextDouble();
            card.pitchMm = 25.4 / (300 + 180 * r.nextDouble());
            card.white = 0.45 + 0.6 * r.nextDouble();
            card.blackLevel = r.nextBoolean() ? 0 : card.white * 0.004;
        } else {
            double margin = 4 * card.moduleMm + 3 + 15 * r.nextDouble();
            card.halfW = codeMm / 2 + margin;
            double textMm = r.nextBoolean() ? 10 + 25 * r.nextDouble() : 0;
            card.halfH = codeMm / 2 + margin + textMm / 2;
            card.codeV0 = -card.halfH + margin;
            card.white = 0.62 + 0.25 * r.nextDouble();
            card.ink = 0.03 + 0.06 * r.nextDouble();
            // Lines of print below the code: the pass holder's name, dates, a plate.
            card.textTop = card.codeV0 + codeMm + 4 * card.moduleMm + 2;
            card.textGlyphMm = textMm > 0 ? 1.2 + 1.5 * r.nextDouble() : 0;
            card.textBits = r.nextLong();
            if (r.nextDouble() < tier.pShadow) {
                double a = r.nextDouble() * 2 * Math.PI;
                card.shadowNu = StrictMath.cos(a);
                card.shadowNv = StrictMath.sin(a);
                card.shadowD = (r.nextDouble() - 0.5) * codeMm * 0.8;
                card.shadowSoftMm = 1 + 12 * r.nextDouble();
                card.shadowDepth = tier.shadowDepthMax * (0.4 + 0.6 * r.nextDouble());
                cond.append(String.format(Locale.ROOT, " shadow_depth=%.2f", card.shadowDepth));
            }
            card.gradU = (r.nextDouble() - 0.5) * 0.6 / codeMm;
            card.gradV = (r.nextDouble() - 0.5) * 0.6 / codeMm;
        }
        if (arc > 0) {
            card.axis = (convex ? 1 : -1) * codeMm / arc;
            // The sheet's width on the cylinder must stay below a half turn.
            card.halfW = Math.min(card.halfW, Math.abs(card.axis) * 1.45);
        }
        // The direction the main light travels: from above and in front, as a canopy lamp or the sky.
        card.lightDir = new double[] {(r.nextDouble() - 0.5), 0.3 + r.nextDouble(), 0.5 + r.nextDouble()};
        // Rotation: roll in the card's plane, then tilt about an axis in the image plane.
        double[] rz = {StrictMath.cos(roll), -StrictMath.sin(roll), 0, StrictMath.sin(roll), StrictMath.cos(roll), 0, 0,
                0, 1};
        double[] rt = axisAngle(StrictMath.cos(tiltAxis), StrictMath.sin(tiltAxis), 0, tilt);
        card.rot = mul(rt, rz);
        // Place: distance from the module size wanted; position at random in the box, retried until it fits.
        double quiet = 4 * card.moduleMm;
        double margin = edgeSide >= 0 ? tier.edgeMarginModules : 1;
        boolean placed = false;
        for (int attempt = 0; attempt < 200 && !placed; attempt++) {
            if (attempt > 0 && attempt % 20 == 0) {
                modulePx *= 0.9;
            }
            double z = cam.focalPx() * card.moduleMm / modulePx;
            double ix = box[0] + (box[2] - box[0]) * (0.15 + 0.7 * r.nextDouble());
            double iy = box[1] + (box[3] - box[1]) * (0.15 + 0.7 * r.nextDouble());
            double[] d = new double[3];
            cam.ray(ix, iy, d);
            card.pos = new double[] {d[0] * z, d[1] * z, z};
            double[] bb = codeBounds(card, cam, quiet - margin * card.moduleMm);
            if (bb == null) {
                continue;
            }
            if (edgeSide >= 0) {
                // Slide the card towards the chosen side until the code's outer quiet zone (less the margin) touches it.
                int axisIdx = edgeSide < 2 ? 0 : 1;
                for (int step = 0; step < 3 && bb != null; step++) {
                    double gap = switch (edgeSide) {
                        case 0 -> bb[0] - box[0];
                        case 1 -> box[2] - bb[2];
                        case 2 -> bb[1] - box[1];
                        default -> box[3] - bb[3];
                    };
                    double toward = edgeSide == 0 || edgeSide == 2 ? -1 : 1;
                    card.pos[axisIdx] += toward * (gap - 1) * card.pos[2] / cam.focalPx();
                    bb = codeBounds(card, cam, quiet - margin * card.moduleMm);
                }
                if (bb == null) {
                    continue;
                }
            }
            if (bb[0] < box[0] || bb[1] < box[1] || bb[2] > box[2] || bb[3] > box[3]) {
                continue;
            }
            if (minModulePx(card, cam) < tier.minFootprintPx) {
                modulePx *= 1.05;
                continue;
            }
            placed = true;
        }
        if (!placed) {
            // Face on, centred in the box, large enough: always fits (a fallback that calibration keeps rare).
            card.rot = rz;
            card.axis = 0;
            double px = Math.max(tier.minFootprintPx * 1.2, Math.min(modulePx, 0.8 * boxSide / (n + 8)));
            double z = cam.focalPx() * card.moduleMm / px;
            double[] d = new double[3];
            cam.ray((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, d);
            card.pos = new double[] {d[0] * z, d[1] * z, z};
            cond.append(" fallback_pose");
        }
        // Glare: a light placed so its mirror reflection lands on (or near) the code.
        if (r.nextDouble() < tier.pGlare) {
            double radiusModules = tier.glareRadiusMinModules
                    + (tier.glareRadiusMaxModules - tier.glareRadiusMinModules) * r.nextDouble();
            boolean onCode = r.nextDouble() < 0.7;
            double reach = onCode ? codeMm / 2 : codeMm;
            double gu = (r.nextDouble() - 0.5) * 2 * reach;
            double gv = card.codeV0 + codeMm / 2 + (r.nextDouble() - 0.5) * 2 * reach;
            double[] p = new double[3];
            double[] nrm = new double[3];
            card.toCamera(gu, gv, p);
            card.normal(gu, gv, nrm);
            double pl = Math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
            double[] v = {-p[0] / pl, -p[1] / pl, -p[2] / pl};
            double nv = nrm[0] * v[0] + nrm[1] * v[1] + nrm[2] * v[2];
            double[] light = {2 * nv * nrm[0] - v[0], 2 * nv * nrm[1] - v[1], 2 * nv * nrm[2] - v[2]};
            // Moving across the card by s turns the view by s/distance and the half vector by half of that.
            double sigma = 0.5 * radiusModules * card.moduleMm / pl;
            double peak = (tier.glarePeakMin + (tier.glarePeakMax - tier.glarePeakMin) * r.nextDouble())
                    * (phone ? 1.2 : 1);
            card.glares.add(new Glare(light, peak, sigma, 1 + 2 * r.nextDouble(), r.nextDouble() * Math.PI));
            cond.append(String.format(Locale.ROOT, " glare_peak=%.1f glare_radius_modules=%.1f%s", peak,
                    radiusModules, onCode ? "" : "(beside)"));
        }
        cond.append(String.format(Locale.ROOT,
                " carrier=%s ec=%s modules=%d module_px=%.2f min_module_px=%.2f tilt_deg=%.0f roll_deg=%.0f",
                phone ? (dark ? "phone_dark" : "phone_light") : "paper", ec, n, meanModulePx(card, cam),
                minModulePx(card, cam), StrictMath.toDegrees(tilt), StrictMath.toDegrees(roll)));
        if (card.axis != 0) {
            cond.append(String.format(Locale.ROOT, " curved_arc_deg=%.0f(%s)", StrictMath.toDegrees(arc),
                    convex ? "convex" : "concave"));
        }
        if (edgeSide >= 0) {
            cond.append(" at_edge=").append(new String[] {"left", "right", "top", "bottom"}[edgeSide]);
        }
        if (phone) {
            cond.append(String.format(Locale.ROOT, " screen_ppi=%.0f", 25.4 / card.pitchMm));
        }
        return card;
    }

    /** A paper code whose centre lies outside the frame, so that no decoder can read it. */
    static Card placeCutCode(Random r, Tier tier, Camera cam, String text, double ambient, StringBuilder cond)
            throws WriterException {
        int w = cam.width();
        int h = cam.height();
        Card card = placeCode(r, Tier.EASY, cam, text, new double[] {0, 0, w, h}, -1, ambient, new StringBuilder());
        double side = meanModulePx(card, cam) * card.code.getWidth();
        double[] c = new double[2];
        double[] p = new double[3];
        card.toCamera(card.codeU0 + card.moduleMm * card.code.getWidth() / 2,
                card.codeV0 + card.moduleMm * card.code.getWidth() / 2, p);
        cam.project(p, c);
        int edge = r.nextInt(4);
        double beyond = side * (0.25 + 0.15 * r.nextDouble());
        double target = switch (edge) {
            case 0 -> -beyond;
            case 1 -> w + beyond;
            case 2 -> -beyond;
            default -> h + beyond;
        };
        int axisIdx = edge < 2 ? 0 : 1;
        card.pos[axisIdx] += (target - c[axisIdx]) * card.pos[2] / cam.focalPx();
        cond.append(" cut_code_at=").append(new String[] {"left", "right", "top", "bottom"}[edge]);
        return card;
    }

    /** The frame box of the code plus its quiet zone grown by qzMm, or null when part of it faces away or is behind. */
    static double[] codeBounds(Card card, Camera cam, double qzMm) {
        double n = card.code.getWidth() * card.moduleMm;
        double u0 = card.codeU0 - qzMm;
        double v0 = card.codeV0 - qzMm;
        double s = n + 2 * qzMm;
        double[] bb = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        double[] p = new double[3];
        double[] px = new double[2];
        double[] nrm = new double[3];
        for (int i = 0; i <= 8; i++) {
            for (int j = 0; j <= 8; j++) {
                double u = u0 + s * i / 8;
                double v = v0 + s * j / 8;
                if (Math.abs(u) > card.halfW || Math.abs(v) > card.halfH) {
                    return null;
                }
                card.toCamera(u, v, p);
                card.normal(u, v, nrm);
                double pl = Math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
                // Grazing surfaces (under about 12 degrees) hide their modules: not a readable pose.
                if (p[2] <= 1 || -(nrm[0] * p[0] + nrm[1] * p[1] + nrm[2] * p[2]) / pl < 0.2) {
                    return null;
                }
                if (i % 8 == 0 || j % 8 == 0) {
                    cam.project(p, px);
                    bb[0] = Math.min(bb[0], px[0]);
                    bb[1] = Math.min(bb[1], px[1]);
                    bb[2] = Math.max(bb[2], px[0]);
                    bb[3] = Math.max(bb[3], px[1]);
                }
            }
        }
        return bb;
    }

    /** The smallest module step in the frame (px) over a grid of the code, along either module axis. */
    static double minModulePx(Card card, Camera cam) {
        int n = card.code.getWidth();
        double min = Double.MAX_VALUE;
        double[] p = new double[3];
        double[] a = new double[2];
        double[] b = new double[2];
        for (int i = 0; i <= 4; i++) {
            for (int j = 0; j <= 4; j++) {
                double u = card.codeU0 + card.moduleMm * (n - 1) * i / 4.0;
                double v = card.codeV0 + card.moduleMm * (n - 1) * j / 4.0;
                card.toCamera(u, v, p);
                cam.project(p, a);
                card.toCamera(u + card.moduleMm, v, p);
                cam.project(p, b);
                min = Math.min(min, Math.hypot(a[0] - b[0], a[1] - b[1]));
                card.toCamera(u, v + card.moduleMm, p);
                cam.project(p, b);
                min = Math.min(min, Math.hypot(a[0] - b[0], a[1] - b[1]));
            }
        }
        return min;
    }

    /** Background patches: signs with print, railings and stripes, chequered panels, and code-like module blocks. */
    static List<Clutter> clutter(Random r, int w, int h, boolean empty, StringBuilder cond) {
        List<Clutter> out = new ArrayList<>();
        int count = empty ? 4 + r.nextInt(5) : 2 + r.nextInt(3);
        int codeLike = 0;
        for (int i = 0; i < count; i++) {
            int pattern = r.nextInt(empty ? 5 : 4);
            codeLike += pattern >= 2 ? 1 : 0;
            double hw = w * (0.05 + 0.2 * r.nextDouble());
            double hh = h * (0.05 + 0.2 * r.nextDouble());
            double cell = pattern == 4 ? 2 + 5 * r.nextDouble() : 3 + 12 * r.nextDouble();
            if (pattern == 4) {
                hw = hh = cell * 25 / 2;
            }
            out.add(new Clutter(pattern, w * r.nextDouble(), h * r.nextDouble(), hw, hh,
                    r.nextInt(3) == 0 ? 0 : r.nextDouble() * Math.PI, cell, 0.1 + 0.6 * r.nextDouble(), r.nextLong()));
        }
        if (empty) {
            cond.append(" clutter=").append(count).append(" code_like=").append(codeLike);
        }
        return out;
    }

    /** The background's albedo at a frame point (before the light falls on it). */
    static double background(List<Clutter> clutter, double x, double y, double albedo, double gx, double gy) {
        double a = albedo * (1 + gx * x + gy * y);
        for (Clutter c : clutter) {
            double dx = x - c.cx();
            double dy = y - c.cy();
            double cs = c.cos();
            double sn = c.sin();
            double lx = dx * cs + dy * sn;
            double ly = -dx * sn + dy * cs;
            if (Math.abs(lx) > c.halfW() || Math.abs(ly) > c.halfH()) {
                continue;
            }
            double gxCell = (lx + c.halfW()) / c.cell();
            double gyCell = (ly + c.halfH()) / c.cell();
            int ix = (int) gxCell;
            int iy = (int) gyCell;
            a = switch (c.pattern()) {
                case 0 -> c.albedo();
                // A sign with lines of print: glyph boxes on a light board.
                case 1 -> {
                    double fx = gxCell - ix;
                    double fy = (ly + c.halfH()) / (c.cell() * 1.6);
                    boolean ink = fy - Math.floor(fy) < 0.6 && fx < 0.7 && (hash(c.bits(), ix, (int) fy) & 7) != 0;
                    yield ink ? 0.05 : 0.75;
                }
                // Railings, blinds, a 1D barcode: stripes of varying width.
                case 2 -> (hash(c.bits(), ix, 0) & 1) == 0 ? 0.06 : 0.7;
                case 3 -> ((ix + iy) & 1) == 0 ? 0.08 : 0.72;
                // A block of random modules with three finder-like squares: looks like a code, holds none.
                default -> {
                    boolean dark = (hash(c.bits(), ix, iy) & 1) == 0;
                    int n = 25;
                    for (int[] f : new int[][] {{0, 0}, {n - 7, 0}, {0, n - 7}}) {
                        int fx = ix - f[0];
                        int fy = iy - f[1];
                        if (fx >= 0 && fy >= 0 && fx < 7 && fy < 7) {
                            int ring = Math.min(Math.min(fx, fy), Math.min(6 - fx, 6 - fy));
                            dark = ring != 1;
                        }
                    }
                    yield dark ? 0.05 : 0.75;
                }
            };
        }
        return a;
    }

    private static long hash(long seed, int a, int b) {
        long z = seed ^ (a * 0x9E3779B97F4A7C15L) ^ (b * 0xC2B2AE3D27D4EB4FL);
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return (z ^ (z >>> 33)) >>> 1;
    }

    /** Ray-casts 3x3 sub-pixels per pixel: each pixel's mean radiance per colour channel. */
    static float[][] render(Camera cam, List<Card> cards, List<Clutter> clutter, double ambient, double albedo,
            double gx, double gy) {
        int w = cam.width();
        int h = cam.height();
        float[][] planes = new float[3][w * h];
        double[] d = new double[3];
        double[] hit = new double[3];
        double[] best = new double[3];
        double[] rgb = new double[3];
        double[] d2 = new double[3];
        double[] h2 = new double[3];
        // Frame boxes of the cards, to skip ray-casting far from them.
        int[][] boxes = new int[cards.size()][];
        for (int k = 0; k < cards.size(); k++) {
            boxes[k] = cardBox(cards.get(k), cam);
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sr = 0;
                double sg = 0;
                double sb = 0;
                for (int sy = 0; sy < 3; sy++) {
                    for (int sx = 0; sx < 3; sx++) {
                        double fx = x + (sx + 0.5) / 3;
                        double fy = y + (sy + 0.5) / 3;
                        cam.ray(fx, fy, d);
                        Card front = null;
                        for (int k = 0; k < cards.size(); k++) {
                            int[] b = boxes[k];
                            if (x < b[0] || x > b[2] || y < b[1] || y > b[3]) {
                                continue;
                            }
                            Card c = cards.get(k);
                            if (c.hit(d, hit) && (front == null || hit[0] < best[0])) {
                                front = c;
                                System.arraycopy(hit, 0, best, 0, 3);
                            }
                        }
                        if (front == null) {
                            double v = ambient * background(clutter, fx, fy, albedo, gx, gy);
                            sr += v;
                            sg += v;
                            sb += v;
                            continue;
                        }
                        double du = 0;
                        double dv = 0;
                        if (front.phone) {
                            // The sub-pixel's footprint on the screen, from neighbouring rays.
                            double u = best[1];
                            double v = best[2];
                            cam.ray(fx + 1 / 3.0, fy, d2);
                            if (front.hit(d2, h2)) {
                                du += Math.abs(h2[1] - u);
                                dv += Math.abs(h2[2] - v);
                            }
                            cam.ray(fx, fy + 1 / 3.0, d2);
                            if (front.hit(d2, h2)) {
                                du += Math.abs(h2[1] - u);
                                dv += Math.abs(h2[2] - v);
                            }
                        }
                        front.radiance(best[1], best[2], d, du, dv, rgb);
                        sr += rgb[0];
                        sg += rgb[1];
                        sb += rgb[2];
                    }
                }
                int i = y * w + x;
                planes[0][i] = (float) (sr / 9);
                planes[1][i] = (float) (sg / 9);
                planes[2][i] = (float) (sb / 9);
            }
        }
        return planes;
    }

    /** A card's whole extent in frame pixels (clamped to the frame), from points around and across it. */
    static int[] cardBox(Card card, Camera cam) {
        double[] bb = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        double[] p = new double[3];
        double[] px = new double[2];
        for (int i = 0; i <= 16; i++) {
            for (int j = 0; j <= 16; j++) {
                card.toCamera(-card.halfW + 2 * card.halfW * i / 16, -card.halfH + 2 * card.halfH * j / 16, p);
                if (p[2] <= 1) {
                    return new int[] {0, 0, cam.width(), cam.height()};
                }
                cam.project(p, px);
                bb[0] = Math.min(bb[0], px[0]);
                bb[1] = Math.min(bb[1], px[1]);
                bb[2] = Math.max(bb[2], px[0]);
                bb[3] = Math.max(bb[3], px[1]);
            }
        }
        return new int[] {(int) Math.max(0, bb[0] - 3), (int) Math.max(0, bb[1] - 3),
                (int) Math.min(cam.width(), bb[2] + 3), (int) Math.min(cam.height(), bb[3] + 3)};
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Lens and sensor

    static float[] gaussian(float[] p, int w, int h, double sigma) {
        int rad = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * rad + 1];
        double sum = 0;
        for (int i = -rad; i <= rad; i++) {
            k[i + rad] = StrictMath.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + rad];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        float[] tmp = new float[p.length];
        float[] out = new float[p.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int i = -rad; i <= rad; i++) {
                    s += k[i + rad] * p[y * w + clamp(x + i, w)];
                }
                tmp[y * w + x] = (float) s;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int i = -rad; i <= rad; i++) {
                    s += k[i + rad] * tmp[clamp(y + i, h) * w + x];
                }
                out[y * w + x] = (float) s;
            }
        }
        return out;
    }

    /** Defocus: the lens's circle of confusion, a uniform disc (area-weighted at its rim). */
    static float[] disc(float[] p, int w, int h, double radius) {
        int rad = (int) Math.ceil(radius);
        List<double[]> taps = new ArrayList<>();
        double sum = 0;
        for (int dy = -rad; dy <= rad; dy++) {
            for (int dx = -rad; dx <= rad; dx++) {
                double wgt = Math.max(0, Math.min(1, radius + 0.5 - Math.hypot(dx, dy)));
                if (wgt > 0) {
                    taps.add(new double[] {dx, dy, wgt});
                    sum += wgt;
                }
            }
        }
        float[] out = new float[p.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (double[] t : taps) {
                    s += t[2] * p[clamp(y + (int) t[1], h) * w + clamp(x + (int) t[0], w)];
                }
                out[y * w + x] = (float) (s / sum);
            }
        }
        return out;
    }

    /** Motion blur: the mean along a line of the given length and direction (bilinear samples every half pixel). */
    static float[] motion(float[] p, int w, int h, double length, double angle) {
        int n = Math.max(2, (int) Math.ceil(length * 2)) + 1;
        double cs = StrictMath.cos(angle);
        double sn = StrictMath.sin(angle);
        float[] out = new float[p.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    double t = (i / (double) (n - 1) - 0.5) * length;
                    s += bilinear(p, w, h, x + t * cs, y + t * sn);
                }
                out[y * w + x] = (float) (s / n);
            }
        }
        return out;
    }

    private static double bilinear(float[] p, int w, int h, double x, double y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        int xa = clamp(x0, w);
        int xb = clamp(x0 + 1, w);
        int ya = clamp(y0, h);
        int yb = clamp(y0 + 1, h);
        return (1 - fy) * ((1 - fx) * p[ya * w + xa] + fx * p[ya * w + xb])
                + fy * ((1 - fx) * p[yb * w + xa] + fx * p[yb * w + xb]);
    }

    private static int clamp(int v, int n) {
        return v < 0 ? 0 : v >= n ? n - 1 : v;
    }

    /** The Bayer colour (0 red, 1 green, 2 blue) of a sensor pixel, RGGB. */
    static int bayer(int x, int y) {
        return (y & 1) == 0 ? ((x & 1) == 0 ? 0 : 1) : ((x & 1) == 0 ? 1 : 2);
    }

    /**
     * The sensor and its processing: photons (Poisson) and read noise on an RGGB mosaic at the exposure, gain and
     * clipping, bilinear demosaicing, sRGB gamma, then luma (BT.601) in 8 bits.
     */
    static BufferedImage sensor(Random r, float[][] planes, int w, int h, double shutter, double gain,
            StringBuilder cond) {
        double fullWell = 3500 + 4000 * r.nextDouble();
        double readNoise = 2 + 3 * r.nextDouble();
        cond.append(String.format(Locale.ROOT, " full_well_e=%.0f read_noise_e=%.1f", fullWell, readNoise));
        float[] raw = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double photons = Math.max(0, planes[bayer(x, y)][i]) * shutter * fullWell;
                double electrons = Math.min(fullWell, poisson(r, photons));
                double signal = (electrons + r.nextGaussian() * readNoise) * gain / fullWell;
                raw[i] = (float) Math.max(0, Math.min(1, signal));
            }
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        double[] rgb = new double[3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int own = bayer(x, y);
                double[] sum = new double[3];
                int[] cnt = new int[3];
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = x + dx;
                        int yy = y + dy;
                        if (xx < 0 || yy < 0 || xx >= w || yy >= h) {
                            continue;
                        }
                        int c = bayer(xx, yy);
                        // Own colour: the pixel itself; others: the mean of the nearest neighbours of that colour.
                        if (c == own && (dx != 0 || dy != 0)) {
                            continue;
                        }
                        if (c == 1 && own != 1 && dx != 0 && dy != 0) {
                            continue;
                        }
                        sum[c] += raw[yy * w + xx];
                        cnt[c]++;
                    }
                }
                for (int c = 0; c < 3; c++) {
                    rgb[c] = srgb(cnt[c] == 0 ? 0 : sum[c] / cnt[c]);
                }
                double luma = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
                data[y * w + x] = (byte) Math.max(0, Math.min(255, (int) Math.round(luma * 255)));
            }
        }
        return img;
    }

    private static final double[] SRGB = new double[4097];

    static {
        for (int i = 0; i < SRGB.length; i++) {
            double v = i / 4096.0;
            SRGB[i] = v <= 0.0031308 ? 12.92 * v : 1.055 * StrictMath.pow(v, 1 / 2.4) - 0.055;
        }
    }

    /** The sRGB transfer curve, through a 12-bit table as a camera's ISP applies it. */
    static double srgb(double v) {
        double x = Math.max(0, Math.min(1, v)) * 4096;
        int i = Math.min(4095, (int) x);
        double f = x - i;
        return SRGB[i] * (1 - f) + SRGB[i + 1] * f;
    }

    /** A Poisson count with the given mean: exact for small means, the normal approximation above 40. */
    static double poisson(Random r, double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 40) {
            return Math.max(0, Math.round(mean + Math.sqrt(mean) * r.nextGaussian()));
        }
        double limit = StrictMath.exp(-mean);
        double prod = r.nextDouble();
        int k = 0;
        while (prod > limit) {
            prod *= r.nextDouble();
            k++;
        }
        return k;
    }

    /** The rotation by angle about the unit axis (x, y, z), row-major. */
    static double[] axisAngle(double x, double y, double z, double angle) {
        double c = StrictMath.cos(angle);
        double s = StrictMath.sin(angle);
        double t = 1 - c;
        return new double[] {
            t * x * x + c, t * x * y - s * z, t * x * z + s * y,
            t * x * y + s * z, t * y * y + c, t * y * z - s * x,
            t * x * z - s * y, t * y * z + s * x, t * z * z + c};
    }

    static double[] mul(double[] a, double[] b) {
        double[] m = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                m[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
            }
        }
        return m;
    }
}
