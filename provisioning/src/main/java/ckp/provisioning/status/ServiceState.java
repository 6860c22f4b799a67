package ckp.provisioning.status;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** The service's state as systemd reports it ({@code systemctl is-active}), or why it cannot be known. */
public final class ServiceState {
    private ServiceState() {
    }

    /** e.g. {@code active}, {@code inactive}, {@code failed}; {@code unknown (...)} without systemd. */
    public static String of(String unit) {
        try {
            Process p = new ProcessBuilder("systemctl", "is-active", unit).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unknown (systemctl did not answer)";
            }
            String state = out.lines().findFirst().orElse("");
            return state.matches("[a-z-]+") ? state : "unknown (" + (out.isEmpty() ? "no answer" : out) + ")";
        } catch (IOException e) {
            return "unknown (no systemctl: not running under systemd)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
