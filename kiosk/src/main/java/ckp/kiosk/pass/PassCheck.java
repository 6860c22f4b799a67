package ckp.kiosk.pass;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of checking one scanned code.
 *
 * @param claims          the pass's claims when they could be parsed (also for revoked, expired and so on)
 * @param digest          for a text that starts with {@code CKP1:}, the first 8 bytes of its SHA-256 in hex: a
 *                        signed pass cannot be guessed, so the central side can match it without the salt
 * @param hash            for any other text (foreign codes, every code in record mode), its {@link SaltedHash} when
 *                        the site salt is configured: such a text may be short and personal
 * @param denyListVersion the version of the deny list the pass was checked against (0: file list only)
 */
public record PassCheck(PassOutcome outcome, Optional<PassClaims> claims, Optional<String> digest,
                        Optional<String> hash, long denyListVersion) {
    public PassCheck {
        Objects.requireNonNull(outcome);
        Objects.requireNonNull(claims);
        Objects.requireNonNull(digest);
        Objects.requireNonNull(hash);
        if (denyListVersion < 0) {
            throw new IllegalArgumentException("denyListVersion must be >= 0, got " + denyListVersion);
        }
    }

    /** The same check with the salted hash of a text the verifier does not digest. */
    PassCheck withHash(Optional<String> saltedHash) {
        return new PassCheck(outcome, claims, digest, saltedHash, denyListVersion);
    }
}
