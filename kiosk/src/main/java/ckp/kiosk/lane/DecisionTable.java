package ckp.kiosk.lane;

import ckp.kiosk.pass.PassOutcome;
import ckp.kiosk.screening.TemperatureResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The lane's decision from the pass outcome and the temperature result; {@code docs/decisions.md} is this table in
 * words. Stop outranks manual outranks pass, and every input that is not plainly good adds a reason.
 */
public final class DecisionTable {

    /** A decision and why: reasons are short snake_case words the central side can count. */
    public record Verdict(Decision decision, List<String> reasons) {
        public Verdict {
            reasons = List.copyOf(reasons);
        }
    }

    public Verdict decide(PassOutcome pass, TemperatureResult.Kind temperature) {
        List<String> reasons = new ArrayList<>();
        Decision d = Decision.PASS;
        switch (pass) {
            case VALID, RECORDED -> { }
            case REVOKED, BAD_SIGNATURE -> {
                d = worst(d, Decision.STOP);
                reasons.add("pass_" + pass.wire());
            }
            default -> {
                d = worst(d, Decision.MANUAL);
                reasons.add("pass_" + pass.wire());
            }
        }
        switch (temperature) {
            case NORMAL -> { }
            case FEVER -> {
                d = worst(d, Decision.STOP);
                reasons.add("temperature_fever");
            }
            default -> {
                d = worst(d, Decision.MANUAL);
                reasons.add("temperature_" + temperature.wire());
            }
        }
        return new Verdict(d, reasons);
    }

    private static Decision worst(Decision a, Decision b) {
        if (a == Decision.STOP || b == Decision.STOP) {
            return Decision.STOP;
        }
        if (a == Decision.MANUAL || b == Decision.MANUAL) {
            return Decision.MANUAL;
        }
        return Decision.PASS;
    }
}
