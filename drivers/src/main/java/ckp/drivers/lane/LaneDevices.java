package ckp.drivers.lane;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Objects;
import java.util.Optional;

/**
 * The lane's own devices: the outputs the driver sees (lights, buzzer, barrier) and, when fitted, the vehicle
 * presence sensor, with which a decision stays up until the vehicle has left. Its factories are the one way to get
 * them; the GPIO and console implementations are package-private.
 */
public record LaneDevices(LaneOutputs outputs, Optional<PresenceSensor> presence) implements AutoCloseable {
    public LaneDevices {
        Objects.requireNonNull(outputs, "outputs");
        Objects.requireNonNull(presence, "presence");
    }

    /** Outputs without a presence sensor: a decision stays up for the signal hold time only. */
    public LaneDevices(LaneOutputs outputs) {
        this(outputs, Optional.empty());
    }

    /** Lights, beeps and barrier printed as lines on {@code console}: the demo's and a bench kiosk's lane. */
    public static LaneDevices console(PrintStream console) {
        return new LaneDevices(new ConsoleLaneOutputs(console));
    }

    /**
     * The real lines on the Pi's GPIO chip (Pi4J, gpiod), claimed in the safe out-of-service state, with the presence
     * input when {@code pins} names one.
     *
     * @throws IOException the lines cannot be claimed (no GPIO chip, lines held by another process)
     */
    public static LaneDevices gpio(LanePins pins) throws IOException {
        GpioLaneOutputs gpio = GpioLaneOutputs.open(pins);
        return new LaneDevices(gpio, gpio.presence());
    }

    /** Puts the lane out of service and releases the lines. */
    @Override
    public void close() {
        outputs.close();
        presence.ifPresent(PresenceSensor::close);
    }
}
