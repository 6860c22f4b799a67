package ckp.kiosk.rules;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.lane.PlateWatch;
import ckp.kiosk.pass.PassClaims;
import ckp.kiosk.site.SiteMessageFeed;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The plate watch rules the lane decides with: the site's signed rules (newest accepted, from {@link PlateWatchFeed})
 * merged with the local {@code rules.file}. Both are in force: a plate under a rule of either gets the stricter of
 * the two rules' decisions, so a kiosk's local watch cannot be lifted from the broker, nor the site's by the file.
 */
public final class RulesInForce implements PlateWatch {
    private static final TaggedLogger LOG = Logger.tag("rules");
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String SITE = "site";
    public static final String FILE = "file";

    private final Optional<Path> filePath;
    private final Optional<PlateWatchRules> file;
    private volatile PlateWatchRules site = PlateWatchRules.EMPTY;

    private RulesInForce(Optional<Path> filePath, Optional<PlateWatchRules> file) {
        this.filePath = filePath;
        this.file = file;
    }

    /** Site rules only (none until {@link #useSiteRules} is called). */
    public static RulesInForce withoutFile() {
        return new RulesInForce(Optional.empty(), Optional.empty());
    }

    /**
     * With the rules of {@code rules.file}, read now: a file that is not a rules document stops the start (exit 78),
     * as any bad configuration does — a kiosk must not run without a watch its technician installed.
     */
    public static RulesInForce withFile(Optional<Path> rulesFile) throws ConfigException {
        if (rulesFile.isEmpty()) {
            return withoutFile();
        }
        SiteMessageFeed.Parsed<PlateWatchRules> p;
        try {
            p = PlateWatchRules.load(rulesFile.get());
        } catch (IOException e) {
            throw new ConfigException("rules.file", rulesFile.get() + " cannot be read (" + e.getMessage()
                    + "); make it readable by the kiosk service or remove the key");
        }
        if (p.content().isEmpty()) {
            throw new ConfigException("rules.file", rulesFile.get() + " is not a rules document: " + p.problem()
                    + " (format: docs/mqtt.md, \"Rules\")");
        }
        PlateWatchRules rules = p.content().get();
        LOG.info("rules.file {}: version {}, {} watch rule(s)", rulesFile.get(), rules.version(),
                rules.rules().size());
        return new RulesInForce(rulesFile, Optional.of(rules));
    }

    /** Puts the site's newest accepted rules in force; {@link PlateWatchFeed} calls this. */
    public void useSiteRules(PlateWatchRules rules) {
        this.site = Objects.requireNonNull(rules);
    }

    /** The site's rules in force (version 0 and empty before the first). */
    public PlateWatchRules siteRules() {
        return site;
    }

    /** The rules of {@code rules.file}, when one is configured. */
    public Optional<PlateWatchRules> fileRules() {
        return file;
    }

    @Override
    public Finding check(Optional<PassClaims> claims) {
        PlateWatchRules siteNow = site;
        Optional<PlateOrigin> origin = claims.flatMap(PassClaims::plate).flatMap(PlateOrigin::of);
        if (origin.isEmpty()) {
            return new Finding(siteNow.version(), Optional.empty());
        }
        Optional<PlateWatchRule> bySite = siteNow.match(origin.get());
        Optional<PlateWatchRule> byFile = file.flatMap(f -> f.match(origin.get()));
        Optional<Hit> hit;
        if (byFile.isPresent() && (bySite.isEmpty()
                || PlateWatchRules.stricterOrNarrower(byFile.get(), bySite.get()))) {
            hit = Optional.of(new Hit(byFile.get().prefix(), byFile.get().decision(), FILE));
        } else {
            hit = bySite.map(r -> new Hit(r.prefix(), r.decision(), SITE));
        }
        return new Finding(siteNow.version(), hit);
    }

    /** Where the rules in force come from: {@code site}, {@code file}, {@code site+file} or {@code none}. */
    public String source() {
        boolean fromSite = site.version() > 0;
        boolean fromFile = file.isPresent();
        return fromSite && fromFile ? "site+file" : fromSite ? SITE : fromFile ? FILE : "none";
    }

    /** Rules in force, counting a prefix listed by both sources once per source. */
    public int entries() {
        return site.rules().size() + file.map(f -> f.rules().size()).orElse(0);
    }

    /** The {@code rules} command's answer: version, entry count and source, with each source's own figures. */
    public ObjectNode describe() {
        PlateWatchRules siteNow = site;
        ObjectNode o = JSON.createObjectNode();
        o.put("version", siteNow.version());
        o.put("entries", siteNow.rules().size() + file.map(f -> f.rules().size()).orElse(0));
        o.put("source", source());
        ObjectNode s = o.putObject("site");
        s.put("version", siteNow.version());
        s.put("entries", siteNow.rules().size());
        if (siteNow.issued().isPresent()) {
            s.put("issued", siteNow.issued().get().toString());
        } else {
            s.putNull("issued");
        }
        if (file.isPresent()) {
            o.putObject("file").put("path", filePath.orElseThrow().toString()).put("version", file.get().version())
                    .put("entries", file.get().rules().size());
        } else {
            o.putNull("file");
        }
        return o;
    }
}
