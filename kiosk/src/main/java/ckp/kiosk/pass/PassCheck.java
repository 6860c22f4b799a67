package ckp.kiosk.pass;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of checking one scanned code.
 *
 * @param format          the pass format the text claims to be (by its prefix); empty for a foreign code and in
 *                        record mode
 * @param claims          a CKP1 pass's claims when they could be parsed (also for revoked, expired and so on)
 * @param hc1             an EU Digital COVID Certificate's event fields when its payload could be read (never its
 *                        name or date of birth)
 * @param digest          for a pass text ({@code CKP1:} or {@code HC1:}), the first 8 bytes of its SHA-256 in hex: a
 *                        signed pass cannot be guessed, so the central side can match it without the salt
 * @param hash            for any other text (foreign codes, every code in record mode), its {@link SaltedHash} when
 *                        the site salt is configured: such a text may be short and personal
 * @param denyListVersion the version of the deny list the pass was checked against (0: file list only)
 */
public record PassCheck(PassOutcome outcome, Optional<PassFormat> format, Optional<PassClaims> claims,
                        Optional<Hc1Pass> hc1, Optional<String> digest, Optional<String> hash, long denyListVersion) {
    public PassCheck {
        Objects.requireNonNull(outcome);
        Objects.requireNonNull(format);
        Objects.requireNonNull(claims);
        Objects.requireNonNull(hc1);
        Objects.requireNonNull(digest);
        Objects.requireNonNull(hash);
        if (denyListVersion < 0) {
            throw new IllegalArgumentException("denyListVersion must be >= 0, got " + denyListVersion);
        }
        if (claims.isPresent() && hc1.isPresent()) {
            throw new IllegalArgumentException("a pass is CKP1 or HC1, not both");
        }
    }

    /** A CKP1 check (or a foreign or recorded code): the format is CKP1 exactly when the text was digested. */
    public PassCheck(PassOutcome outcome, Optional<PassClaims> claims, Optional<String> digest, Optional<String> hash,
                     long denyListVersion) {
        this(outcome, digest.isPresent() ? Optional.of(PassFormat.CKP1) : Optional.empty(), claims, Optional.empty(),
                digest, hash, denyListVersion);
    }

    /** The same check with the salted hash of a text the verifier does not digest. */
    PassCheck withHash(Optional<String> saltedHash) {
        return new PassCheck(outcome, format, claims, hc1, digest, saltedHash, denyListVersion);
    }
}
