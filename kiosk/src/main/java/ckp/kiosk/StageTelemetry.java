package ckp.kiosk;

import ckp.drivers.camera.CameraHealth;
import ckp.drivers.camera.FrameSource;
import ckp.drivers.thermometer.ThermometerSample;
import ckp.drivers.time.Ticker;
import ckp.kiosk.message.AlarmCode;
import ckp.kiosk.publish.TelemetrySource;
import ckp.kiosk.publish.TelemetrySource.RulesFigures;
import ckp.kiosk.scan.Scanner;
import ckp.kiosk.screening.Screening;
import ckp.kiosk.screening.ThermometerHealth;
import ckp.kiosk.store.EventStore;
import ckp.kiosk.store.StoreHealth;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The stages' figures for the telemetry message: thermometer and camera health as the stages judge them, the decode
 * rate since the last sample, the store's eviction and drop counters, the plate watch rules in force, and the alarms
 * the stages hold raised.
 */
final class StageTelemetry implements TelemetrySource {
    private final Screening screening;
    private final FrameSource camera;
    private final Scanner scanner;
    private final EventStore store;
    private final Supplier<Instant> now;
    private final Ticker ticker;
    private final Supplier<RulesFigures> rules;
    private final BooleanSupplier rulesRefused;
    private long lastFramesDecoded;
    private long lastSampleNanos;

    StageTelemetry(Screening screening, FrameSource camera, Scanner scanner, EventStore store, Supplier<Instant> now,
                   Ticker ticker) {
        this(screening, camera, scanner, store, now, () -> RulesFigures.NONE, () -> false, ticker);
    }

    /**
     * @param rules        the plate watch rules' figures
     * @param rulesRefused whether the rules' {@code site-message-refused} alarm is raised now
     * @param ticker       the kiosk's clock, for the decode rate between samples
     */
    StageTelemetry(Screening screening, FrameSource camera, Scanner scanner, EventStore store, Supplier<Instant> now,
                   Supplier<RulesFigures> rules, BooleanSupplier rulesRefused, Ticker ticker) {
        this.rules = rules;
        this.rulesRefused = rulesRefused;
        this.screening = screening;
        this.camera = camera;
        this.scanner = scanner;
        this.store = store;
        this.now = now;
        this.ticker = ticker;
        this.lastSampleNanos = ticker.nanos();
    }

    @Override
    public synchronized StageFigures sample() {
        List<String> alarms = new ArrayList<>();
        ThermometerHealth thermometer = screening.health();
        Health sensor = switch (thermometer.status()) {
            case OK -> Health.OK;
            case PEC_ERROR, ERROR_FLAG -> Health.DEGRADED;
            case BUS_FAULT, ABSENT -> Health.FAILED;
        };
        if (thermometer.status() != ThermometerSample.Status.OK) {
            alarms.add("thermometer." + thermometer.wire());
        }
        CameraHealth cameraHealth = camera.health();
        Health cameraState = cameraHealth.running() ? (cameraHealth.lastError().isPresent() ? Health.DEGRADED : Health.OK)
                : Health.FAILED;
        if (scanner.sourceFailed()) {
            cameraState = Health.FAILED;
            alarms.add("camera.failed");
        } else if (!cameraHealth.running() && !scanner.sourceEnded()) {
            alarms.add("camera.restarting");
        }
        long decoded = scanner.framesDecoded();
        long t = ticker.nanos();
        double seconds = (t - lastSampleNanos) / 1e9;
        OptionalDouble fps = seconds > 0.5 ? OptionalDouble.of(Math.round((decoded - lastFramesDecoded) / seconds * 10) / 10.0)
                : OptionalDouble.empty();
        lastFramesDecoded = decoded;
        lastSampleNanos = t;
        StoreHealth storeHealth = store.health(now.get());
        if (storeHealth.overCap()) {
            alarms.add(AlarmCode.STORE_OVER_CAP.wire());
        }
        if (storeHealth.belowDiskFloor()) {
            alarms.add(AlarmCode.STORE_BELOW_FLOOR.wire());
        }
        if (storeHealth.diskFull()) {
            alarms.add(AlarmCode.STORE_DISK_FULL.wire());
        }
        if (storeHealth.quarantined()) {
            alarms.add(AlarmCode.STORE_QUARANTINED.wire());
        }
        if (rulesRefused.getAsBoolean()) {
            alarms.add(AlarmCode.SITE_MESSAGE_REFUSED.wire() + ":rules");
        }
        return new StageFigures(sensor, cameraState, fps, storeHealth.evictedCount(), storeHealth.droppedCount(), alarms,
                rules.get());
    }
}
