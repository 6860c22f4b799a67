package ckp.kiosk.aim;

import ckp.drivers.camera.Cameras;
import ckp.drivers.time.Ticker;
import ckp.drivers.thermometer.ThermometerSample;
import ckp.kiosk.lane.LaneCycle;
import ckp.kiosk.scan.QrDecoder;
import ckp.kiosk.scan.RepeatFilter;
import ckp.kiosk.scan.Scanner;
import ckp.kiosk.screening.ThermometerHealth;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The aiming view wired as the kiosk wires it, in process: a real scanner with the real decoder playing a folder of
 * frames in a loop, the real view and server; the thermometer and the lane are fixed values (hand-written fakes).
 */
final class AimRig implements AutoCloseable {
    static final ThermometerHealth THERMOMETER = new ThermometerHealth("sim mlx90614@0x5a",
            ThermometerSample.Status.OK, 0, "");
    static final ThermometerSample SAMPLE = ThermometerSample.ok(3662, 2150);

    final Scanner scanner;
    final AimView view;
    final AimServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    AimRig(Path frames, AimConfig config) throws IOException {
        scanner = new Scanner(Cameras.imageFolder(frames, 10, 1, true, Ticker.system()), new QrDecoder(), new RepeatFilter(Duration.ofSeconds(5)),
                sighting -> { });
        view = new AimView(new AimSources(scanner::newest, scanner::framesDecoded, () -> THERMOMETER,
                () -> Optional.of(SAMPLE), () -> LaneCycle.State.IDLE), Instant::now);
        scanner.start();
        view.start();
        server = AimServer.start(config, view);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }

    HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Waits until the scanner has decoded a frame, so a snapshot has something to show. */
    void awaitFirstFrame() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (scanner.newest().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the scanner decoded no frame within 60 s");
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        server.close();
        scanner.close();
        http.close();
    }
}
