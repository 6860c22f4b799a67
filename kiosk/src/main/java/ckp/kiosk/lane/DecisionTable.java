package ckp.kiosk.lane;

import ckp.kiosk.message.AlarmCode;
import ckp.kiosk.pass.PassOutcome;
import ckp.kiosk.screening.TemperatureResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The lane's decision from the pass outcome and the temperature result; {@code docs/decisions.md} is this table in
 * words. Each input gives a decision of its own; the stricter wins (stop over manual over pass), and every input that
 * is not plainly good adds a reason, so an officer and the central side see all of them, not only the first.
 */
public final class DecisionTable {
    /** The alarm a revoked or forged pass raises, whatever the site decided for it. */
    public static final String FRAUD_ALARM = AlarmCode.FRAUD_SUSPECTED.wire();

    /**
     * A decision and why.
     *
     * @param reasons short snake_case words the central side can count: {@code multiple_passes}, {@code
     *                pass_<outcome>}, {@code temperature_<result>}; empty only for a plain pass
     * @param alarm   {@code fraud-suspected} ({@link #FRAUD_ALARM}) when the lane should also raise an ALARM-class message
     */
    public record Verdict(Decision decision, List<String> reasons, Optional<String> alarm) {
        public Verdict {
            Objects.requireNonNull(decision);
            reasons = List.copyOf(reasons);
            Objects.requireNonNull(alarm);
            if (decision != Decision.PASS && reasons.isEmpty()) {
                throw new IllegalArgumentException("a " + decision.wire() + " needs at least one reason");
            }
        }
    }

    private final DecisionConfig config;

    public DecisionTable(DecisionConfig config) {
        this.config = Objects.requireNonNull(config);
    }

    /** The table with the defaults of docs/decisions.md. */
    public DecisionTable() {
        this(DecisionConfig.DEFAULTS);
    }

    /** Reason for two different passes in view at once (docs/decisions.md, "Two passes in view"). */
    public static final String MULTIPLE_PASSES = "multiple_passes";

    public Verdict decide(PassOutcome pass, TemperatureResult.Kind temperature) {
        return decide(pass, false, temperature);
    }

    /**
     * @param pass           the outcome of the pass the vehicle is decided by (with several passes in view, the one
     *                       whose own decision is strictest)
     * @param multiplePasses two different passes were in view at once: an officer decides whose is whose (manual,
     *                       {@value #MULTIPLE_PASSES}, before every other reason), whatever each pass says
     */
    public Verdict decide(PassOutcome pass, boolean multiplePasses, TemperatureResult.Kind temperature) {
        List<String> reasons = new ArrayList<>();
        if (multiplePasses) {
            reasons.add(MULTIPLE_PASSES);
        }
        Decision byPass = forPass(pass);
        if (pass != PassOutcome.VALID && pass != PassOutcome.RECORDED) {
            reasons.add("pass_" + pass.wire());
        }
        Decision byTemperature = forTemperature(temperature);
        if (temperature != TemperatureResult.Kind.NORMAL) {
            reasons.add("temperature_" + temperature.wire());
        }
        Optional<String> alarm = pass == PassOutcome.REVOKED || pass == PassOutcome.BAD_SIGNATURE
                ? Optional.of(FRAUD_ALARM) : Optional.empty();
        Decision byView = multiplePasses ? Decision.MANUAL : Decision.PASS;
        return new Verdict(stricter(stricter(byPass, byTemperature), byView), reasons, alarm);
    }

    /** The pass's own decision: valid and recorded pass, the rest as the site configured. */
    Decision forPass(PassOutcome pass) {
        return switch (pass) {
            case VALID, RECORDED -> Decision.PASS;
            default -> config.onPass().get(pass);
        };
    }

    /**
     * The temperature's own decision, not configurable: a fever is held for the health officer, and a measurement the
     * kiosk cannot vouch for is checked by hand rather than waved through.
     */
    static Decision forTemperature(TemperatureResult.Kind temperature) {
        return switch (temperature) {
            case NORMAL -> Decision.PASS;
            case FEVER -> Decision.STOP;
            case RETEST, INVALID, UNAVAILABLE, OUT_OF_ENVELOPE -> Decision.MANUAL;
        };
    }

    static Decision stricter(Decision a, Decision b) {
        return rank(a) >= rank(b) ? a : b;
    }

    static int rank(Decision d) {
        return switch (d) {
            case PASS -> 0;
            case MANUAL -> 1;
            case STOP -> 2;
        };
    }
}
