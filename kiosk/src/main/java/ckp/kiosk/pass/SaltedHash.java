package ckp.kiosk.pass;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A keyed hash (HMAC-SHA-256 with the site's secret salt) of texts the kiosk must not publish: a code in record mode,
 * a foreign code, a plate under {@code privacy.plate=hashed}. Without the salt, a short text (a plate, an ID number in
 * a code) cannot be found by hashing every candidate; the central side, which holds the salt, can still match.
 */
public final class SaltedHash {
    /** The salt must make guessing it as hard as guessing a 128-bit key. */
    public static final int MIN_SALT_BYTES = 16;
    /** Bytes of the HMAC kept: 128 bits will not collide among a site's codes. */
    static final int KEPT_BYTES = 16;

    private final byte[] salt;

    public SaltedHash(byte[] salt) {
        if (salt.length < MIN_SALT_BYTES) {
            throw new IllegalArgumentException("a salt needs at least " + MIN_SALT_BYTES + " bytes, got " + salt.length
                    + "; make one with: openssl rand -hex 32 > salt");
        }
        this.salt = salt.clone();
    }

    /**
     * Reads a salt file: its bytes with trailing ASCII white space removed (so {@code openssl rand -hex 32 > f} and an
     * editor's final newline give the same salt); empty when the file holds fewer than {@value #MIN_SALT_BYTES} bytes.
     */
    public static java.util.Optional<SaltedHash> load(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int n = all.length;
        while (n > 0 && (all[n - 1] == ' ' || all[n - 1] == '\n' || all[n - 1] == '\r' || all[n - 1] == '\t')) {
            n--;
        }
        if (n < MIN_SALT_BYTES) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new SaltedHash(Arrays.copyOf(all, n)));
    }

    /** The first {@value #KEPT_BYTES} bytes of HMAC-SHA-256(salt, UTF-8 text), in lower-case hex. */
    public String of(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            byte[] h = mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, KEPT_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }
}
