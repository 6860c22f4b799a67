package ckp.provisioning.aim;

import ckp.kiosk.KioskConfig;
import ckp.kiosk.aim.AimConfig;
import ckp.kiosk.config.ConfigException;
import ckp.provisioning.status.ServiceState;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code kioskctl aim}: where the running service's aiming view is, from the kiosk's config: the address to open and
 * the {@code ssh -L} line for a laptop; whether the view answers; and with {@code --snapshot FILE.jpg} one picture
 * saved for a ticket or a phone.
 */
@Command(name = "aim", mixinStandardHelpOptions = true,
        description = "The aiming view's address and ssh line; --snapshot saves one picture of what the camera sees.")
public final class AimCommand implements Callable<Integer> {
    /** The port the ssh line forwards on the technician's laptop. */
    static final int LAPTOP_PORT = 8080;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", description = "default: ${DEFAULT-VALUE}")
    Path config = Path.of("/etc/checkpoint-kiosk/kiosk.properties");

    @Option(names = "--snapshot", paramLabel = "FILE.jpg", description = "save the newest picture (JPEG) to this file")
    Path snapshot;

    @Option(names = "--host", description = "the kiosk's name in the printed ssh line (default: ${DEFAULT-VALUE})")
    String host = "kiosk";

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return show(out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int show(PrintWriter out, PrintWriter err) {
        AimConfig aim;
        try {
            aim = KioskConfig.load(config).aim();
        } catch (ConfigException e) {
            err.println("config " + config + ": " + e.getMessage());
            return 78;
        }
        if (!aim.enabled()) {
            err.println("the aiming view is off: set aim.http.port (e.g. aim.http.port=8088) in " + config
                    + " and restart the service (systemctl restart checkpoint-kiosk)");
            return 1;
        }
        // From the kiosk itself (and through the ssh tunnel) the view is reached on loopback unless it is bound to
        // one other address only.
        InetAddress bind = aim.bind();
        String target = bind.isAnyLocalAddress() || bind.isLoopbackAddress() ? "127.0.0.1" : literal(bind);
        String query = aim.token().map(t -> "?token=" + t).orElse("");
        out.println("service:   checkpoint-kiosk " + ServiceState.of("checkpoint-kiosk"));
        out.println("on kiosk:  http://" + target + ":" + aim.port() + "/" + query);
        out.println("ssh line:  ssh -L " + LAPTOP_PORT + ":" + target + ":" + aim.port() + " " + host);
        out.println("laptop:    http://localhost:" + LAPTOP_PORT + "/" + query + "   (after the ssh line, in the laptop's browser)");
        if (!bind.isLoopbackAddress()) {
            out.println("network:   http://" + (bind.isAnyLocalAddress() ? "KIOSK-ADDRESS" : literal(bind)) + ":"
                    + aim.port() + "/" + query + "   (bound beyond loopback: the token is required)");
        }
        URI base = URI.create("http://" + target + ":" + aim.port());
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            if (snapshot != null) {
                HttpResponse<byte[]> r = http.send(request(base.resolve("/snapshot.jpg"), aim),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    err.println("the view answered " + r.statusCode() + " for the picture: " + new String(r.body(),
                            java.nio.charset.StandardCharsets.UTF_8).strip());
                    return 1;
                }
                Path tmp = Files.createTempFile(snapshot.toAbsolutePath().getParent(), ".aim-", ".jpg");
                Files.write(tmp, r.body());
                Files.move(tmp, snapshot, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                out.println("snapshot:  " + snapshot + " (" + r.body().length / 1024 + " KiB)");
            } else {
                HttpResponse<String> r = http.send(request(base.resolve("/status.json"), aim),
                        HttpResponse.BodyHandlers.ofString());
                out.println("answers:   " + (r.statusCode() == 200 ? "yes" : "HTTP " + r.statusCode()));
            }
            return 0;
        } catch (IOException e) {
            err.println("the aiming view does not answer at " + base + " (" + e.getMessage()
                    + "): is the service running with this config? systemctl status checkpoint-kiosk");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static HttpRequest request(URI uri, AimConfig aim) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15));
        aim.token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b.build();
    }

    private static String literal(InetAddress a) {
        return a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
    }
}
