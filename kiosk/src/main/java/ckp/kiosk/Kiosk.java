package ckp.kiosk;

import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.lane.DecisionTable;
import ckp.kiosk.lane.Lane;
import ckp.kiosk.pass.Ckp1Verifier;
import ckp.kiosk.pass.DenyList;
import ckp.kiosk.pass.PassChecker;
import ckp.kiosk.pass.PlatePrivacy;
import ckp.kiosk.pass.TrustStore;
import ckp.kiosk.publish.Commands;
import ckp.kiosk.publish.ConfigCommand;
import ckp.kiosk.publish.PahoBrokerLink;
import ckp.kiosk.publish.Publisher;
import ckp.kiosk.publish.Telemetry;
import ckp.kiosk.publish.TelemetrySource;
import ckp.kiosk.publish.Topics;
import ckp.kiosk.scan.QrDecoder;
import ckp.kiosk.scan.RepeatFilter;
import ckp.kiosk.scan.Scanner;
import ckp.kiosk.screening.Screening;
import ckp.kiosk.store.EventStore;
import ckp.kiosk.store.MessageClass;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The service: wires the pipeline stages with {@code new} and runs them until stopped, or, for a camera that ends
 * (a folder played once), until every frame is decided and every event delivered or the drain time is up.
 */
public final class Kiosk implements AutoCloseable {
    private static final TaggedLogger LOG = Logger.tag("kiosk");
    private static final int SAMPLES_PER_WINDOW = 3;

    private final KioskConfig config;
    private final Devices devices;
    private final EventStore store;
    private final Publisher publisher;
    private final Telemetry telemetry;
    private final Lane lane;
    private final Scanner scanner;
    private final CountDownLatch stopped = new CountDownLatch(1);

    public Kiosk(KioskConfig config, Devices devices, ClockStatus clock) throws IOException {
        this.config = config;
        this.devices = devices;
        String bootId = bootId();
        Topics topics = new Topics(config.mqtt().topicPrefix(), config.kiosk());
        this.store = EventStore.open(config.store().path());
        TrustStore trust = config.pass().trustDir().isPresent()
                ? TrustStore.load(config.pass().trustDir().get()) : TrustStore.of(java.util.Map.of());
        DenyList deny = config.pass().denylistFile().isPresent()
                ? DenyList.load(config.pass().denylistFile().get()) : DenyList.EMPTY;
        PassChecker passes = new PassChecker(config.pass().mode().equals("record"),
                new Ckp1Verifier(trust, deny, config.pass().skew()), clock);
        this.publisher = new Publisher(store,
                new PahoBrokerLink(config.kiosk().id(), config.mqtt().username(), config.mqtt().passwordFile(),
                        Optional.empty(), (int) config.mqtt().keepAlive().toSeconds()),
                config.mqtt(), topics, Main.version(), clock, bootId);
        // The lead wires the stages' real figures and the denylist/trust/selftest handlers here (see docs/mqtt.md).
        this.telemetry = new Telemetry(store, publisher, TelemetrySource.unknown(), clock, bootId,
                config.mqtt().telemetryInterval());
        new Commands(topics, publisher, clock::now)
                .register("config", new ConfigCommand(config.mqtt(), topics, publisher, telemetry))
                .attach();
        this.lane = new Lane(config.kiosk(), passes,
                new Screening(devices.thermometer(), config.screening().feverCentiCelsius(), SAMPLES_PER_WINDOW),
                new DecisionTable(), devices.outputs(), store, topics, clock, bootId, PlatePrivacy.MASKED,
                config.lane(), publisher::wake);
        this.scanner = new Scanner(devices.camera(), new QrDecoder(), new RepeatFilter(config.scan().repeatWindow()),
                lane::accept);
        store.append(MessageClass.LIFECYCLE, topics.lifecycle(), false, clock.now(), clock.synced(), bootId,
                stamp -> lifecycle(stamp, "started"));
    }

    private byte[] lifecycle(ckp.kiosk.store.Stamp stamp, String what) {
        return new ObjectMapper().createObjectNode()
                .put("id", stamp.id().toString()).put("seq", stamp.seq())
                .put("kiosk", config.kiosk().id()).put("site", config.kiosk().site()).put("lane", config.kiosk().lane())
                .put("time", stamp.time().toString()).put("event", what).put("version", Main.version())
                .put("bootId", stamp.bootId())
                .toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Starts every stage and blocks until the camera ends or {@link #close()} is called; returns the exit status. */
    public int run() throws InterruptedException {
        publisher.start();
        telemetry.start();
        lane.start();
        scanner.start();
        LOG.info("kiosk {} at {}/{} running, camera {}", config.kiosk().id(), config.kiosk().site(),
                config.kiosk().lane(), devices.camera().describe());
        Thread waiter = Thread.ofPlatform().daemon().name("camera-end").start(() -> {
            try {
                scanner.awaitEnd();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped.countDown();
        });
        stopped.await();
        waiter.interrupt();
        lane.awaitIdle(java.time.Duration.ofMinutes(1));
        boolean drained = publisher.awaitDrained(config.lane().shutdownDrain());
        long left = store.undeliveredCount();
        if (drained) {
            LOG.info("outbox drained; stopping");
        } else {
            LOG.warn("{} message(s) still undelivered after {} s; they stay in the store for the next start", left,
                    config.lane().shutdownDrain().toSeconds());
        }
        return 0;
    }

    /** Asks {@link #run()} to finish (SIGTERM). */
    public void stop() {
        stopped.countDown();
    }

    public EventStore store() {
        return store;
    }

    @Override
    public void close() {
        scanner.close();
        lane.close();
        telemetry.close();
        publisher.close();
        devices.close();
        store.close();
    }

    /** The Linux boot id, so the central side can tell monotonic times of different boots apart. */
    static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        } catch (IOException | RuntimeException e) {
            return UUID.randomUUID().toString();
        }
    }
}
