package ckp.kiosk.publish;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
import ckp.kiosk.config.ValueType;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
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

    static final ConfigKey<List<URI>> URIS = ConfigKey.required("mqtt.uris", ValueType.listOf(brokerUri()),
            "comma-separated broker URIs, tcp://host:port or ssl://host:port, tried in order");
    static final ConfigKey<String> USERNAME = ConfigKey.optional("mqtt.username", ValueType.text(),
            "MQTT user name, when the broker uses passwords");
    static final ConfigKey<Path> PASSWORD_FILE = ConfigKey.optional("mqtt.password.file", ValueType.readableFile(),
            "file holding the MQTT password (one line); never put it in this file");
    static final ConfigKey<Path> TLS_CA = ConfigKey.optional("mqtt.tls.ca", ValueType.readableFile(),
            "PEM file of the CA that signs the broker's certificate (needed for ssl://)");
    static final ConfigKey<Path> TLS_CERT = ConfigKey.optional("mqtt.tls.cert", ValueType.readableFile(),
            "PEM file of this kiosk's client certificate");
    static final ConfigKey<Path> TLS_KEY = ConfigKey.optional("mqtt.tls.key", ValueType.readableFile(),
            "PEM file of this kiosk's private key (mode 0600)");
    static final ConfigKey<String> TOPIC_PREFIX = ConfigKey.withDefault("mqtt.topic.prefix",
            ValueType.matching(Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*"),
                    "topic levels of A-Z a-z 0-9 _ - separated by /"), "ckp/v1", "first topic levels of every message");
    static final ConfigKey<Duration> RECONNECT_MAX = ConfigKey.withDefault("mqtt.reconnect.max.seconds",
            ValueType.seconds(1, 3600), "120", "cap of the reconnect backoff, seconds");
    static final ConfigKey<Integer> INFLIGHT_MAX = ConfigKey.withDefault("mqtt.inflight.max",
            ValueType.integer(1, 65535), "10", "QoS 1 messages awaiting PUBACK at once, capped by the broker's "
                    + "receive maximum");
    static final ConfigKey<Duration> KEEPALIVE = ConfigKey.withDefault("mqtt.keepalive.seconds",
            ValueType.seconds(5, 600), "30", "MQTT keep-alive interval, seconds");
    static final ConfigKey<Double> DRAIN_RATE = ConfigKey.withDefault("mqtt.drain.rate",
            ValueType.decimal(0.1, 100_000), "50", "messages per second a backlog is sent at after an outage; live "
                    + "messages go first");
    static final ConfigKey<Duration> TELEMETRY_INTERVAL = ConfigKey.withDefault("telemetry.interval.seconds",
            ValueType.seconds(5, 86_400), "60", "seconds between telemetry samples");
    public static final List<ConfigKey<?>> KEYS = List.of(URIS, USERNAME, PASSWORD_FILE, TLS_CA, TLS_CERT, TLS_KEY,
            TOPIC_PREFIX, RECONNECT_MAX, INFLIGHT_MAX, KEEPALIVE, DRAIN_RATE, TELEMETRY_INTERVAL);

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
        List<URI> uris = s.get(URIS);
        boolean tls = uris.stream().anyMatch(u -> "ssl".equals(u.getScheme()));
        Optional<Path> ca = s.find(TLS_CA);
        Optional<Path> cert = s.find(TLS_CERT);
        Optional<Path> key = s.find(TLS_KEY);
        if (tls && ca.isEmpty()) {
            throw new ConfigException(TLS_CA.name(), "missing; an ssl:// broker URI needs the CA file that signs the broker");
        }
        if (cert.isPresent() != key.isPresent()) {
            throw new ConfigException(cert.isPresent() ? TLS_KEY.name() : TLS_CERT.name(),
                    "missing; mqtt.tls.cert and mqtt.tls.key go together");
        }
        return new MqttConfig(uris, s.find(USERNAME), s.find(PASSWORD_FILE), ca, cert, key, s.get(TOPIC_PREFIX),
                s.get(RECONNECT_MAX), s.get(INFLIGHT_MAX), s.get(KEEPALIVE), s.get(DRAIN_RATE),
                s.get(TELEMETRY_INTERVAL));
    }

    /**
     * One broker URI: tcp or ssl, a host and a port. A user name, path, query or fragment is a mistake Paho would
     * silently ignore, so it is refused.
     */
    private static ValueType<URI> brokerUri() {
        String allowed = "tcp://host:port or ssl://host:port, port 1-65535";
        return new ValueType<>(allowed, Optional.empty(), (text, dir) -> {
            URI uri;
            try {
                uri = new URI(text);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException(allowed);
            }
            if (!("tcp".equals(uri.getScheme()) || "ssl".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getPort() < 1 || uri.getPort() > 65535 || uri.getRawUserInfo() != null
                    || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                throw new IllegalArgumentException(allowed);
            }
            return uri;
        });
    }
}
