package ckp.kiosk;

import ckp.drivers.time.Ticker;
import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.config.ConfigException;
import ckp.kiosk.lane.DecisionTable;
import ckp.kiosk.lane.Lane;
import ckp.kiosk.lane.LaneChecks;
import ckp.kiosk.lane.LaneRecording;
import ckp.kiosk.message.Lifecycle;
import ckp.kiosk.message.Topics;
import ckp.kiosk.pass.DenyListFeed;
import ckp.kiosk.pass.PassChecker;
import ckp.kiosk.pass.TrustStore;
import ckp.kiosk.publish.CertificateExpiry;
import ckp.kiosk.publish.CommandReply;
import ckp.kiosk.publish.Commands;
import ckp.kiosk.publish.ConfigCommand;
import ckp.kiosk.publish.PahoBrokerLink;
import ckp.kiosk.publish.Publisher;
import ckp.kiosk.publish.Telemetry;
import ckp.kiosk.publish.TelemetrySource;
import ckp.kiosk.publish.TlsContexts;
import ckp.kiosk.rules.PlateWatchFeed;
import ckp.kiosk.rules.RulesInForce;
import ckp.kiosk.scan.QrDecoder;
import ckp.kiosk.scan.RepeatFilter;
import ckp.kiosk.scan.Scanner;
import ckp.kiosk.screening.Screening;
import ckp.kiosk.service.PipelineProgress;
import ckp.kiosk.service.SystemdNotify;
import ckp.kiosk.service.Watchdog;
import ckp.kiosk.site.SiteAuthority;
import ckp.kiosk.site.SiteMessageAlarm;
import ckp.kiosk.store.EventStore;
import ckp.kiosk.store.Outbox;
import ckp.kiosk.store.StoreMaintenance;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLSocketFactory;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The service: wires the pipeline stages with {@code new} and runs them until stopped, or, for a camera that ends
 * (a folder played once), until every frame is decided and every event delivered or the drain time is up.
 */
