package ckp.kiosk.message;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The kiosk's MQTT topics, all under {@code {prefix}/{site}/{lane}/{kiosk}/} (see docs/mqtt.md). It also names the
 * kiosk in every message's header, so a payload and its topic can never disagree about who sent it.
 *
 * @param prefix the topic prefix, e.g. {@code ckp/v1}
 * @param kiosk  this kiosk's id
 */
public record Topics(String prefix, String site, String lane, String kiosk) {
    /** No site may be called so: {@code {prefix}/reply/} is the subtree where command responses go (docs/mqtt.md). */
    public static final String RESERVED_SITE = "reply";
    /** One topic level: MQTT levels must not hold '/', '+' or '#'. */
    private static final Pattern LEVEL = Pattern.compile("[^/+#]+");

    public Topics {
        Objects.requireNonNull(prefix);
        for (String level : new String[] {site, lane, kiosk}) {
            Objects.requireNonNull(level);
            if (!LEVEL.matcher(level).matches()) {
                throw new IllegalArgumentException("'" + level + "' cannot be a topic level: it must be non-empty and "
                        + "hold no '/', '+' or '#'");
            }
        }
        if (prefix.isEmpty() || prefix.contains("+") || prefix.contains("#")) {
            throw new IllegalArgumentException("'" + prefix + "' cannot be a topic prefix: it must be non-empty and "
                    + "hold no '+' or '#'");
        }
    }

    public String base() {
        return prefix + "/" + site + "/" + lane + "/" + kiosk;
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

    /** The topic a message of {@code cls} is committed for. */
    public String of(MessageClass cls) {
        return switch (cls) {
            case LIFECYCLE -> lifecycle();
            case EVENT -> event();
            case ALARM -> alarm();
            case TELEMETRY -> telemetry();
        };
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
        return prefix + "/" + RESERVED_SITE + "/";
    }

    /** The site's retained deny list, shared by every kiosk of the site. */
    public String siteDenylist() {
        return prefix + "/" + site + "/denylist";
    }
}
