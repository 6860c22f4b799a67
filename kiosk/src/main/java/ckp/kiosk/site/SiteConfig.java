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
 * Whom the kiosk believes about site-wide messages (the deny list).
 *
 * @param trustDir folder of the site authority's public keys, {@code <kid>.pem}; empty: every site message is refused
 */
public record SiteConfig(Optional<Path> trustDir) {
    static final ConfigKey<Path> TRUST_DIR = ConfigKey.optional("site.trust.dir", ValueType.folder(),
            "folder of the site authority's Ed25519 public keys, one <kid>.pem each; site messages (the deny list "
                    + "topic and command) are accepted only when signed by one of them");
    public static final List<ConfigKey<?>> KEYS = List.of(TRUST_DIR);

    public SiteConfig {
        Objects.requireNonNull(trustDir);
    }

    public static SiteConfig from(Settings s) throws ConfigException {
        return new SiteConfig(s.find(TRUST_DIR));
    }
}
