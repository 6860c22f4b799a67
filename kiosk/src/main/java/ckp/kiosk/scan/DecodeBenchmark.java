package ckp.kiosk.scan;

import ckp.drivers.camera.Frame;
import ckp.drivers.camera.Luma;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * Scores the decoder on folders of images with the expected text beside them ({@code N.png} and {@code N.txt}; an
 * image without a {@code .txt} must yield no code), as {@code ../shared/bench/qr-peers.py} scores the peers, and times
 * it in-process on the luma plane already in memory. Run by {@code kiosk/bin/bench-decode}:
 * <pre>java -cp kiosk.jar ckp.kiosk.scan.DecodeBenchmark DIR... [--rotations] [--repeat N] [--budget-ms N]
 *     [--steps HYBRID,INVERTED,...] [--misses]</pre>
 * It prints one line per folder and rotation ({@code folder@rot found/total misreads=N}) and the decode time per image.
 */
public final class DecodeBenchmark {
    /** One image of a scored folder: its luma and the expected text, empty for an image that holds no code. */
    record Sample(String name, Frame frame, Optional<String> expected) {
    }

    /** The decoder's score on one folder at one rotation. */
    record Score(String folder, int rotation, int found, int total, int misreads, List<String> misses) {
    }

    private DecodeBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        List<Path> dirs = new ArrayList<>();
        boolean rotations = false;
        boolean misses = false;
        int repeat = 1;
        Duration budget = Duration.ofMillis(ScanConfig.DEFAULT_BUDGET_MILLIS);
        List<DecodeStep> steps = List.of(DecodeStep.values());
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rotations" -> rotations = true;
                case "--misses" -> misses = true;
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--budget-ms" -> budget = Duration.ofMillis(Long.parseLong(args[++i]));
                case "--steps" -> {
                    List<DecodeStep> chosen = new ArrayList<>();
                    for (String s : args[++i].split(",")) {
                        chosen.add(DecodeStep.valueOf(s.trim().toUpperCase(Locale.ROOT)));
                    }
                    steps = chosen;
                }
                default -> dirs.add(Path.of(args[i]));
            }
        }
        QrDecoder decoder = new QrDecoder(budget, steps);
        List<Double> millis = new ArrayList<>();
        int totalFound = 0;
        int total = 0;
        int totalMisreads = 0;
        for (Path dir : dirs) {
            List<Sample> samples = load(dir);
            // Warm-up: the JIT compiles the decoder on a first untimed pass, as it has long since done in a running kiosk.
            score(decoder, dir.getFileName().toString(), samples, 0, 1, null);
            for (int rotation : rotations ? new int[] {0, 90, 180, 270} : new int[] {0}) {
                List<Double> folderMillis = new ArrayList<>();
                Score s = score(decoder, dir.getFileName().toString(), samples, rotation, repeat, folderMillis);
                millis.addAll(folderMillis);
                double[] fm = folderMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                totalFound += s.found();
                total += s.total();
                totalMisreads += s.misreads();
                System.out.printf(Locale.ROOT, "ours %s@%d %d/%d misreads=%d images=%d median_ms=%.2f p95_ms=%.2f mean_ms=%.2f%n",
                        s.folder(), s.rotation(), s.found(), s.total(), s.misreads(), fm.length, percentile(fm, 50),
                        percentile(fm, 95), Arrays.stream(fm).average().orElse(0));
                if (misses && !s.misses().isEmpty()) {
                    System.out.println("  missed: " + String.join(" ", s.misses()));
                }
            }
        }
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "ours total %d/%d misreads=%d images=%d median_ms=%.2f p95_ms=%.2f mean_ms=%.2f steps=%s budget_ms=%d%n",
                totalFound, total, totalMisreads, sorted.length, percentile(sorted, 50), percentile(sorted, 95),
                Arrays.stream(sorted).average().orElse(0), steps, budget.toMillis());
    }

    /** Decodes every sample at one rotation; each image's time is the best of {@code repeat} runs, as qr-peers.py takes it. */
    static Score score(QrDecoder decoder, String folder, List<Sample> samples, int rotation, int repeat, List<Double> millis) {
        int found = 0;
        int total = 0;
        int misreads = 0;
        List<String> missed = new ArrayList<>();
        for (Sample sample : samples) {
            Frame frame = rotated(sample.frame(), rotation);
            List<DecodedCode> codes = List.of();
            long best = Long.MAX_VALUE;
            for (int r = 0; r < Math.max(1, repeat); r++) {
                long t0 = System.nanoTime();
                codes = decoder.decode(frame);
                best = Math.min(best, System.nanoTime() - t0);
            }
            if (millis != null) {
                millis.add(best / 1e6);
            }
            List<String> texts = codes.stream().map(c -> normalized(c.text())).toList();
            if (sample.expected().isEmpty()) {
                if (!texts.isEmpty()) {
                    misreads++;
                    missed.add(sample.name() + "(misread)");
                }
                continue;
            }
            total++;
            if (texts.contains(sample.expected().get())) {
                found++;
            } else {
                missed.add(sample.name() + (texts.isEmpty() ? "" : "(misread)"));
                if (!texts.isEmpty()) {
                    misreads++;
                }
            }
        }
        return new Score(folder, rotation, found, total, misreads, missed);
    }

    /** The images of a folder in name order, with the text beside each. */
    static List<Sample> load(Path dir) throws IOException {
        List<Sample> out = new ArrayList<>();
        for (Path file : DecodeFiles.expand(List.of(dir))) {
            if (!file.getParent().equals(dir)) {
                continue;
            }
            BufferedImage img = ImageIO.read(file.toFile());
            if (img == null) {
                throw new IOException(file + " is not a readable PNG or JPEG image");
            }
            String name = file.getFileName().toString();
            Path txt = dir.resolve(name.substring(0, name.lastIndexOf('.')) + ".txt");
            Optional<String> expected = Files.exists(txt)
                    ? Optional.of(normalized(Files.readString(txt, StandardCharsets.UTF_8))) : Optional.empty();
            out.add(new Sample(name, Luma.of(img, 0, 0), expected));
        }
        return out;
    }

    /** The expected files are stored with LF line ends; codes may carry CR LF. */
    static String normalized(String text) {
        return text.replace("\r\n", "\n");
    }

    /** The frame turned counter-clockwise by {@code degrees} (0, 90, 180 or 270), as numpy's rot90 turns it for the peers. */
    static Frame rotated(Frame f, int degrees) {
        if (degrees == 0) {
            return f;
        }
        int w = f.width();
        int h = f.height();
        byte[] src = f.luma();
        int s = f.stride();
        boolean swap = degrees != 180;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] out = new byte[ow * oh];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (degrees) {
                    case 90 -> { sx = w - 1 - y; sy = x; }
                    case 180 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 270 -> { sx = y; sy = h - 1 - x; }
                    default -> throw new IllegalArgumentException("rotation must be 0, 90, 180 or 270, got " + degrees);
                }
                out[y * ow + x] = src[sy * s + sx];
            }
        }
        return new Frame(out, ow, oh, ow, f.sequence(), f.monotonicNanos());
    }

    static double percentile(double[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
