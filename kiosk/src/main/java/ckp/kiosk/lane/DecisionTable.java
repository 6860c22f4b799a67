package ckp.kiosk.lane;

import ckp.kiosk.message.AlarmCode;
import ckp.kiosk.pass.PassCheck;
import ckp.kiosk.pass.PassOutcome;
import ckp.kiosk.screening.TemperatureResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The lane's decision from the pass outcome, the temperature result and the plate watch rules; {@code
 * docs/decisions.md} is this table in words. Each input gives a decision of its own; the stricter wins (stop over
 * manual over pass), and every input that is not plainly good adds a reason, so an officer and the central side see
 * all of them, not only the first.
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
     * @param watch   what the plate watch rules said (the rules' version, and the rule the plate fell under)
     */
    public record Verdict(Decision decision, List<String> reasons, Optional<String> alarm, PlateWatch.Finding watch) {
        public Verdict {
            Objects.requireNonNull(decision);
            reasons = List.copyOf(reasons);
            Objects.requireNonNull(alarm);
            Objects.requireNonNull(watch);
            if (decision != Decision.PASS && reasons.isEmpty()) {
                throw new IllegalArgumentException("a " + decision.wire() + " needs at least one reason");
            }
        }

        /** A verdict without plate watch rules. */
        public Verdict(Decision decision, List<String> reasons, Optional<String> alarm) {
            this(decision, reasons, alarm, PlateWatch.Finding.NONE);
        }
    }

    /** Reason for a plate under a watch rule (docs/decisions.md, "Plate watch"). */
    public static final String PLATE_WATCH = "plate_watch";

    private final DecisionConfig config;
    private final PlateWatch plateWatch;

    public DecisionTable(DecisionConfig config) {
        this(config, PlateWatch.NONE);
    }

    /** @param plateWatch the plate watch rules in force, asked for every pass */
    public DecisionTable(DecisionConfig config, PlateWatch plateWatch) {
        this.config = Objects.requireNonNull(config);
        this.plateWatch = Objects.requireNonNull(plateWatch);
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
        return decide(pass, multiplePasses, temperature, PlateWatch.Finding.NONE);
    }

    /**
     * The decision with the plate watch rules: the pass's plate claim (CKP1 only; a pass without one is never
     * matched) under a watch rule makes the decision at least the rule's, with {@value #PLATE_WATCH} after the
     * other reasons.
     */
    public Verdict decide(PassCheck pass, boolean multiplePasses, TemperatureResult.Kind temperature) {
        return decide(pass.outcome(), multiplePasses, temperature, plateWatch.check(pass.claims()));
    }

    private Verdict decide(PassOutcome pass, boolean multiplePasses, TemperatureResult.Kind temperature,
                           PlateWatch.Finding watch) {
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
        Decision byWatch = watch.hit().map(PlateWatch.Hit::decision).orElse(Decision.PASS);
        if (watch.hit().isPresent()) {
            reasons.add(PLATE_WATCH);
        }
        return new Verdict(stricter(stricter(stricter(byPass, byTemperature), byView), byWatch), reasons, alarm,
                watch);
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

    /** The stricter of two decisions: stop over manual over pass. */
    public static Decision stricter(Decision a, Decision b) {
        return rank(a) >= rank(b) ? a : b;
    }

    /** A decision's strictness: pass 0, manual 1, stop 2. */
    public static int rank(Decision d) {
        return switch (d) {
            case PASS -> 0;
            case MANUAL -> 1;
            case STOP -> 2;
        };
    }
}
