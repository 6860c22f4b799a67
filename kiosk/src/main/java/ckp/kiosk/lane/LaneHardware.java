package ckp.kiosk.lane;

import ckp.drivers.lane.LaneOutputs;
import ckp.drivers.lane.PresenceSensor;
import java.util.Objects;
import java.util.Optional;

/**
 * The lane's own devices: the outputs the driver sees (lights, buzzer, barrier) and, when fitted, the vehicle
 * presence sensor, with which a decision stays up until the vehicle has left.
 */
public record LaneHardware(LaneOutputs outputs, Optional<PresenceSensor> presence) {
    public LaneHardware {
        Objects.requireNonNull(outputs, "outputs");
        Objects.requireNonNull(presence, "presence");
    }

    /** Outputs without a presence sensor: a decision stays up for the signal hold time only. */
    public LaneHardware(LaneOutputs outputs) {
        this(outputs, Optional.empty());
    }
}
