package ckp.kiosk.aim;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
import ckp.kiosk.config.ValueType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The technician's aiming view: off unless a port is set; on loopback by default (reached through
 * {@code ssh -L 8080:127.0.0.1:PORT kiosk}); bound beyond loopback only with a token every request must carry.
 *
 * @param port  0: off
 * @param bind  the address the view listens on, an IP literal
 * @param token required on every request when present; present whenever {@code bind} is not a loopback address
 */
public record AimConfig(int port, InetAddress bind, Optional<String> token) {
    /** The shortest token accepted: 16 characters, enough not to be guessed over a lane's network. */
    public static final int MIN_TOKEN_LENGTH = 16;
    private static final Pattern IP_LITERAL = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    static final ConfigKey<Integer> PORT = ConfigKey.withDefault("aim.http.port", ValueType.integer(0, 65535), "0",
            "TCP port of the technician's aiming view (docs/technician-guide.md); 0: off");
    static final ConfigKey<String> BIND = ConfigKey.withDefault("aim.http.bind",
            ValueType.matching(IP_LITERAL, "an IP address such as 127.0.0.1, ::1 or 0.0.0.0 (no host names)"), "127.0.0.1",
            "IP address the aiming view listens on; beyond loopback (e.g. 0.0.0.0) aim.http.token is required");
    static final ConfigKey<String> TOKEN = ConfigKey.optional("aim.http.token", ValueType.text(),
            "secret every aiming-view request must carry (Authorization: Bearer TOKEN or ?token=TOKEN), at least 16 "
                    + "characters; required when aim.http.bind is not a loopback address");
    public static final List<ConfigKey<?>> KEYS = List.of(PORT, BIND, TOKEN);

    public AimConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(token, "token");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("aim.http.port is 0-65535, got " + port);
        }
        if (token.isPresent() && token.get().length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException("aim.http.token needs at least " + MIN_TOKEN_LENGTH + " characters");
        }
        if (port != 0 && !bind.isLoopbackAddress() && token.isEmpty()) {
            throw new IllegalArgumentException("aim.http.token is required to bind beyond loopback (" + bind.getHostAddress() + ")");
        }
    }

    /** The view off. */
    public static AimConfig off() {
        return new AimConfig(0, InetAddress.getLoopbackAddress(), Optional.empty());
    }

    public boolean enabled() {
        return port != 0;
    }

    public static AimConfig from(Settings s) throws ConfigException {
        int port = s.get(PORT);
        String bindText = s.get(BIND);
        InetAddress bind;
        try {
            // An IP literal only (the key's pattern): getByName then parses without asking DNS.
            bind = InetAddress.getByName(bindText);
        } catch (UnknownHostException e) {
            throw Settings.bad("aim.http.bind", bindText, "an IP address such as 127.0.0.1, ::1 or 0.0.0.0");
        }
        Optional<String> token = s.find(TOKEN);
        if (token.isPresent() && token.get().length() < MIN_TOKEN_LENGTH) {
            throw new ConfigException("aim.http.token", "too short (" + token.get().length() + " characters); use at least "
                    + MIN_TOKEN_LENGTH + ", e.g. the output of: openssl rand -hex 16");
        }
        if (port != 0 && !bind.isLoopbackAddress() && token.isEmpty()) {
            throw new ConfigException("aim.http.token", "missing; it is required when aim.http.bind (" + bindText
                    + ") is not a loopback address: set a secret of at least " + MIN_TOKEN_LENGTH
                    + " characters (openssl rand -hex 16), or bind to 127.0.0.1 and use ssh -L");
        }
        return new AimConfig(port, bind, token);
    }
}
