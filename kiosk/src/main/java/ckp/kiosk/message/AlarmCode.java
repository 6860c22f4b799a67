package ckp.kiosk.message;

import java.util.Locale;

/**
 * Every alarm the kiosk raises, with its severity: the one list of codes on the {@code alarm} topic (docs/mqtt.md,
 * "Alarms"). On the wire a code is lower-case words joined by '-', e.g. {@code store-over-cap}.
 */
public enum AlarmCode {
    /** The broker refuses a topic (PUBACK reason code 0x80 or more). */
    PUBLISH_REJECTED(Severity.CRITICAL),
    /** A certificate in {@code mqtt.tls.ca} or {@code mqtt.tls.cert} ends within 30 days. */
    TLS_CERTIFICATE_EXPIRING(Severity.WARNING),
    /** A certificate in {@code mqtt.tls.ca} or {@code mqtt.tls.cert} has ended. */
    TLS_CERTIFICATE_EXPIRED(Severity.CRITICAL),
    /** A site message (the deny list, the plate watch rules) was refused: unsigned, unknown key, or not acceptable. */
    SITE_MESSAGE_REFUSED(Severity.CRITICAL),
    /** A revoked or forged pass was shown. */
    FRAUD_SUSPECTED(Severity.CRITICAL),
    /** The store file was corrupt at start and was moved aside: undelivered messages may be lost. */
    STORE_QUARANTINED(Severity.CRITICAL),
    /** The store file was deleted or replaced while open. */
    STORE_FILE_VANISHED(Severity.CRITICAL),
    /** Undelivered messages alone exceed {@code store.max.mb}; nothing is lost yet. */
    STORE_OVER_CAP(Severity.WARNING),
    /** Free disk is under {@code store.min.free.mb}: checkpoint events are refused. */
    STORE_BELOW_FLOOR(Severity.CRITICAL),
    /** A commit failed because the disk is full. */
    STORE_DISK_FULL(Severity.CRITICAL);

    private final Severity severity;

    AlarmCode(Severity severity) {
        this.severity = severity;
    }

    public Severity severity() {
        return severity;
    }

    /** The code on the wire, e.g. {@code publish-rejected}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
