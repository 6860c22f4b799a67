package ckp.kiosk.site;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
import ckp.kiosk.config.ValueType;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whom the kiosk believes about site-wide messages (the deny list, the plate watch rules), and the site's rules kept
 * locally.
 *
 * @param trustDir       folder of the site authority's public keys, {@code <kid>.pem}; empty: every site message is
 *                       refused
 * @param rulesFile      a local rules document (unsigned, root-owned) merged with the site's signed rules
 * @param rulesCacheFile where the signed rules from the broker are kept across restarts; empty: beside the store
 */
public record SiteConfig(Optional<Path> trustDir, Optional<Path> rulesFile, Optional<Path> rulesCacheFile) {
    static final ConfigKey<Path> TRUST_DIR = ConfigKey.optional("site.trust.dir", ValueType.folder(),
            "folder of the site authority's Ed25519 public keys, one <kid>.pem each; site messages (the deny list "
                    + "and rules topics, the denylist command) are accepted only when signed by one of them");
    static final ConfigKey<Path> RULES_FILE = ConfigKey.optional("rules.file", ValueType.readableFile(),
            "a local plate watch rules document (the rules topic's JSON, unsigned; root-owned, not writable by the "
                    + "service) merged with the site's signed rules");
    static final ConfigKey<Path> RULES_CACHE_FILE = ConfigKey.optional("rules.cache.file", ValueType.path(),
            "where the plate watch rules received from the broker are kept across restarts (default: rules.json "
                    + "beside store.path)");
    public static final List<ConfigKey<?>> KEYS = List.of(TRUST_DIR, RULES_FILE, RULES_CACHE_FILE);

    public SiteConfig {
        Objects.requireNonNull(trustDir);
        Objects.requireNonNull(rulesFile);
        Objects.requireNonNull(rulesCacheFile);
    }

    /** Only a trust folder: no local rules, the rules cached beside the store. */
    public SiteConfig(Optional<Path> trustDir) {
        this(trustDir, Optional.empty(), Optional.empty());
    }

    public static SiteConfig from(Settings s) throws ConfigException {
        return new SiteConfig(s.find(TRUST_DIR), s.find(RULES_FILE), s.find(RULES_CACHE_FILE));
    }
}
