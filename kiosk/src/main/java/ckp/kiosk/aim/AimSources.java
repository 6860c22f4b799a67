package ckp.kiosk.aim;

import ckp.drivers.thermometer.ThermometerSample;
import ckp.kiosk.lane.LaneCycle;
import ckp.kiosk.scan.ScannedFrame;
import ckp.kiosk.screening.ThermometerHealth;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Where the aiming view reads its figures, as read-only suppliers of the running stages (the scanner's newest frame
 * and count, the screening's thermometer, the lane's state), so the view depends on no stage's lifecycle and a test
 * can feed it directly.
 */
public record AimSources(Supplier<Optional<ScannedFrame>> newestFrame, LongSupplier framesDecoded,
                         Supplier<ThermometerHealth> thermometerHealth,
                         Supplier<Optional<ThermometerSample>> thermometerSample,
                         Supplier<LaneCycle.State> laneState) {
    public AimSources {
        Objects.requireNonNull(newestFrame, "newestFrame");
        Objects.requireNonNull(framesDecoded, "framesDecoded");
        Objects.requireNonNull(thermometerHealth, "thermometerHealth");
        Objects.requireNonNull(thermometerSample, "thermometerSample");
        Objects.requireNonNull(laneState, "laneState");
    }
}
