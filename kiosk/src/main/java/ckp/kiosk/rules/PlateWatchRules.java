package ckp.kiosk.rules;

import ckp.kiosk.lane.Decision;
import ckp.kiosk.lane.DecisionTable;
import ckp.kiosk.site.SiteMessageFeed;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A rules document (docs/mqtt.md, "Rules"): {@code {"version":N,"issued":"…","plateWatch":[{"prefix":"鄂A",
 * "decision":"manual"},…]}}. Read strictly and refused whole when any part breaks the format: a rule applied in part,
 * or a misspelt prefix silently dropped, would wave through a vehicle the centre meant to have checked.
 *
 * @param version the document's version (≥ 1; 0 only for {@link #EMPTY})
 * @param issued  when the centre issued it, as it said, when it said
 * @param rules   the watch rules, each prefix once
 */
public record PlateWatchRules(long version, Optional<Instant> issued, List<PlateWatchRule> rules)
        implements SiteMessageFeed.Versioned {
    /** The most rules a document may hold. */
    public static final int MAX_RULES = 1000;
    /** 1,000 rules of some 40 bytes each, with room for white space; larger documents are refused unread. */
    public static final int MAX_PAYLOAD_BYTES = 256 * 1024;
    public static final PlateWatchRules EMPTY = new PlateWatchRules(0, Optional.empty(), List.of());

    public PlateWatchRules {
        Objects.requireNonNull(issued);
        rules = List.copyOf(rules);
        if (version < 0) {
            throw new IllegalArgumentException("a rules version is >= 0, got " + version);
        }
        if (rules.size() > MAX_RULES) {
            throw new IllegalArgumentException("at most " + MAX_RULES + " watch rules, got " + rules.size());
        }
        Set<String> prefixes = new HashSet<>();
        for (PlateWatchRule r : rules) {
            if (!prefixes.add(r.prefix())) {
                throw new IllegalArgumentException("prefix " + r.prefix() + " is listed twice");
            }
        }
    }

    /** Parses and checks one rules document (the signed message's payload, or {@code rules.file}). */
    public static SiteMessageFeed.Parsed<PlateWatchRules> parse(byte[] payload) {
        SiteMessageFeed.Parsed<JsonNode> json = SiteMessageFeed.jsonObject(payload, MAX_PAYLOAD_BYTES);
        if (json.content().isEmpty()) {
            return SiteMessageFeed.Parsed.bad(json.problem());
        }
        JsonNode root = json.content().get();
        Optional<Long> version = SiteMessageFeed.version(root);
        if (version.isEmpty()) {
            return SiteMessageFeed.Parsed.bad("'version' must be an integer >= 1");
        }
        Optional<Instant> issued = Optional.empty();
        JsonNode issuedNode = root.get("issued");
        if (issuedNode != null) {
            try {
                issued = Optional.of(Instant.parse(issuedNode.isTextual() ? issuedNode.textValue() : ""));
            } catch (DateTimeParseException e) {
                return SiteMessageFeed.Parsed.bad("'issued' must be a UTC time such as 2026-11-30T06:00:00Z");
            }
        }
        JsonNode watch = root.get("plateWatch");
        if (watch == null || !watch.isArray()) {
            return SiteMessageFeed.Parsed.bad("'plateWatch' must be an array of {\"prefix\",\"decision\"}");
        }
        if (watch.size() > MAX_RULES) {
            return SiteMessageFeed.Parsed.bad("'plateWatch' holds " + watch.size() + " rules, over " + MAX_RULES);
        }
        List<PlateWatchRule> rules = new ArrayList<>();
        Set<String> prefixes = new HashSet<>();
        for (int i = 0; i < watch.size(); i++) {
            JsonNode entry = watch.get(i);
            String at = "plateWatch[" + i + "]";
            if (!entry.isObject()) {
                return SiteMessageFeed.Parsed.bad(at + " is not an object");
            }
            for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("prefix") && !name.equals("decision")) {
                    // A condition this kiosk does not know (a time limit, an exception) must not be dropped silently.
                    return SiteMessageFeed.Parsed.bad(at + " has a member other than prefix and decision");
                }
            }
            JsonNode prefix = entry.get("prefix");
            if (prefix == null || !prefix.isTextual()) {
                return SiteMessageFeed.Parsed.bad(at + ".prefix must be a string");
            }
            Optional<String> problem = PlateWatchRule.problem(prefix.textValue());
            if (problem.isPresent()) {
                return SiteMessageFeed.Parsed.bad(at + ".prefix: " + problem.get());
            }
            if (!prefixes.add(prefix.textValue())) {
                return SiteMessageFeed.Parsed.bad(at + ".prefix is listed before: each prefix once");
            }
            JsonNode decision = entry.get("decision");
            if (decision == null || !decision.isTextual()
                    || !(decision.textValue().equals("manual") || decision.textValue().equals("stop"))) {
                return SiteMessageFeed.Parsed.bad(at + ".decision must be \"manual\" or \"stop\"");
            }
            rules.add(new PlateWatchRule(prefix.textValue(),
                    Decision.valueOf(decision.textValue().toUpperCase(Locale.ROOT))));
        }
        return SiteMessageFeed.Parsed.of(new PlateWatchRules(version.get(), issued, rules));
    }

    /** Reads {@code rules.file}: the same document, unsigned. */
    public static SiteMessageFeed.Parsed<PlateWatchRules> load(Path file) throws IOException {
        if (Files.size(file) > MAX_PAYLOAD_BYTES) {
            return SiteMessageFeed.Parsed.bad("file of " + Files.size(file) + " bytes is over " + MAX_PAYLOAD_BYTES);
        }
        return parse(Files.readAllBytes(file));
    }

    /** The rule this plate's origin falls under, the stricter when both its province's and its city's are listed. */
    public Optional<PlateWatchRule> match(PlateOrigin origin) {
        PlateWatchRule best = null;
        for (PlateWatchRule r : rules) {
            if (r.covers(origin) && (best == null || stricterOrNarrower(r, best))) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Stricter decision first; between equal decisions, the city's rule (it names more precisely why). */
    static boolean stricterOrNarrower(PlateWatchRule a, PlateWatchRule b) {
        int byDecision = Integer.compare(DecisionTable.rank(a.decision()), DecisionTable.rank(b.decision()));
        return byDecision != 0 ? byDecision > 0 : a.prefix().length() > b.prefix().length();
    }
}
