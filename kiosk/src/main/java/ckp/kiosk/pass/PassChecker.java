package ckp.kiosk.pass;

import ckp.kiosk.clock.ClockStatus;
import java.util.Objects;
import java.util.Optional;

/** The lane's pass check: CKP1 verification, or in record mode any code accepted as an opaque value. */
public final class PassChecker {
    private final boolean recordMode;
    private final ClockStatus clock;
    private volatile Ckp1Verifier verifier;

    public PassChecker(boolean recordMode, Ckp1Verifier verifier, ClockStatus clock) {
        this.recordMode = recordMode;
        this.verifier = Objects.requireNonNull(verifier);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Swaps in a verifier with a reloaded trust store or a newer deny list; checks in progress finish with the old. */
    public void replaceVerifier(Ckp1Verifier next) {
        this.verifier = Objects.requireNonNull(next);
    }

    public PassCheck check(String text) {
        if (recordMode) {
            return new PassCheck(PassOutcome.RECORDED, Optional.empty(), Ckp1Verifier.digest(text));
        }
        return verifier.verify(text, clock.now(), clock.synced());
    }
}
