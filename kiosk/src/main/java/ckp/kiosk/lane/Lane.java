package ckp.kiosk.lane;

import ckp.drivers.lane.LaneDevices;
import ckp.drivers.lane.LaneOutputs;
import ckp.drivers.lane.PresenceSensor;
import ckp.drivers.time.Ticker;
import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.config.KioskIdentity;
import ckp.kiosk.pass.PassCheck;
import ckp.kiosk.pass.PassChecker;
import ckp.kiosk.pass.PassFormat;
import ckp.kiosk.pass.PlatePrivacy;
import ckp.kiosk.message.Topics;
import ckp.kiosk.scan.Sighting;
import ckp.kiosk.screening.Screening;
import ckp.kiosk.screening.TemperatureResult;
import ckp.kiosk.store.AppendOutcome;
import ckp.kiosk.store.EventStore;
import ckp.kiosk.store.Outbox;
import ckp.kiosk.store.StoreException;
import ckp.kiosk.store.StoredMessage;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The lane: for each sighting, checks the pass, measures the driver, decides, commits the event and only then
 * shows the decision. One vehicle at a time, on its own thread, stepped through {@link LaneCycle} (which owns the
 * timeouts and the one-decision-per-sighting rule); sightings that arrive while a vehicle is being handled wait in a
 * short queue (a second vehicle cannot be at the window before the first has left).
 */
public final class Lane implements AutoCloseable {
    private static final TaggedLogger LOG = Logger.tag("lane");
    private static final Duration PASS_BEEP = Duration.ofMillis(150);
    private static final Duration STOP_BEEP = Duration.ofMillis(1200);
    private static final Duration STEP = Duration.ofMillis(20);

    private final KioskIdentity kiosk;
    private final PassChecker passes;
    private final Screening screening;
    private final DecisionTable table;
    private final LaneOutputs outputs;
    private final Optional<PresenceSensor> presence;
    private final Outbox outbox;
    private final PlatePrivacy privacy;
    private final LaneConfig config;
    private final Runnable onCommitted;
    private final Ticker ticker;
    private final LaneCycle cycle;
    private final BlockingQueue<Sighting> queue = new ArrayBlockingQueue<>(8);
    private final AtomicInteger busy = new AtomicInteger();
    private volatile boolean running = true;
    private Thread thread;

    /**
     * @param checks      what decides a vehicle
     * @param devices     the lights, buzzer and barrier, and the presence sensor when fitted (a decision then stays up
     *                    until the vehicle has left)
     * @param recording   where events and alarms are stored, and what stamps them
     * @param config      the lane's timeouts and hold times
     * @param ticker      the lane's clock (timeouts, signal hold, the durations reported in events)
     * @param onCommitted called after each event is committed (wakes the publisher)
     */
    public Lane(LaneChecks checks, LaneDevices devices, LaneRecording recording, LaneConfig config, Ticker ticker,
                Runnable onCommitted) {
        this.kiosk = recording.kiosk();
        this.passes = checks.passes();
        this.screening = checks.screening();
        this.table = checks.table();
        this.outputs = devices.outputs();
        this.presence = devices.presence();
        this.outbox = new Outbox(recording.store(), recording.topics(), recording.clock(), recording.bootId());
        this.privacy = recording.privacy();
        this.config = config;
        this.onCommitted = onCommitted;
        this.ticker = ticker;
        this.cycle = new LaneCycle(config.measureTimeout(), config.signalHold(), screening.window(), presence.isPresent());
    }

    /** Takes the lane out of its out-of-service start state: lights off, ready for vehicles. */
    public void start() {
        outputs.light(LaneOutputs.Light.OFF);
        thread = Thread.ofPlatform().name("lane").start(this::run);
    }

