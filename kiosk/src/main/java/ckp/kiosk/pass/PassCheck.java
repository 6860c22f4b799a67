package ckp.kiosk.pass;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of checking one scanned code.
 *
 * @param claims  the pass's claims when they could be parsed (also for revoked, expired and so on)
 * @param digest  a short SHA-256 digest of the raw text, so the central side can match a code without the kiosk
 *                ever publishing or logging the text itself
 */
public record PassCheck(PassOutcome outcome, Optional<PassClaims> claims, String digest) {
    public PassCheck {
        Objects.requireNonNull(outcome);
        Objects.requireNonNull(claims);
        Objects.requireNonNull(digest);
    }
}
