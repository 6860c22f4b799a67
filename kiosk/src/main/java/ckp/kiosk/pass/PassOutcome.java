package ckp.kiosk.pass;

import java.util.Locale;

/** What checking a code says about it, in the order CKP1 checks run (the first failing check names the outcome). */
public enum PassOutcome {
    FOREIGN, MALFORMED, UNKNOWN_KEY, BAD_SIGNATURE, REVOKED, CLOCK_UNSYNCED, NOT_YET_VALID, EXPIRED, VALID,
    /** pass.mode=record: any code is accepted as an opaque value. */
    RECORDED;

    /** The outcome as written in events and the contract: lower case with underscores. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
