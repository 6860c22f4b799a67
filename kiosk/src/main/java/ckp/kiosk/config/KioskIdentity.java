package ckp.kiosk.config;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** Which kiosk this is: its id, site and lane, as they appear in MQTT topics and events. */
public record KioskIdentity(String id, String site, String lane) {
    /** MQTT topic levels must not hold '/', '+' or '#'; a short safe alphabet also keeps ACL patterns simple. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final String ALLOWED = "1-64 of A-Z a-z 0-9 _ -";
    /** No site may be called so: {@code {prefix}/reply/} is the subtree where command responses go (docs/mqtt.md). */
    public static final String RESERVED_SITE = ckp.kiosk.message.Topics.RESERVED_SITE;

    static final ConfigKey<String> ID = ConfigKey.required("kiosk.id", ValueType.matching(NAME, ALLOWED),
            "this kiosk's id, unique in the fleet (the CN of its TLS certificate)");
    static final ConfigKey<String> SITE = ConfigKey.required("kiosk.site", ValueType.matching(NAME, ALLOWED),
            "the checkpoint site, e.g. g15-north; not reply ({prefix}/reply/ is the subtree of command responses)");
    static final ConfigKey<String> LANE = ConfigKey.required("kiosk.lane", ValueType.matching(NAME, ALLOWED),
            "the lane at the site, e.g. lane3");
    public static final List<ConfigKey<?>> KEYS = List.of(ID, SITE, LANE);

    public KioskIdentity {
        for (String v : new String[] {id, site, lane}) {
            Objects.requireNonNull(v);
            if (!NAME.matcher(v).matches()) {
                throw new IllegalArgumentException("'" + v + "' is not a valid kiosk/site/lane name: " + ALLOWED);
            }
        }
        if (site.equals(RESERVED_SITE)) {
            throw new IllegalArgumentException("'" + RESERVED_SITE + "' cannot be a site: {prefix}/" + RESERVED_SITE
                    + "/ is where command responses go");
        }
    }

    public static KioskIdentity from(Settings s) throws ConfigException {
        String site = s.get(SITE);
        if (site.equals(RESERVED_SITE)) {
            throw new ConfigException("kiosk.site", "'" + RESERVED_SITE + "' is reserved: {prefix}/" + RESERVED_SITE
                    + "/ is the subtree of command responses; choose another site name");
        }
        return new KioskIdentity(
                s.get(ID),
                site,
                s.get(LANE));
    }
}
