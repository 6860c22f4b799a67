package ckp.kiosk.pass;

import ckp.kiosk.site.SiteAuthority;
import ckp.kiosk.site.SiteMessageFeed;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The deny list the central side publishes, retained, on {@code {prefix}/{site}/denylist} (format in docs/mqtt.md),
 * signed by the site authority ({@link SiteAuthority}): anyone who can publish on a topic could otherwise revoke
 * every pass, or lift every revocation with a huge version. Delivery, caching and refusals are every site message's
 * ({@link SiteMessageFeed}); this class is what a deny list is.
 */
public final class DenyListFeed extends SiteMessageFeed<DenyList> {
    /** Larger than any real list (500,000 ids of 32 characters), small enough to parse on a Pi in a second. */
    public static final int MAX_PAYLOAD_BYTES = 24 * 1024 * 1024;
    public static final int MAX_IDS = 500_000;
    /** The kind of site message: the JWS {@code typ} names it as {@code ckp-denylist+jws}. */
    public static final String KIND = "denylist";

    /** The deny list as a kind of site message. */
    static final Kind<DenyList> DENY_LIST = new Kind<>(KIND, "deny list", MAX_PAYLOAD_BYTES, DenyListFeed::parse,
            DenyList.EMPTY, list -> list.ids().size() + " id(s)");

    /** The retained topic the central side publishes a site's list on: subscribe it and hand each payload to accept. */
    public static String topic(String topicPrefix, String site) {
        return topicPrefix + "/" + site + "/denylist";
    }

    private DenyListFeed(Path cacheFile, SiteAuthority authority, Consumer<DenyList> onChange,
                         Consumer<Update> outcomes) {
        super(DENY_LIST, cacheFile, authority, onChange, outcomes);
    }

    /**
     * Starts from the cached list when there is one that the site authority's keys still verify (and hands it to
     * {@code onChange} at once); a cache that cannot be read or verified — e.g. an unsigned one an older kiosk wrote —
     * is reported and the feed starts empty, to be filled by the broker's retained message.
     *
     * @param outcomes told of every message's outcome (e.g. to raise and clear an alarm on refusals)
     */
    public static DenyListFeed open(Path cacheFile, SiteAuthority authority, Consumer<DenyList> onChange,
                                    Consumer<Update> outcomes) {
        return new DenyListFeed(cacheFile, authority, onChange, outcomes);
    }

    /** Why a deny list JSON (unsigned, as the site authority is about to sign it) would be refused; empty when fine. */
    public static Optional<String> problem(byte[] json) {
        return DENY_LIST.problem(json);
    }

    /** Parses and checks one deny list (the payload of the signed message); see docs/mqtt.md for the format. */
    static Parsed<DenyList> parse(byte[] payload) {
        Parsed<JsonNode> json = SiteMessageFeed.jsonObject(payload, MAX_PAYLOAD_BYTES);
        if (json.content().isEmpty()) {
            return Parsed.bad(json.problem());
        }
        JsonNode root = json.content().get();
        Optional<Long> version = SiteMessageFeed.version(root);
        if (version.isEmpty()) {
            return Parsed.bad("'version' must be an integer >= 1");
        }
        JsonNode ids = root.get("ids");
        if (ids == null || !ids.isArray()) {
            return Parsed.bad("'ids' must be an array of pass ids");
        }
        if (ids.size() > MAX_IDS) {
            return Parsed.bad("'ids' holds " + ids.size() + " ids, over " + MAX_IDS);
        }
        Set<String> set = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            if (!id.isTextual() || !PassClaims.ID.matcher(id.textValue()).matches()) {
                return Parsed.bad("ids[" + i + "] is not a pass id (1-32 of A-Z a-z 0-9 -)");
            }
            set.add(id.textValue());
        }
        return Parsed.of(new DenyList(version.get(), set));
    }
}
