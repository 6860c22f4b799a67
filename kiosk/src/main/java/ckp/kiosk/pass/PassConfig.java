package ckp.kiosk.pass;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How passes are checked.
 *
 * @param mode         {@code verify}: CKP1 signed passes; {@code record}: any code is recorded as an opaque value
 * @param trustDir     folder of issuer public keys, {@code <kid>.pem}
 * @param denylistFile revoked pass ids, one per line
 * @param skew         allowed clock skew on nbf/exp
 */
public record PassConfig(String mode, Optional<Path> trustDir, Optional<Path> denylistFile, Duration skew) {
    public static final List<ConfigKey> KEYS = List.of(
            ConfigKey.withDefault("pass.mode", "verify", "verify: CKP1 signed passes are checked offline; record: any code is recorded as an opaque value"),
            ConfigKey.optional("pass.trust.dir", "folder of issuer public keys, one <kid>.pem each (required for pass.mode=verify)"),
            ConfigKey.optional("pass.denylist.file", "file of revoked pass ids, one per line, # comments"),
            ConfigKey.withDefault("pass.skew.seconds", "300", "clock skew allowed on a pass's nbf/exp (0-86400)"));

    public PassConfig {
        Objects.requireNonNull(mode);
        Objects.requireNonNull(trustDir);
        Objects.requireNonNull(denylistFile);
    }

    public static PassConfig from(Settings s) throws ConfigException {
        String mode = s.choice("pass.mode", "verify", "record");
        Optional<Path> trust = Optional.empty();
        if (mode.equals("verify")) {
            trust = Optional.of(s.folder("pass.trust.dir"));
        }
        Optional<Path> deny = Optional.empty();
        if (s.optional("pass.denylist.file").isPresent()) {
            deny = Optional.of(s.readableFile("pass.denylist.file"));
        }
        return new PassConfig(mode, trust, deny, s.seconds("pass.skew.seconds", 0, 86400));
    }
}