public final class Kiosk implements AutoCloseable {
    private static final TaggedLogger LOG = Logger.tag("kiosk");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KioskConfig config;
    private final Devices devices;
    private final EventStore store;
    private final StoreMaintenance storeMaintenance;
    private final Publisher publisher;
    private final Screening screening;
    private final Telemetry telemetry;
    private final Lane lane;
    private final Scanner scanner;
    private final PassChecker passes;
    private final DenyListFeed denyListFeed;
    private final RulesInForce rules;
    private final PlateWatchFeed rulesFeed;
    private final CertificateExpiry certificates;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    public Kiosk(KioskConfig config, Devices devices, ClockStatus clock) throws IOException, ConfigException {
        this.config = config;
        this.devices = devices;
        Ticker ticker = devices.ticker();
        // Bad PEM files are a config error (exit 78): checked before anything is opened.
        Optional<SSLSocketFactory> tls = TlsContexts.forMqtt(config.mqtt());
        // A rules.file that is not a rules document is a config error too: the watch it holds must be in force.
        this.rules = RulesInForce.withFile(config.site().rulesFile());
        String bootId = bootId();
        Topics topics = new Topics(config.mqtt().topicPrefix(), config.kiosk().site(), config.kiosk().lane(),
                config.kiosk().id());
        this.store = EventStore.open(config.store(), topics, bootId, clock);
        Outbox outbox = new Outbox(store, topics, clock, bootId);
        this.storeMaintenance = new StoreMaintenance(store, clock, java.time.Duration.ofMinutes(1));
        // The TLS files' dates: an expired or soon expiring CA or client certificate is logged and alarmed.
        this.certificates = new CertificateExpiry(config.mqtt(), outbox, clock);
        certificates.checkNow();
        this.passes = PassChecker.from(config.pass(), clock);
        SiteAuthority authority = config.site().trustDir().isPresent()
                ? SiteAuthority.load(config.site().trustDir().get()) : SiteAuthority.NONE;
        authority.log();
        if (config.site().trustDir().isEmpty()) {
            LOG.warn("no site.trust.dir: deny lists and rules from the broker are refused (only pass.denylist.file "
                    + "and rules.file are in force)");
        }
        SiteMessageAlarm denyListAlarm = new SiteMessageAlarm(outbox, DenyListFeed.KIND,
                topics.siteDenylist());
        this.denyListFeed = DenyListFeed.open(config.pass().denylistCacheFile()
                .orElse(config.store().path().resolveSibling("denylist.json")), authority, passes::useTopicDenyList,
                denyListAlarm::report);
        String rulesTopic = PlateWatchFeed.topic(config.mqtt().topicPrefix(), config.kiosk().site());
        SiteMessageAlarm rulesAlarm = new SiteMessageAlarm(outbox, PlateWatchFeed.KIND,
                rulesTopic);
        this.rulesFeed = PlateWatchFeed.open(config.site().rulesCacheFile()
                .orElse(config.store().path().resolveSibling("rules.json")), authority, rules::useSiteRules,
                rulesAlarm::report);
        this.publisher = new Publisher(store,
                new PahoBrokerLink(config.kiosk().id(), config.mqtt().username(), config.mqtt().passwordFile(),
                        tls, (int) config.mqtt().keepAlive().toSeconds()),
                config.mqtt(), topics, KioskVersion.current(), clock, bootId);
        this.screening = new Screening(devices.thermometer(), config.screening(), ticker);
        this.lane = new Lane(new LaneChecks(passes, screening, new DecisionTable(config.decision(), rules)),
                devices.lane(),
                new LaneRecording(store, topics, clock, bootId, config.kiosk(), config.pass().platePrivacy()),
                config.lane(), ticker, publisher::wake);
        // Warm before the camera starts: a decode step's first, interpreted runs end far past the frame's budget.
        QrDecoder decoder = new QrDecoder(config.scan().decodeBudget());
        decoder.warmUp();
        this.scanner = new Scanner(devices.camera(), decoder,
                new RepeatFilter(config.scan().repeatWindow()),
                lane::accept);
        this.telemetry = new Telemetry(store, publisher,
                new StageTelemetry(screening, devices.camera(), scanner, store, clock::now,
                        () -> new TelemetrySource.RulesFigures(rules.siteRules().version(), rules.entries(),
                                rulesFeed.refusedCount()), rulesAlarm::raised, ticker), clock, bootId,
                config.mqtt().telemetryInterval());
        // The site's retained deny list: newer signed versions replace the one in force and are cached for restarts.
        // Its own slot, not the command queue: a command flood must never cost a revocation.
        publisher.subscribeLatest(topics.siteDenylist(), m -> denyListFeed.accept(m.payload()));
        // The site's retained plate watch rules: the same guard, their own slot.
        publisher.subscribeLatest(rulesTopic, m -> rulesFeed.accept(m.payload()));
        new Commands(topics, publisher, clock::now)
                .register("config", new ConfigCommand(config.mqtt(), topics, publisher, telemetry))
                .register("denylist", (args, payload) -> denyListCommand(args))
                .register("trust", (args, payload) -> trustReply(passes.reloadTrust(), reloadSiteKeys()))
                .register("selftest", (args, payload) -> selftestReply())
                .register("rules", (args, payload) -> rulesReply())
                .attach();
        outbox.record(new Lifecycle("started", KioskVersion.current()));
    }

    /** The {@code denylist} command: {@code args.jws} holds a deny list signed as on the site topic. */
    private CommandReply denyListCommand(JsonNode args) {
        JsonNode jws = args.get("jws");
        if (jws == null || !jws.isTextual()) {
            return CommandReply.error("bad-argument", "args.jws must hold the deny list signed by the site authority "
                    + "(a JWS compact serialisation: kioskctl site sign FILE.json)");
        }
        DenyListFeed.Update update = denyListFeed.accept(jws.textValue().getBytes(StandardCharsets.UTF_8));
        ObjectNode result = JSON.createObjectNode().put("result", update.result().name().toLowerCase(Locale.ROOT))
                .put("version", update.version()).put("detail", update.detail());
        return update.refused() || update.result() == DenyListFeed.Result.CLEARED
                ? CommandReply.error("bad-argument", update.detail().isEmpty() ? "an empty deny list message"
                        : update.detail()) : CommandReply.ok(result);
    }

    /** The {@code rules} command: the rules in force (version, entries, source) and the latest rules message's fate. */
    private CommandReply rulesReply() {
        ObjectNode result = rules.describe();
        result.put("refused", rulesFeed.refusedCount());
        Optional<PlateWatchFeed.Update> last = rulesFeed.lastUpdate();
        if (last.isPresent()) {
            result.putObject("lastMessage").put("result", last.get().result().name().toLowerCase(Locale.ROOT))
                    .put("version", last.get().version()).put("kid", last.get().kid())
                    .put("detail", last.get().detail());
        } else {
            result.putNull("lastMessage");
        }
        return CommandReply.ok(result);
    }

