package ckp.kiosk.pass;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Verifies any pass the kiosk knows, by its prefix: {@code CKP1:} with {@link Ckp1Verifier}, {@code HC1:} with {@link
 * Hc1Verifier}, and any other text is foreign. Both share one trust store and one deny list, so a reload or a new deny
 * list reaches both formats at once.
 */
public final class PassVerifier {
    private final Ckp1Verifier ckp1;
    private final Hc1Verifier hc1;

    public PassVerifier(TrustStore trust, DenyList deny, Duration skew) {
        this.ckp1 = new Ckp1Verifier(trust, deny, skew);
        this.hc1 = new Hc1Verifier(trust, deny, skew);
    }

    /** Checks one scanned text; see {@link Ckp1Verifier#verify} for {@code now} and {@code clockSynced}. */
    public PassCheck verify(String text, Instant now, boolean clockSynced) {
        Objects.requireNonNull(text);
        if (PassFormat.HC1.matches(text)) {
            return hc1.verify(text, now, clockSynced);
        }
        return ckp1.verify(text, now, clockSynced);
    }

    public TrustStore trust() {
        return ckp1.trust();
    }

    public DenyList denyList() {
        return ckp1.denyList();
    }

    public Duration skew() {
        return ckp1.skew();
    }
}
