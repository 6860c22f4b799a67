package ckp.kiosk.simulate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The demo's Mosquitto: a child process on a free loopback port (never the system's 1883) with anonymous access and
 * a config of its own in the demo's folder, stopped with the demo.
 */
public final class MosquittoProcess implements LocalBroker {
    private final Process process;
    private final int port;

    private MosquittoProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The mosquitto binary, when installed (Debian puts it in /usr/sbin, which may not be on PATH). */
    public static Optional<Path> binary() {
        Stream<String> candidates = Stream.concat(
                Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).filter(s -> !s.isEmpty()),
                Stream.of("/usr/sbin", "/usr/local/sbin", "/usr/bin"));
        return candidates.map(d -> Path.of(d, "mosquitto")).filter(Files::isExecutable).findFirst();
    }

    /** Starts Mosquitto in {@code dir} and waits until it listens; an exit or a 10 s silence is an IOException. */
    public static MosquittoProcess start(Path dir) throws IOException {
        Path bin = binary().orElseThrow(() -> new IOException(
                "mosquitto is not installed; on Debian/Ubuntu: sudo apt-get install mosquitto"));
        Files.createDirectories(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path conf = dir.resolve("mosquitto.conf");
        StringBuilder sb = new StringBuilder();
        sb.append("listener ").append(port).append(" 127.0.0.1\n");
        sb.append("allow_anonymous true\n");
        if ("root".equals(System.getProperty("user.name"))) {
            // Started as root, Mosquitto drops to user 'mosquitto', which cannot read a 0700 temp folder.
            sb.append("user root\n");
        }
        sb.append("log_dest file ").append(dir.resolve("mosquitto.log").toAbsolutePath()).append("\n");
        Files.writeString(conf, sb.toString());
        Process process = new ProcessBuilder(bin.toString(), "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.out").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("mosquitto exited with status " + process.exitValue() + "; see "
                        + dir.resolve("mosquitto.out") + " and " + dir.resolve("mosquitto.log"));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new MosquittoProcess(process, port);
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    process.destroyForcibly();
                    throw new IOException("interrupted while starting mosquitto", e);
                }
            }
        }
        process.destroyForcibly();
        throw new IOException("mosquitto did not listen on port " + port + " within 10 s; see " + dir.resolve("mosquitto.log"));
    }

    @Override
    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public String describe() {
        return "mosquitto (pid " + process.pid() + ") on " + uri();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
