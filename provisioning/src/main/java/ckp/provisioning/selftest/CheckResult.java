package ckp.provisioning.selftest;

import java.util.Objects;

/** One row of the self-test table: what was checked, how it went, and the detail a technician acts on. */
public record CheckResult(String check, Outcome outcome, String detail) {
    /** PASS and FAIL are verdicts; SKIP means the check could not run here (no such hardware, simulated part). */
    public enum Outcome { PASS, FAIL, SKIP }

    public CheckResult {
        Objects.requireNonNull(check);
        Objects.requireNonNull(outcome);
        Objects.requireNonNull(detail);
    }

    static CheckResult pass(String check, String detail) {
        return new CheckResult(check, Outcome.PASS, detail);
    }

    static CheckResult fail(String check, String detail) {
        return new CheckResult(check, Outcome.FAIL, detail);
    }

    static CheckResult skip(String check, String detail) {
        return new CheckResult(check, Outcome.SKIP, detail);
    }
}
