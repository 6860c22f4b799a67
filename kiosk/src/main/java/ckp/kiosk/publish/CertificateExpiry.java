package ckp.kiosk.publish;

import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.config.ConfigException;
import ckp.kiosk.message.Alarm;
import ckp.kiosk.message.AlarmCode;
import ckp.kiosk.message.AlarmState;
import ckp.kiosk.store.Outbox;
import ckp.kiosk.store.StoreException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The dates of the certificates the kiosk's TLS relies on ({@code mqtt.tls.ca}, {@code mqtt.tls.cert}), checked at
 * start and once a day: one that has expired is logged as an error and raises {@code tls-certificate-expired}
 * (critical: the kiosk cannot reach the broker); one that expires within 30 days raises
 * {@code tls-certificate-expiring} (warning), while the kiosk can still say so. Each is cleared once the file holds no
 * such certificate any more.
 */
public final class CertificateExpiry implements AutoCloseable {
    private static final TaggedLogger LOG = Logger.tag("publish");
    /** How long before a certificate's end the kiosk starts warning. */
    public static final Duration WARN_BEFORE = Duration.ofDays(30);
    private static final Duration RECHECK = Duration.ofDays(1);

    /**
     * One certificate that has expired or soon will.
     *
     * @param key the config key of the file, {@code mqtt.tls.ca} or {@code mqtt.tls.cert}
     */
    public record Finding(String key, Path file, String subject, Instant notAfter, boolean expired) {
        public Finding {
            Objects.requireNonNull(key);
            Objects.requireNonNull(file);
            Objects.requireNonNull(subject);
            Objects.requireNonNull(notAfter);
        }

        AlarmCode code() {
            return expired ? AlarmCode.TLS_CERTIFICATE_EXPIRED : AlarmCode.TLS_CERTIFICATE_EXPIRING;
        }

        /** Which alarm this is: one per file, certificate and code. */
        String identity() {
            return code().wire() + " " + key + " " + subject + " " + notAfter;
        }
    }

    private final MqttConfig mqtt;
    private final Outbox outbox;
    private final ClockStatus clock;
    private final Map<String, Finding> raised = new HashMap<>();
    private Thread thread;
    private volatile boolean running = true;

    public CertificateExpiry(MqttConfig mqtt, Outbox outbox, ClockStatus clock) {
        this.mqtt = Objects.requireNonNull(mqtt);
        this.outbox = Objects.requireNonNull(outbox);
        this.clock = Objects.requireNonNull(clock);
    }

    /** The certificates of the TLS files that have expired at {@code now} or do within {@link #WARN_BEFORE}. */
    public static List<Finding> check(MqttConfig mqtt, Instant now) {
        List<Finding> out = new ArrayList<>();
        check("mqtt.tls.ca", mqtt.tlsCa(), now, out);
        check("mqtt.tls.cert", mqtt.tlsCert(), now, out);
        return out;
    }

    private static void check(String key, Optional<Path> file, Instant now, List<Finding> out) {
        if (file.isEmpty()) {
            return;
        }
        List<X509Certificate> certs;
        try {
            certs = TlsContexts.certificates(file.get(), key);
        } catch (ConfigException e) {
            LOG.error("certificate dates not checked: {}", e.getMessage());
            return;
        }
        for (X509Certificate c : certs) {
            Instant notAfter = c.getNotAfter().toInstant();
            if (!notAfter.isAfter(now.plus(WARN_BEFORE))) {
                out.add(new Finding(key, file.get(), c.getSubjectX500Principal().toString(), notAfter,
                        !notAfter.isAfter(now)));
            }
        }
    }

    /** Checks now: logs every finding, raises an alarm for each new one and clears those that are gone. */
    public synchronized void checkNow() {
        Instant now = clock.now();
        Map<String, Finding> found = new HashMap<>();
        for (Finding f : check(mqtt, now)) {
            found.put(f.identity(), f);
            if (f.expired()) {
                LOG.error("{}: the certificate {} in {} expired on {}; {}", f.key(), f.subject(), f.file(),
                        f.notAfter(), f.key().equals("mqtt.tls.ca") ? "no broker it signed is trusted; replace the CA file"
                                : "the broker will refuse this kiosk; renew it (kioskctl provision)");
            } else {
                LOG.warn("{}: the certificate {} in {} expires on {} ({} day(s) left); renew it", f.key(),
                        f.subject(), f.file(), f.notAfter(), Duration.between(now, f.notAfter()).toDays());
            }
            if (!raised.containsKey(f.identity()) && alarm(f, AlarmState.RAISED, now)) {
                raised.put(f.identity(), f);
            }
        }
        for (Finding gone : List.copyOf(raised.values())) {
            if (!found.containsKey(gone.identity()) && alarm(gone, AlarmState.CLEARED, now)) {
                raised.remove(gone.identity());
            }
        }
    }

    private boolean alarm(Finding f, AlarmState state, Instant now) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("key", f.key());
        detail.put("file", f.file().toString());
        detail.put("subject", f.subject());
        detail.put("notAfter", f.notAfter().toString());
        detail.put("daysLeft", Duration.between(now, f.notAfter()).toDays());
        String message = state == AlarmState.CLEARED ? "the certificate " + f.subject() + " of " + f.key()
                + " was replaced"
                : f.expired() ? "the certificate " + f.subject() + " of " + f.key() + " expired on " + f.notAfter()
                        : "the certificate " + f.subject() + " of " + f.key() + " expires on " + f.notAfter()
                                + "; renew it";
        try {
            outbox.record(new Alarm(f.code(), state, message, detail));
            return true;
        } catch (StoreException e) {
            LOG.error("{} alarm not recorded: {}", f.code().wire(), e.getMessage());
            return false;
        }
    }

    /** Checks again once a day on a thread of its own (a kiosk runs for months; certificates do not). */
    public void start() {
        thread = Thread.ofPlatform().name("certificate-dates").daemon().start(() -> {
            while (running) {
                try {
                    Thread.sleep(RECHECK);
                } catch (InterruptedException e) {
                    return;
                }
                checkNow();
            }
        });
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
