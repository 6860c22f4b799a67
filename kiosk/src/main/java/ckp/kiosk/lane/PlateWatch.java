package ckp.kiosk.lane;

import ckp.kiosk.pass.PassClaims;
import java.util.Objects;
import java.util.Optional;

/**
 * The plate-origin watch rules as the decision table sees them: the rule, if any, that a pass's plate falls under
 * (docs/decisions.md, "Plate watch"). An interface here so that the lane need not know where rules come from.
 */
@FunctionalInterface
public interface PlateWatch {
    /** No rules at all: nothing is ever watched. */
    PlateWatch NONE = claims -> Finding.NONE;

    /** The rules' finding for a pass's claims; a pass without claims or without a plate is never matched. */
    Finding check(Optional<PassClaims> claims);

    /**
     * What the rules in force say about one pass.
     *
     * @param rulesVersion the version of the site's signed rules in force (0: none received)
     * @param hit          the rule the plate falls under, if any
     */
    record Finding(long rulesVersion, Optional<Hit> hit) {
        public static final Finding NONE = new Finding(0, Optional.empty());

        public Finding {
            Objects.requireNonNull(hit);
            if (rulesVersion < 0) {
                throw new IllegalArgumentException("rulesVersion must be >= 0, got " + rulesVersion);
            }
        }
    }

    /**
     * A watch rule a plate matched.
     *
     * @param prefix   the rule's prefix: a province abbreviation, optionally with the city letter (e.g. {@code 鄂A})
     * @param decision {@code manual} or {@code stop}
     * @param source   where the rule came from: {@code site} (the signed rules) or {@code file} ({@code rules.file})
     */
    record Hit(String prefix, Decision decision, String source) {
        public Hit {
            Objects.requireNonNull(prefix);
            Objects.requireNonNull(decision);
            Objects.requireNonNull(source);
            if (decision == Decision.PASS) {
                throw new IllegalArgumentException("a watch rule decides manual or stop, not pass");
            }
        }
    }
}
