package ckp.kiosk.lane;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.Settings;
import ckp.kiosk.config.ValueType;
import ckp.kiosk.pass.PassOutcome;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A site's choices in the decision table: what each pass outcome that is neither valid nor recorded leads to. Each
 * outcome allows only the decisions that make sense for it (a forged pass can never open the barrier; an expired pass
 * can be held or checked by hand). docs/decisions.md explains the table.
 *
 * @param onPass the decision for each configurable pass outcome
 */
public record DecisionConfig(Map<PassOutcome, Decision> onPass) {

    /** A configurable outcome, its default and the decisions a site may choose. */
    record Choice(PassOutcome outcome, Decision byDefault, Set<Decision> allowed, String why) {
        String key() {
            return "decision.on." + outcome.wire().replace('_', '.');
        }

        /** The key that sets this choice: one of the allowed decisions, the default as given. */
        ConfigKey<Decision> newConfigKey() {
            List<String> words = new ArrayList<>();
            for (Decision d : Decision.values()) {
                if (allowed.contains(d)) {
                    words.add(d.wire());
                }
            }
            ValueType<Decision> type = ValueType.words(words.toArray(String[]::new))
                    .map(w -> Decision.valueOf(w.toUpperCase(Locale.ROOT)));
            return ConfigKey.withDefault(key(), type, byDefault.wire(), "decision for " + why);
        }
    }

    static final List<Choice> CHOICES = List.of(
            new Choice(PassOutcome.EXPIRED, Decision.MANUAL, Set.of(Decision.MANUAL, Decision.STOP),
                    "a pass past its exp (plus skew)"),
            new Choice(PassOutcome.NOT_YET_VALID, Decision.MANUAL, Set.of(Decision.MANUAL, Decision.STOP),
                    "a pass before its nbf (minus skew)"),
            new Choice(PassOutcome.UNKNOWN_KEY, Decision.MANUAL, Set.of(Decision.MANUAL, Decision.STOP),
                    "a pass signed by a kid not in pass.trust.dir"),
            new Choice(PassOutcome.MALFORMED, Decision.MANUAL, Set.of(Decision.MANUAL, Decision.STOP),
                    "a CKP1: or HC1: text that breaks its format"),
            new Choice(PassOutcome.FOREIGN, Decision.MANUAL, Set.of(Decision.MANUAL, Decision.STOP),
                    "a code that is not a CKP1 or HC1 pass"),
            new Choice(PassOutcome.KEY_USAGE_MISMATCH, Decision.MANUAL, Set.of(Decision.MANUAL, Decision.STOP),
                    "an HC1 pass whose signer certificate may not sign its type (v, t, r)"),
            new Choice(PassOutcome.CLOCK_UNSYNCED, Decision.MANUAL, Set.of(Decision.MANUAL, Decision.STOP, Decision.PASS),
                    "a genuine, unrevoked pass while the clock is not known to be right"),
            new Choice(PassOutcome.REVOKED, Decision.STOP, Set.of(Decision.STOP, Decision.MANUAL),
                    "a genuine pass on the deny list (a fraud alarm is raised either way)"),
            new Choice(PassOutcome.BAD_SIGNATURE, Decision.STOP, Set.of(Decision.STOP, Decision.MANUAL),
                    "a forged or altered pass (a fraud alarm is raised either way)"));

    private static final Map<PassOutcome, ConfigKey<Decision>> KEY_OF = keysOf(CHOICES);

    public static final List<ConfigKey<?>> KEYS = List.copyOf(KEY_OF.values());

    public static final DecisionConfig DEFAULTS = defaults();

    public DecisionConfig {
        Objects.requireNonNull(onPass);
        onPass = Map.copyOf(onPass);
        for (Choice c : CHOICES) {
            Decision d = onPass.get(c.outcome());
            if (d == null || !c.allowed().contains(d)) {
                throw new IllegalArgumentException(c.key() + " must be " + KEY_OF.get(c.outcome()).type().allowed() + ", got " + d);
            }
        }
        if (onPass.size() != CHOICES.size()) {
            throw new IllegalArgumentException("only " + CHOICES.stream().map(Choice::outcome).toList()
                    + " are configurable, got " + onPass.keySet());
        }
    }

    private static DecisionConfig defaults() {
        Map<PassOutcome, Decision> m = new EnumMap<>(PassOutcome.class);
        CHOICES.forEach(c -> m.put(c.outcome(), c.byDefault()));
        return new DecisionConfig(m);
    }

    private static Map<PassOutcome, ConfigKey<Decision>> keysOf(List<Choice> choices) {
        Map<PassOutcome, ConfigKey<Decision>> m = new java.util.LinkedHashMap<>();
        choices.forEach(c -> m.put(c.outcome(), c.newConfigKey()));
        return java.util.Collections.unmodifiableMap(m);
    }

    public static DecisionConfig from(Settings s) throws ConfigException {
        Map<PassOutcome, Decision> m = new EnumMap<>(PassOutcome.class);
        for (Choice c : CHOICES) {
            m.put(c.outcome(), s.get(KEY_OF.get(c.outcome())));
        }
        return new DecisionConfig(m);
    }
}
