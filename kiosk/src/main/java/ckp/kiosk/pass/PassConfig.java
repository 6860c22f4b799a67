package ckp.kiosk.pass;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
import ckp.kiosk.config.ValueType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How passes are checked.
 *
 * @param mode              {@code verify}: CKP1 signed passes; {@code record}: any code is recorded as an opaque value
 * @param trustDir          folder of issuer public keys, {@code <kid>.pem}
 * @param denylistFile      revoked pass ids, one per line
 * @param denylistCacheFile where the deny list from the broker is kept across restarts; empty: beside the store
 * @param skew              allowed clock skew on nbf/exp
 * @param salt              the site salt for hashing codes and plates ({@code pass.hash.salt.file})
 * @param platePrivacy      how plates appear in events
 */
public record PassConfig(String mode, Optional<Path> trustDir, Optional<Path> denylistFile,
                         Optional<Path> denylistCacheFile, Duration skew, Optional<SaltedHash> salt,
                         PlatePrivacy platePrivacy) {
    static final ConfigKey<String> MODE = ConfigKey.withDefault("pass.mode", ValueType.words("verify", "record"),
            "verify", "verify: CKP1 signed passes are checked offline; record: any code is recorded as an opaque value");
    static final ConfigKey<Path> TRUST_DIR = ConfigKey.optional("pass.trust.dir", ValueType.folder(),
            "folder of issuer public keys, one <kid>.pem each (required for pass.mode=verify)");
    static final ConfigKey<Path> DENYLIST_FILE = ConfigKey.optional("pass.denylist.file", ValueType.readableFile(),
            "file of revoked pass ids, one per line, # comments");
    static final ConfigKey<Path> DENYLIST_CACHE_FILE = ConfigKey.optional("pass.denylist.cache.file",
            ValueType.path(), "where the deny list received from the broker is kept across restarts (default: "
                    + "denylist.json beside store.path)");
    static final ConfigKey<Duration> SKEW = ConfigKey.withDefault("pass.skew.seconds", ValueType.seconds(0, 86400),
            "300", "clock skew allowed on a pass's nbf/exp");
    static final ConfigKey<Path> SALT_FILE = ConfigKey.optional("pass.hash.salt.file", ValueType.readableFile(),
            "the site's secret salt (at least 16 bytes) for hashing codes and plates; required for pass.mode=record "
                    + "and privacy.plate=hashed");
    static final ConfigKey<String> PLATE_PRIVACY = ConfigKey.withDefault("privacy.plate",
            ValueType.words("clear", "masked", "hashed"), "masked",
            "how plates appear in events: clear, masked (鲁L***45) or hashed");
    public static final List<ConfigKey<?>> KEYS = List.of(MODE, TRUST_DIR, DENYLIST_FILE, DENYLIST_CACHE_FILE, SKEW,
            SALT_FILE, PLATE_PRIVACY);

    public PassConfig {
        Objects.requireNonNull(mode);
        Objects.requireNonNull(trustDir);
        Objects.requireNonNull(denylistFile);
        Objects.requireNonNull(denylistCacheFile);
        Objects.requireNonNull(skew);
        Objects.requireNonNull(salt);
        Objects.requireNonNull(platePrivacy);
        if (!mode.equals("verify") && !mode.equals("record")) {
            throw new IllegalArgumentException("pass mode is verify or record, got " + mode);
        }
        if (mode.equals("record") && salt.isEmpty()) {
            throw new IllegalArgumentException("pass.mode=record needs pass.hash.salt.file");
        }
    }

    public boolean recordMode() {
        return mode.equals("record");
    }

    public static PassConfig from(Settings s) throws ConfigException {
        String mode = s.get(MODE);
        Optional<Path> trust = Optional.empty();
        if (mode.equals("verify")) {
            trust = Optional.of(s.find(TRUST_DIR).orElseThrow(() -> new ConfigException(TRUST_DIR.name(),
                    "missing; pass.mode=verify checks passes against the issuer keys in this folder")));
        }
        Optional<Path> deny = s.find(DENYLIST_FILE);
        Optional<SaltedHash> salt = Optional.empty();
        if (s.find(SALT_FILE).isPresent()) {
            Path file = s.find(SALT_FILE).get();
            try {
                salt = SaltedHash.load(file);
            } catch (IOException e) {
                throw Settings.bad("pass.hash.salt.file", file.toString(), "a readable file (" + e.getMessage() + ")");
            }
            if (salt.isEmpty()) {
                throw Settings.bad("pass.hash.salt.file", file.toString(), "a file of at least "
                        + SaltedHash.MIN_SALT_BYTES + " bytes; make one with: openssl rand -hex 32 > " + file);
            }
        }
        String privacy = s.get(PLATE_PRIVACY);
        PlatePrivacy platePrivacy = switch (privacy) {
            case "clear" -> PlatePrivacy.CLEAR;
            case "hashed" -> PlatePrivacy.hashed(salt.orElseThrow(() -> new ConfigException("privacy.plate",
                    "'hashed' needs the site salt: set pass.hash.salt.file")));
            default -> PlatePrivacy.MASKED;
        };
        if (mode.equals("record") && salt.isEmpty()) {
            throw new ConfigException("pass.hash.salt.file", "missing; pass.mode=record publishes a salted hash of each "
                    + "code and needs the site salt (make one with: openssl rand -hex 32 > salt)");
        }
        return new PassConfig(mode, trust, deny, s.find(DENYLIST_CACHE_FILE), s.get(SKEW), salt, platePrivacy);
    }
}
