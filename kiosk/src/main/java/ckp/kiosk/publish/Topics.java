package ckp.kiosk.publish;

import ckp.kiosk.config.KioskIdentity;
import java.util.Objects;

/** The kiosk's MQTT topics, all under {@code {prefix}/{site}/{lane}/{kiosk}/} (see docs/mqtt.md). */
public record Topics(String prefix, KioskIdentity kiosk) {
    public Topics {
        Objects.requireNonNull(prefix);
        Objects.requireNonNull(kiosk);
    }

    public String base() {
        return prefix + "/" + kiosk.site() + "/" + kiosk.lane() + "/" + kiosk.id();
    }

    public String event() {
        return base() + "/event";
    }

    public String telemetry() {
        return base() + "/telemetry";
    }

    public String status() {
        return base() + "/status";
    }

    public String alarm() {
        return base() + "/alarm";
    }

    public String lifecycle() {
        return base() + "/lifecycle";
    }

    /** Commands to this kiosk arrive on {@code cmd/<name>}. */
    public String commands() {
        return base() + "/cmd/+";
    }

    /** Where command responses go when the request names no (usable) response topic. */
    public String reply() {
        return base() + "/reply";
    }

    /**
     * The only subtree a command's response topic may name: {@code {prefix}/reply/}, apart from every kiosk's
     * {@code {base}/} and every site topic (no site is called {@code reply}).
     */
    public String replySubtree() {
        return prefix + "/" + KioskIdentity.RESERVED_SITE + "/";
    }

    /** The site's retained deny list, shared by every kiosk of the site. */
    public String siteDenylist() {
        return prefix + "/" + kiosk.site() + "/denylist";
    }
}
