package ckp.kiosk.publish;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How the kiosk reaches the central broker.
 *
 * @param uris          failover list, tried in order
 * @param topicPrefix   first topic levels, e.g. {@code ckp/v1}
 * @param tlsCa         PEM CA bundle that signs the broker's certificate (for {@code ssl://})
 * @param tlsCert       this kiosk's PEM client certificate
 * @param tlsKey        this kiosk's PEM private key
 * @param drainRatePerSecond how fast a backlog is sent after an outage (live messages are not paced)
 * @param telemetryInterval  how often a telemetry sample is committed
 */
public record MqttConfig(List<URI> uris, Optional<String> username, Optional<Path> passwordFile,
                         Optional<Path> tlsCa, Optional<Path> tlsCert, Optional<Path> tlsKey,
                         String topicPrefix, Duration reconnectMax, int inflightMax, Duration keepAlive,
                         double drainRatePerSecond, Duration telemetryInterval) {

    public static final List<ConfigKey> KEYS = List.of(
            ConfigKey.required("mqtt.uris", "comma-separated broker URIs, tcp://host:port or ssl://host:port, tried in order"),
            ConfigKey.optional("mqtt.username", "MQTT user name, when the broker uses passwords"),
            ConfigKey.optional("mqtt.password.file", "file holding the MQTT password (one line); never put it in this file"),
            ConfigKey.optional("mqtt.tls.ca", "PEM file of the CA that signs the broker's certificate (needed for ssl://)"),
            ConfigKey.optional("mqtt.tls.cert", "PEM file of this kiosk's client certificate"),
            ConfigKey.optional("mqtt.tls.key", "PEM file of this kiosk's private key (mode 0600)"),
            ConfigKey.withDefault("mqtt.topic.prefix", "ckp/v1", "first topic levels of every message"),
            ConfigKey.withDefault("mqtt.reconnect.max.seconds", "120", "cap of the reconnect backoff (1-3600)"),
            ConfigKey.withDefault("mqtt.inflight.max", "10", "QoS 1 messages awaiting PUBACK at once (1-65535; capped by the broker's receive maximum)"),
            ConfigKey.withDefault("mqtt.keepalive.seconds", "30", "MQTT keep-alive interval (5-600)"),
            ConfigKey.withDefault("mqtt.drain.rate", "50", "messages per second a backlog is sent at after an outage; live messages go first (0.1-100000)"),
            ConfigKey.withDefault("telemetry.interval.seconds", "60", "seconds between telemetry samples (5-86400)"));

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");

    public MqttConfig {
        uris = List.copyOf(uris);
        if (uris.isEmpty()) {
            throw new IllegalArgumentException("at least one broker URI is needed");
        }
        Objects.requireNonNull(topicPrefix);
        if (!(drainRatePerSecond >= 0.1)) {
            throw new IllegalArgumentException("mqtt.drain.rate must be at least 0.1 messages/s, got " + drainRatePerSecond);
        }
        Objects.requireNonNull(telemetryInterval);
    }

    public static MqttConfig from(Settings s) throws ConfigException {
        List<URI> uris = new ArrayList<>();
        boolean tls = false;
        for (String u : s.list("mqtt.uris")) {
            URI uri;
            try {
                uri = new URI(u);
            } catch (Exception e) {
                throw Settings.bad("mqtt.uris", u, "tcp://host:port or ssl://host:port, port 1-65535");
            }
            // A user name, path, query or fragment in a broker URI is a mistake Paho would silently ignore.
            if (!("tcp".equals(uri.getScheme()) || "ssl".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getPort() < 1 || uri.getPort() > 65535 || uri.getRawUserInfo() != null
                    || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                throw Settings.bad("mqtt.uris", u, "tcp://host:port or ssl://host:port, port 1-65535");
            }
            tls |= "ssl".equals(uri.getScheme());
            uris.add(uri);
        }
        Optional<Path> ca = optionalFile(s, "mqtt.tls.ca");
        Optional<Path> cert = optionalFile(s, "mqtt.tls.cert");
        Optional<Path> key = optionalFile(s, "mqtt.tls.key");
        if (tls && ca.isEmpty()) {
            throw new ConfigException("mqtt.tls.ca", "missing; an ssl:// broker URI needs the CA file that signs the broker");
        }
        if (cert.isPresent() != key.isPresent()) {
            throw new ConfigException(cert.isPresent() ? "mqtt.tls.key" : "mqtt.tls.cert",
                    "missing; mqtt.tls.cert and mqtt.tls.key go together");
        }
        Optional<Path> passwordFile = optionalFile(s, "mqtt.password.file");
        return new MqttConfig(uris, s.optional("mqtt.username"), passwordFile, ca, cert, key,
                s.matching("mqtt.topic.prefix", PREFIX, "topic levels of A-Z a-z 0-9 _ - separated by /"),
                s.seconds("mqtt.reconnect.max.seconds", 1, 3600),
                s.integer("mqtt.inflight.max", 1, 65535),
                s.seconds("mqtt.keepalive.seconds", 5, 600),
                s.decimal("mqtt.drain.rate", 0.1, 100_000),
                s.seconds("telemetry.interval.seconds", 5, 86_400));
    }

    private static Optional<Path> optionalFile(Settings s, String key) throws ConfigException {
        if (s.optional(key).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(s.readableFile(key));
    }
}
