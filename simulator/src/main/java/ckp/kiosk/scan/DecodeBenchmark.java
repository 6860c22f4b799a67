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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import boofcv.factory.fiducial.ConfigQrCode;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Scores the decoder on folders of images with the expected text beside them ({@code N.png} and {@code N.txt}; an
 * image without a {@code .txt} must yield no code), as {@code ../shared/bench/qr-peers.py} scores the peers, and times
 * it in-process on the luma plane already in memory. Run by {@code kiosk/bin/bench-decode}:
 * <pre>java -cp simulator.jar ckp.kiosk.scan.DecodeBenchmark DIR... [--rotations] [--repeat N] [--budget-ms N] [--wall-cut-off]
 *     [--steps HYBRID,INVERTED,...] [--misses] [--no-peers] [--cpu]</pre>
 * It prints one line per decoder, folder and rotation ({@code ours folder@rot found/total misreads=N}) and the
 * decode time per image, then for each decoder the times of every 640x480 image together. Besides ours, BoofCV runs as a peer in the same JVM (called as a library, default settings,
 * alone and with an inverted retry), unless {@code --no-peers}; {@code --steps} tries the steps in the order given.
 */
public final class DecodeBenchmark {
    /** One image of a scored folder: its luma and the expected text, empty for an image that holds no code. */
    record Sample(String name, Frame frame, Optional<String> expected, Set<String> inFrame) {
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
        boolean peers = true;
        boolean wallCutOff = false;
        Duration budget = Duration.ofMillis(ScanConfig.DEFAULT_BUDGET_MILLIS);
        List<DecodeStep> steps = List.of(DecodeStep.values());
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rotations" -> rotations = true;
                case "--misses" -> misses = true;
                case "--no-peers" -> peers = false;
                case "--cpu" -> cpuTime = true;
                case "--wall-cut-off" -> wallCutOff = true;
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
        // The wall-clock cut-off (twice the budget) runs on the thread's CPU clock unless --wall-cut-off asks for the
        // wall clock: on a kiosk's own core the two are close, and on this shared machine the wall clock would end
        // frames whenever a neighbour's build ran, so the figures would measure the neighbours.
        QrDecoder ours = wallCutOff
                ? new QrDecoder(budget, steps, true)
                : new QrDecoder(budget, budget.multipliedBy(QrDecoder.WALL_CUT_OFF_FACTOR), steps, true,
                        QrDecoder::threadCpuNanos, QrDecoder::threadCpuNanos);
        long warmUpStart = System.nanoTime();
        ours.warmUp();
        System.err.printf(Locale.ROOT, "warm-up %.1f s%n", (System.nanoTime() - warmUpStart) / 1e9);
        Map<String, FrameDecoder> decoders = new LinkedHashMap<>();
        decoders.put("ours", ours);
        if (peers) {
            // BoofCV as a library with its default settings, as an integrator would call it, and with the inverted retry the other peers get.
            BoofQrReader boof = new BoofQrReader(new ConfigQrCode());
            decoders.put("boofcv", frame -> boofcvDefault(boof, frame, false));
            decoders.put("boofcv+invert", frame -> {
                List<DecodedCode> codes = boofcvDefault(boof, frame, false);
                return codes.isEmpty() ? boofcvDefault(boof, frame, true) : codes;
            });
        }
        Map<String, int[]> byStep = new TreeMap<>();
        for (var named : decoders.entrySet()) {
            String name = named.getKey();
            FrameDecoder decoder = named.getValue();
            List<Double> millis = new ArrayList<>();
            List<Double> vgaMillis = new ArrayList<>();
            int totalFound = 0;
            int total = 0;
            int totalMisreads = 0;
            for (Path dir : dirs) {
                List<Sample> samples = load(dir);
                // Warm-up: the JIT compiles the decoder on a first untimed pass, as it has long since done in a running kiosk.
                score(decoder, dir.getFileName().toString(), samples, 0, 1, null);
                for (int rotation : rotations ? new int[] {0, 90, 180, 270} : new int[] {0}) {
                    List<Double> folderMillis = new ArrayList<>();
                    byStep.clear();
                    Score s = score(decoder, dir.getFileName().toString(), samples, rotation, repeat, folderMillis,
                            decoder == ours ? byStep : null);
                    millis.addAll(folderMillis);
                    for (int k = 0; k < samples.size(); k++) {
                        Frame f = samples.get(k).frame();
                        if (f.width() * f.height() == 640 * 480) {
                            vgaMillis.add(folderMillis.get(k));
                        }
                    }
                    double[] fm = folderMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                    totalFound += s.found();
                    total += s.total();
                    totalMisreads += s.misreads();
                    System.out.printf(Locale.ROOT, "%s %s@%d %d/%d misreads=%d images=%d median_ms=%.2f p95_ms=%.2f mean_ms=%.2f%n",
                            name, s.folder(), s.rotation(), s.found(), s.total(), s.misreads(), fm.length, percentile(fm, 50),
                            percentile(fm, 95), Arrays.stream(fm).average().orElse(0));
                    if (misses && !s.misses().isEmpty()) {
                        System.out.println("  missed: " + String.join(" ", s.misses()));
                    }
                    if (misses && decoder == ours) {
                        StringBuilder b = new StringBuilder("  read by step:");
                        byStep.forEach((step, n) -> b.append(' ').append(step).append('=').append(n[0])
                                .append(String.format(Locale.ROOT, "(%.1f ms)", n[1] / 1000.0 / n[0])));
                        System.out.println(b);
                    }
                }
            }
            double[] vga = vgaMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (vga.length > 0) {
                System.out.printf(Locale.ROOT, "%s 640x480 images=%d median_ms=%.2f p95_ms=%.2f mean_ms=%.2f max_ms=%.2f%n", name,
                        vga.length, percentile(vga, 50), percentile(vga, 95), Arrays.stream(vga).average().orElse(0),
                        vga[vga.length - 1]);
            }
            double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "%s total %d/%d misreads=%d images=%d median_ms=%.2f p95_ms=%.2f mean_ms=%.2f max_ms=%.2f%s%n",
                    name, totalFound, total, totalMisreads, sorted.length, percentile(sorted, 50), percentile(sorted, 95),
                    Arrays.stream(sorted).average().orElse(0), sorted.length == 0 ? 0 : sorted[sorted.length - 1],
                    decoder == ours ? " steps=" + steps + " budget_ms=" + budget.toMillis()
                            + " cut_offs=" + ours.wallCutOffs() + (wallCutOff ? " (wall clock)" : " (cut-off on CPU time)") : "");
        }
    }

    /**
     * With {@code --cpu}, the decoding thread's CPU time rather than the wall clock: on a machine shared with other
     * builds, preemption inflates wall times, while CPU time still compares steps with each other. Peers outside the
     * JVM are timed by the wall clock, so ratios to them use the default.
     */
    private static boolean cpuTime;
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private static long now() {
        return cpuTime ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** BoofCV's detector with its default settings: the codes it reads, with its own text. */
    private static List<DecodedCode> boofcvDefault(BoofQrReader boof, Frame frame, boolean inverted) {
        LumaPlane plane = LumaPlane.of(frame.luma(), frame.width(), frame.height(), frame.stride());
        List<DecodedCode> out = new ArrayList<>();
        for (BoofQrReader.Found f : boof.find(plane, inverted)) {
            if (f.read()) {
                List<DecodedCode.Point> corners = new ArrayList<>();
                for (int k = 0; k < 4; k++) {
                    corners.add(new DecodedCode.Point((float) f.bounds().get(k).x, (float) f.bounds().get(k).y));
                }
                out.add(new DecodedCode(f.boofText(), corners));
            }
        }
        return out;
    }

    static Score score(FrameDecoder decoder, String folder, List<Sample> samples, int rotation, int repeat, List<Double> millis) {
        return score(decoder, folder, samples, rotation, repeat, millis, null);
    }

    /** Decodes every sample at one rotation; each image's time is the best of {@code repeat} runs, as qr-peers.py takes it. */
    static Score score(FrameDecoder decoder, String folder, List<Sample> samples, int rotation, int repeat, List<Double> millis,
                       Map<String, int[]> byStep) {
        int found = 0;
        int total = 0;
        int misreads = 0;
        List<String> missed = new ArrayList<>();
        for (Sample sample : samples) {
            Frame frame = rotated(sample.frame(), rotation);
            List<DecodedCode> codes = List.of();
            long best = Long.MAX_VALUE;
            for (int r = 0; r < Math.max(1, repeat); r++) {
                long t0 = now();
                codes = decoder.decode(frame);
                best = Math.min(best, now() - t0);
            }
            if (millis != null) {
                millis.add(best / 1e6);
            }
            if (byStep != null && decoder instanceof QrDecoder q) {
                int[] n = byStep.computeIfAbsent(q.lastReadBy().map(Enum::name).orElse("none"), k -> new int[2]);
                n[0]++;
                n[1] += (int) (best / 1000);
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
            // A read of another code the frame shows (a multi-code frame's non-pass codes) is right, not a misread.
            boolean misread = texts.stream().anyMatch(t -> !t.equals(sample.expected().get()) && !sample.inFrame().contains(t));
            if (misread) {
                misreads++;
            }
            if (texts.contains(sample.expected().get())) {
                found++;
                if (misread) {
                    missed.add(sample.name() + "(misread)");
                }
            } else {
                missed.add(sample.name() + (misread ? "(misread)" : ""));
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
            String stem = name.substring(0, name.lastIndexOf('.'));
            Path txt = dir.resolve(stem + ".txt");
            Optional<String> expected = Files.exists(txt)
                    ? Optional.of(normalized(Files.readString(txt, StandardCharsets.UTF_8))) : Optional.empty();
            out.add(new Sample(name, Luma.of(img, 0, 0), expected, codesInFrame(dir.resolve(stem + ".conditions.txt"))));
        }
        return out;
    }

    /**
     * Every code a generated frame shows, from the lines after {@code codes:} in its {@code N.conditions.txt}
     * (KioskFrameGenerator's multi-code frames); empty when there is no such file or line.
     */
    static Set<String> codesInFrame(Path conditions) throws IOException {
        if (!Files.exists(conditions)) {
            return Set.of();
        }
        List<String> lines = Files.readAllLines(conditions, StandardCharsets.UTF_8);
        int at = lines.indexOf("codes:");
        return at < 0 ? Set.of() : Set.copyOf(lines.subList(at + 1, lines.size()).stream().filter(l -> !l.isEmpty()).toList());
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
