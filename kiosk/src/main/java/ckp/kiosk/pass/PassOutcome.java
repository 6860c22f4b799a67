package ckp.kiosk.pass;

import java.util.Locale;

/**
 * What checking a code says about it, in the order the checks run (the first failing check names the outcome). CKP1
 * passes never give {@link #KEY_USAGE_MISMATCH}.
 */
public enum PassOutcome {
    FOREIGN, MALFORMED, UNKNOWN_KEY, BAD_SIGNATURE, REVOKED,
    /** An HC1 pass of a type (v, t, r) its Document Signer Certificate's extended key usages do not allow. */
    KEY_USAGE_MISMATCH,
    CLOCK_UNSYNCED, NOT_YET_VALID, EXPIRED, VALID,
    /** pass.mode=record: any code is accepted as an opaque value. */
    RECORDED;

    /** The outcome as written in events and the contract: lower case with underscores. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
