package ckp.kiosk.simulate;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real Mosquitto process on a loopback port, for the demo and the integration tests: never the system's 1883,
 * never a shared config. Extra configuration lines (ACLs, TLS listeners) are appended as given.
 */
public final class MosquittoBroker implements LocalBroker {
    private final Path dir;
    private final int port;
    private final List<String> extraConfig;
    private Process process;

    private MosquittoBroker(Path dir, int port, List<String> extraConfig) {
        this.dir = dir;
        this.port = port;
        this.extraConfig = List.copyOf(extraConfig);
    }

    /** The mosquitto binary, when installed (Debian puts it in /usr/sbin, which may not be on PATH). */
    public static Optional<Path> binary() {
        Stream<String> candidates = Stream.concat(
                Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).filter(s -> !s.isEmpty()),
                Stream.of("/usr/sbin", "/usr/local/sbin", "/usr/bin"));
        return candidates.map(d -> Path.of(d, "mosquitto")).filter(Files::isExecutable).findFirst();
    }

    /** Starts a broker on a free port with anonymous access and the given extra lines. */
    public static MosquittoBroker start(Path dir, List<String> extraConfig) throws IOException {
        MosquittoBroker b = new MosquittoBroker(dir, freePort(), extraConfig);
        b.startProcess();
        return b;
    }

    /** Starts a broker on a given port (to restart one on the port its clients know). */
    public static MosquittoBroker startOn(Path dir, int port, List<String> extraConfig) throws IOException {
        MosquittoBroker b = new MosquittoBroker(dir, port, extraConfig);
        b.startProcess();
        return b;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts the process again on the same port and config, e.g. after {@link #kill()}. */
    public void startProcess() throws IOException {
        Path bin = binary().orElseThrow(() -> new IOException(
                "mosquitto is not installed; on Debian/Ubuntu: sudo apt-get install mosquitto"));
        Files.createDirectories(dir);
        Path conf = dir.resolve("mosquitto.conf");
        StringBuilder sb = new StringBuilder();
        sb.append("listener ").append(port).append(" 127.0.0.1\n");
        sb.append("allow_anonymous true\n");
        if ("root".equals(System.getProperty("user.name"))) {
            // Started as root, Mosquitto drops to user 'mosquitto', which cannot read a test's 0700 temp folder: the
            // ACL would not load and the persistence file would silently not be written.
            sb.append("user root\n");
        }
        sb.append("persistence true\n");
        sb.append("persistence_location ").append(dir.toAbsolutePath()).append("/\n");
        sb.append("autosave_interval 1\n");
        sb.append("log_dest file ").append(dir.resolve("mosquitto.log").toAbsolutePath()).append("\n");
        sb.append("log_type error\nlog_type warning\nlog_type notice\n");
        for (String line : extraConfig) {
            sb.append(line).append('\n');
        }
        Files.writeString(conf, sb.toString());
        process = new ProcessBuilder(bin.toString(), "-c", conf.toString())
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
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while starting mosquitto", e);
                }
            }
        }
        throw new IOException("mosquitto did not listen on port " + port + " within 10 s");
    }

    @Override
    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path dir() {
        return dir;
    }

    /** kill -9: no clean shutdown, no persistence flush beyond what autosave wrote. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** kill -STOP: the process freezes with its sockets open, like a broker stuck in swap or a hung VM. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** kill -CONT after {@link #pause()}. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    /** kill -HUP: Mosquitto reloads its config, ACL and password files without dropping clients. */
    public void reload() throws IOException, InterruptedException {
        signal("HUP");
    }

    private void signal(String name) throws IOException, InterruptedException {
        // The shell's built-in kill: Java cannot send STOP/CONT/HUP, and /usr/bin/kill is not on every machine.
        Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -" + name + " " + process.pid()).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed with status " + kill.exitValue());
        }
    }

    @Override
    public String describe() {
        return "mosquitto (pid " + process.pid() + ") on " + uri();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
