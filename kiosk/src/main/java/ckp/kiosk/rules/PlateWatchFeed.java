package ckp.kiosk.rules;

import ckp.kiosk.site.SiteAuthority;
import ckp.kiosk.site.SiteMessageFeed;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The site's plate watch rules, published retained on {@code {prefix}/{site}/rules} and signed by the site authority
 * like the deny list: delivery, cache and refusals are every site message's ({@link SiteMessageFeed}); this class is
 * what a rules document is.
 */
public final class PlateWatchFeed extends SiteMessageFeed<PlateWatchRules> {
    /** The kind of site message: the JWS {@code typ} names it as {@code ckp-rules+jws}. */
    public static final String KIND = "rules";

    /** The plate watch rules as a kind of site message. */
    static final Kind<PlateWatchRules> RULES = new Kind<>(KIND, "rules", PlateWatchRules.MAX_PAYLOAD_BYTES,
            PlateWatchRules::parse, PlateWatchRules.EMPTY, rules -> rules.rules().size() + " watch rule(s)");

    /** The retained topic the central side publishes a site's rules on. */
    public static String topic(String topicPrefix, String site) {
        return topicPrefix + "/" + site + "/rules";
    }

    private PlateWatchFeed(Path cacheFile, SiteAuthority authority, Consumer<PlateWatchRules> onChange,
                           Consumer<Update> outcomes) {
        super(RULES, cacheFile, authority, onChange, outcomes);
    }

    /**
     * Starts from the cached rules when the site keys still verify them (handed to {@code onChange} at once), else
     * empty until the broker's retained message arrives.
     */
    public static PlateWatchFeed open(Path cacheFile, SiteAuthority authority, Consumer<PlateWatchRules> onChange,
                                      Consumer<Update> outcomes) {
        return new PlateWatchFeed(cacheFile, authority, onChange, outcomes);
    }

    /** Why a rules JSON (unsigned, as the site authority is about to sign it) would be refused; empty when fine. */
    public static Optional<String> problem(byte[] json) {
        return RULES.problem(json);
    }
}
