package ckp.kiosk.aim;

import ckp.drivers.camera.Frame;
import ckp.drivers.camera.FrameSource;
import ckp.drivers.thermometer.ThermometerSample;
import ckp.kiosk.lane.LaneCycle;
import ckp.kiosk.scan.QrDecoder;
import ckp.kiosk.scan.RepeatFilter;
import ckp.kiosk.scan.Scanner;
import ckp.kiosk.screening.ThermometerHealth;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the aiming view costs the decoder: decode frames per second with nobody watching and with a viewer that
 * asks for the picture and the figures as the page does (every 400 ms), in alternating rounds so drift in the
 * machine's load falls on both. The camera is a source that always has a frame ready (alternately a pass-sized code
 * and an empty scene, seeded noise), so the decoder, not the camera, sets the rate. Prints figures, asserts nothing.
 *
 * <p>{@code java -cp simulator/target/simulator.jar ckp.kiosk.aim.AimBenchmark [seconds-per-round=10] [rounds=3] [WxH=640x480]}
 */
public final class AimBenchmark {
    private AimBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String[] size = (args.length > 2 ? args[2] : "640x480").split("x");
        int width = Integer.parseInt(size[0]);
        int height = Integer.parseInt(size[1]);
        List<byte[]> planes = List.of(plane(width, height, true), plane(width, height, false));
        QrDecoder decoder = new QrDecoder();
        System.out.println("warming the decoder up ...");
        decoder.warmUp();
        Scanner scanner = new Scanner(new EagerSource(planes, width, height), decoder,
                new RepeatFilter(Duration.ofSeconds(5)), s -> { });
        AimView view = new AimView(new AimSources(scanner::newest, scanner::framesDecoded,
                () -> new ThermometerHealth("none", ThermometerSample.Status.OK, 0, ""), Optional::empty,
                () -> LaneCycle.State.IDLE), Instant::now);
        scanner.start();
        view.start();
        AimServer server = AimServer.start(new AimConfig(freePort(), InetAddress.getLoopbackAddress(),
                Optional.empty()), view);
        URI base = URI.create("http://127.0.0.1:" + server.address().getPort());
        System.out.printf(Locale.ROOT, "aiming view benchmark: %dx%d frames (code, empty alternately), %d s rounds, "
                + "%d cores, %s%n", width, height, seconds, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.version"));
        Thread.sleep(2000);
        double[] without = new double[rounds];
        double[] with = new double[rounds];
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int r = 0; r < rounds; r++) {
                without[r] = round(scanner, seconds, null, view);
                long before = view.picturesMade();
                with[r] = round(scanner, seconds, () -> {
                    for (String path : List.of("/snapshot.jpg", "/status.json")) {
                        http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
                    }
                    return null;
                }, view);
                System.out.printf(Locale.ROOT, "round %d: no viewer %6.1f frames/s   viewer %6.1f frames/s   "
                        + "(%d pictures made while watched)%n", r + 1, without[r], with[r], view.picturesMade() - before);
                // The view rests once nobody has asked for WATCH_SPAN: wait that out before the next unwatched round.
                Thread.sleep(AimView.WATCH_SPAN.toMillis() + 500);
            }
        } finally {
            server.close();
            scanner.close();
        }
        System.out.printf(Locale.ROOT, "picture cost: %.1f ms CPU each (quality + JPEG, %d pictures): %.1f%% of one core at "
                + "%d pictures/s while watched, none while not%n", view.pictureCpuNanos() / 1e6 / Math.max(1, view.picturesMade()),
                view.picturesMade(), view.pictureCpuNanos() / 1e7 / Math.max(1, view.picturesMade()) * AimView.SNAPSHOTS_PER_SECOND,
                AimView.SNAPSHOTS_PER_SECOND);
        System.out.printf(Locale.ROOT, "median: no viewer %.1f frames/s, viewer %.1f frames/s (%+.1f%%)%n",
                median(without), median(with), 100 * (median(with) - median(without)) / median(without));
        System.exit(0);
    }

    private static double round(Scanner scanner, int seconds, java.util.concurrent.Callable<Void> viewer, AimView view)
            throws Exception {
        AtomicBoolean on = new AtomicBoolean(true);
        Thread client = null;
        if (viewer != null) {
            client = Thread.ofPlatform().daemon().name("viewer").start(() -> {
                while (on.get()) {
                    try {
                        viewer.call();
                        Thread.sleep(400);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        System.out.println("viewer: " + e);
                    }
                }
            });
            Thread.sleep(1000); // the first picture loads ImageIO: not part of the steady cost
        }
        long f0 = scanner.framesDecoded();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        double fps = (scanner.framesDecoded() - f0) * 1e9 / (System.nanoTime() - t0);
        on.set(false);
        if (client != null) {
            client.join();
        }
        return fps;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A gray scene with sensor-like noise, with a code about a third of the frame wide when {@code code}. */
    private static byte[] plane(int w, int h, boolean code) throws WriterException {
        Random random = new Random(16);
        byte[] luma = new byte[w * h];
        for (int i = 0; i < luma.length; i++) {
            luma[i] = (byte) (120 + random.nextInt(30));
        }
        if (code) {
            BitMatrix m = new QRCodeWriter().encode("CKP1:BENCHMARK-" + "X".repeat(120), BarcodeFormat.QR_CODE, 0, 0);
            int module = Math.max(2, w / 3 / m.getWidth());
            int x0 = (w - m.getWidth() * module) / 2;
            int y0 = (h - m.getHeight() * module) / 2;
            for (int y = 0; y < m.getHeight() * module; y++) {
                for (int x = 0; x < m.getWidth() * module; x++) {
                    luma[(y0 + y) * w + x0 + x] = (byte) (m.get(x / module, y / module) ? 35 : 215);
                }
            }
        }
        return luma;
    }

    /** A camera that always has the next frame ready: the decoder sets the pace. */
    private static final class EagerSource implements FrameSource {
        private final List<byte[]> planes;
        private final int width;
        private final int height;
        private long sequence;

        EagerSource(List<byte[]> planes, int width, int height) {
            this.planes = planes;
            this.width = width;
            this.height = height;
        }

        @Override
        public Optional<Frame> next() throws InterruptedException {
            // One frame per millisecond at most: the slot always holds a fresh one, the reader does not spin.
            Thread.sleep(1);
            byte[] plane = planes.get((int) (sequence % planes.size()));
            return Optional.of(new Frame(plane, width, height, width, sequence++, System.nanoTime()));
        }

        @Override
        public String describe() {
            return "benchmark frames";
        }

        @Override
        public void close() {
        }
    }
}
