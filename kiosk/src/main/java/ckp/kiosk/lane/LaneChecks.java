package ckp.kiosk.lane;

import ckp.kiosk.pass.PassChecker;
import ckp.kiosk.screening.Screening;
import java.util.Objects;

/**
 * What decides a vehicle: the pass check, the temperature screening and the decision table that combines them. One
 * of the lane's three parts, so its constructor says what it is given rather than taking a long row of arguments.
 */
public record LaneChecks(PassChecker passes, Screening screening, DecisionTable table) {
    public LaneChecks {
        Objects.requireNonNull(passes, "passes");
        Objects.requireNonNull(screening, "screening");
        Objects.requireNonNull(table, "table");
    }
}