    private static CommandReply trustReply(TrustStore trust, SiteAuthority site) {
        ObjectNode result = JSON.createObjectNode();
        trust.kids().forEach(result.putArray("kids")::add);
        trust.signerKids().forEach(result.putArray("signerKids")::add);
        trust.problems().forEach(result.putArray("problems")::add);
        site.kids().forEach(result.putArray("siteKids")::add);
        site.problems().forEach(result.putArray("siteProblems")::add);
        return CommandReply.ok(result);
    }

    /**
     * Reads {@code site.trust.dir} again (the {@code trust} command: a site key rotated without a restart); a folder
     * that cannot be read keeps the keys in use. Logs only when something changed.
     */
    private SiteAuthority reloadSiteKeys() {
        SiteAuthority old = denyListFeed.authority();
        if (config.site().trustDir().isEmpty()) {
            return old;
        }
        try {
            SiteAuthority next = SiteAuthority.load(config.site().trustDir().get());
            if (!next.sameAs(old)) {
                denyListFeed.useAuthority(next);
                rulesFeed.useAuthority(next);
                next.log();
            }
            return next;
        } catch (IOException e) {
            LOG.error("site trust reload: cannot read {} ({}); keeping {} key(s)", config.site().trustDir().get(),
                    e.getMessage(), old.kids().size());
            return old;
        }
    }

    /** The running service's own check of its stages; the hardware self-test is {@code kioskctl selftest}. */
    private CommandReply selftestReply() {
        ObjectNode result = JSON.createObjectNode();
        try {
            result.put("store", "ok").put("queueDepth", store.health(Instant.now()).queueDepth());
        } catch (ckp.kiosk.store.StoreException e) {
            result.put("store", "failed: " + e.getMessage());
        }
        result.put("thermometer", screening.health().wire());
        result.put("camera", devices.camera().health().running() ? "running" : "not running");
        result.put("framesDecoded", scanner.framesDecoded());
        result.put("brokerConnected", publisher.connected());
        return CommandReply.ok(result);
    }

    /** Starts every stage and blocks until the camera ends or {@link #close()} is called; returns the exit status. */
    public int run() throws InterruptedException {
        storeMaintenance.start();
        certificates.start();
        publisher.start();
        telemetry.start();
        lane.start();
        scanner.start();
        LOG.info("kiosk {} at {}/{} running, camera {}", config.kiosk().id(), config.kiosk().site(),
                config.kiosk().lane(), devices.camera().describe());
        // systemd (Type=notify): ready once the store is open and the stages run; watchdog fed only on progress.
        Optional<SystemdNotify> systemd = SystemdNotify.fromEnvironment();
        Optional<Watchdog> watchdog = systemd.flatMap(n -> Watchdog.periodFromEnvironment().map(period ->
                new Watchdog(n, period, new PipelineProgress(scanner::framesRead, scanner::sourceEnded,
                        store::undeliveredCount))));
        systemd.ifPresent(SystemdNotify::ready);
        watchdog.ifPresent(Watchdog::start);
        Thread waiter = Thread.ofPlatform().daemon().name("camera-end").start(() -> {
            try {
                scanner.awaitEnd();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped.countDown();
        });
        stopped.await();
        systemd.ifPresent(SystemdNotify::stopping);
        watchdog.ifPresent(Watchdog::close);
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
        if (scanner.sourceFailed()) {
            // The camera could not recover by itself (e.g. it delivers another frame size than configured):
            // a non-zero exit lets systemd restart the service and shows the failure in its state.
            LOG.error("stopping because the camera failed; see the camera log lines above");
            return 1;
        }
        return 0;
    }

    /** Asks {@link #run()} to finish (SIGTERM). */
    public void stop() {
        stopped.countDown();
    }

    /** The pass checker; the MQTT {@code trust} command's handler calls {@link PassChecker#reloadTrust()}. */
    public PassChecker passes() {
        return passes;
    }

    /** Handles messages of the retained {@code {prefix}/{site}/denylist} topic: subscribe it to {@code accept}. */
    public DenyListFeed denyListFeed() {
        return denyListFeed;
    }

    /** The plate watch rules in force (site and rules.file). */
    public RulesInForce rules() {
        return rules;
    }

    /** Handles messages of the retained {@code {prefix}/{site}/rules} topic. */
    public PlateWatchFeed rulesFeed() {
        return rulesFeed;
    }

    public EventStore store() {
        return store;
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        scanner.close();
        lane.close();
        telemetry.close();
        publisher.close();
        devices.close();
        storeMaintenance.close();
        certificates.close();
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