    /** Hands a sighting to the lane; blocks briefly when the lane is still busy with earlier vehicles. */
    public void accept(Sighting sighting) {
        busy.incrementAndGet();
        try {
            if (!queue.offer(sighting, 30, TimeUnit.SECONDS)) {
                busy.decrementAndGet();
                LOG.warn("lane queue full; sighting {} not handled", sighting.frameSequence());
            }
        } catch (InterruptedException e) {
            busy.decrementAndGet();
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (running) {
            Sighting s;
            try {
                s = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            senseAndTick();
            if (s == null) {
                continue;
            }
            try {
                handle(s);
            } catch (RuntimeException e) {
                LOG.error(e, "handling a sighting failed; lane shows manual check");
                outputs.light(LaneOutputs.Light.AMBER);
            } finally {
                busy.decrementAndGet();
            }
        }
    }

    private void senseAndTick() {
        long now = ticker.nanos();
        presence.ifPresent(p -> cycle.presence(p.present(), now));
        cycle.tick(now);
    }

    /** Where the lane's state machine is (for tests and telemetry). */
    public LaneCycle.State state() {
        return cycle.state();
    }

    /**
     * One vehicle, start to finish, on the calling thread: empty when the sighting is ignored because a vehicle is
     * still being handled (one decision per sighting). Public for tests that drive the lane without threads.
     */
    public Optional<Decision> handle(Sighting s) {
        long seen = ticker.nanos();
        CodesInView view = CodesInView.of(s.texts(), PassFormat.KNOWN);
        if (!cycle.codeSeen(view.chosen(), seen)) {
            LOG.info("sighting {} ignored: lane is {} with another vehicle", s.frameSequence(), cycle.state());
            return Optional.empty();
        }
        PassCheck pass = check(view);
        long m0 = ticker.nanos();
        TemperatureResult temperature = null;
        while (temperature == null) {
            TemperatureResult window = screening.measure();
            switch (cycle.measured(window, ticker.nanos())) {
                case LaneCycle.Step.Decide d -> temperature = d.temperature();
                case LaneCycle.Step.MeasureAgain again -> LOG.info("retest within the timeout: {}", again.why());
                case LaneCycle.Step.Ignore ignore -> throw new IllegalStateException(ignore.why());
            }
        }
        long measureNanos = ticker.nanos() - m0;
        DecisionTable.Verdict verdict = table.decide(pass, view.multiplePasses(), temperature.kind());
        long totalNanos = ticker.nanos() - s.frameNanos();
        CheckpointEvent event = new CheckpointEvent(pass, temperature, verdict, s.decodeNanos(), measureNanos, totalNanos);
        Decision decision;
        try {
            AppendOutcome outcome = outbox.tryRecord(event.payload(privacy));
            if (outcome instanceof AppendOutcome.Refused refused) {
                // Disk at its floor: the refusal is counted (store.dropped); an officer records this vehicle by hand.
                LOG.error("event not recorded: {}; manual check", refused.reason());
                decision = Decision.MANUAL;
            } else {
                StoredMessage stored = ((AppendOutcome.Committed) outcome).message();
                verdict.alarm().ifPresent(alarm -> raiseFraudAlarm(event, stored));
                onCommitted.run();
                LOG.info("event seq {} pass={} temperature={} decision={} reasons={}", stored.seq(),
                        pass.outcome().wire(), event.temperature().kind().wire(), verdict.decision().wire(),
                        verdict.reasons());
                decision = verdict.decision();
            }
        } catch (StoreException e) {
            // Without a durable record the kiosk must not wave anyone through: an officer takes over.
            LOG.error("event not recorded: {}", e.getMessage());
            decision = Decision.MANUAL;
        }
        signal(decision);
        holdUntilClear();
        return Optional.of(decision);
    }

    /**
     * The check the vehicle is decided by: of the chosen code, or with several passes in view, of the pass whose own
     * decision is strictest (a forged pass beside a valid one still raises the fraud alarm).
     */
    private PassCheck check(CodesInView view) {
        if (!view.multiplePasses()) {
            return passes.check(view.chosen());
        }
        LOG.info("{} different passes in view; manual check", view.passes().size());
        PassCheck strictest = null;
        for (String text : view.passes()) {
            PassCheck c = passes.check(text);
            if (strictest == null || DecisionTable.rank(table.forPass(c.outcome())) > DecisionTable.rank(table.forPass(strictest.outcome()))) {
                strictest = c;
            }
        }
        return strictest;
    }

    /** A revoked or forged pass also raises an ALARM-class message; failing to store it does not change the decision. */
    private void raiseFraudAlarm(CheckpointEvent event, StoredMessage stored) {
        try {
            outbox.record(event.fraudAlarm(stored.id()));
        } catch (StoreException e) {
            LOG.error("fraud alarm for event seq {} not recorded: {}", stored.seq(), e.getMessage());
        }
    }

    private void signal(Decision d) {
        switch (d) {
            case PASS -> {
                outputs.light(LaneOutputs.Light.GREEN);
                outputs.beep(PASS_BEEP);
                if (!config.barrierOpen().isZero()) {
                    outputs.openBarrier(config.barrierOpen());
                }
            }
            case STOP -> {
                outputs.light(LaneOutputs.Light.RED);
                outputs.beep(STOP_BEEP);
            }
            case MANUAL -> outputs.light(LaneOutputs.Light.AMBER);
        }
    }

    /** Keeps the decision shown until the cycle clears it (signal time, and the vehicle gone when a sensor says so). */
    private void holdUntilClear() {
        senseAndTick();
        while (cycle.state() == LaneCycle.State.DECIDED && !Thread.currentThread().isInterrupted()) {
            ticker.sleep(STEP);
            senseAndTick();
        }
        outputs.light(LaneOutputs.Light.OFF);
        senseAndTick();
    }

    /** Waits until every sighting handed in so far has been handled. */
    public void awaitIdle(Duration timeout) throws InterruptedException {
        long end = ticker.nanos() + timeout.toNanos();
        while (busy.get() > 0 && ticker.nanos() < end) {
            ticker.sleep(STEP);
            if (Thread.interrupted()) {
                throw new InterruptedException("waiting for the lane to finish its vehicles");
            }
        }
    }

    /** Stops the lane thread; the outputs' own close (in Devices) puts the lane out of service. */
    @Override
    public void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(config.signalHold().plus(config.measureTimeout()).toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
