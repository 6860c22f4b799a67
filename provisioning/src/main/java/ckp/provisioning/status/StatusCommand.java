package ckp.provisioning.status;

import ckp.kiosk.KioskConfig;
import ckp.kiosk.config.ConfigException;
import ckp.kiosk.store.StoreException;
import ckp.kiosk.store.StoreStatus;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code kioskctl status}: the running kiosk's state without disturbing it: the service state from systemd, and the
 * outbox as the store's read-only {@link StoreStatus} gives it (SQLite WAL lets a reader in beside the writing service).
 * Prints no payloads: they hold pass hashes and decisions that are not the technician's business.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Service state, queue depth, last events, alarms and broker acknowledgements.")
public final class StatusCommand implements Callable<Integer> {
    private static final int LAST = 5;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", description = "default: ${DEFAULT-VALUE}")
    Path config = Path.of("/etc/checkpoint-kiosk/kiosk.properties");

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            return show(out);
        } finally {
            out.flush();
        }
    }

    private int show(PrintWriter out) {
        out.println("service:    checkpoint-kiosk " + ServiceState.of("checkpoint-kiosk"));
        KioskConfig kc;
        try {
            kc = KioskConfig.load(config);
        } catch (ConfigException e) {
            out.println("config:     " + config + ": " + e.getMessage());
            return 1;
        }
        out.println("kiosk:      " + kc.kiosk().id() + " at " + kc.kiosk().site() + "/" + kc.kiosk().lane());
        Path db = kc.store().path();
        if (!Files.exists(db)) {
            out.println("store:      " + db + " does not exist yet (the service has not run)");
            return 0;
        }
        Instant now = Instant.now();
        StoreStatus status;
        try {
            status = StoreStatus.read(db, LAST);
        } catch (StoreException e) {
            out.println("store:      " + e.getMessage()
                    + " (run as root; a store written by another version of the kiosk is upgraded when the service "
                    + "of this version starts)");
            return 1;
        }
        out.println("store:      " + db + " (" + status.fileBytes() / 1024 + " KiB)");
        out.println("queue:      " + status.queueDepth() + " undelivered" + status.oldestUndelivered()
                .filter(oldest -> status.queueDepth() > 0).map(oldest -> ", oldest " + age(now, oldest) + " old")
                .orElse(""));
        out.println("broker:     " + status.lastAcknowledged().map(acked -> "last acknowledgement " + age(now, acked)
                + " ago").orElse("no acknowledgement yet"));
        out.println("last events:");
        for (StoreStatus.RecentEvent e : status.lastEvents()) {
            out.println("  seq " + e.seq() + "  " + e.committedAt() + e.acknowledgedAt()
                    .map(acked -> "  delivered " + acked).orElse("  queued"));
        }
        out.println("alarms (last " + LAST + "):");
        for (StoreStatus.RecentAlarm a : status.lastAlarms()) {
            out.println("  seq " + a.seq() + "  " + a.committedAt() + "  " + a.topic());
        }
        if (status.lastAlarms().isEmpty()) {
            out.println("  none");
        }
        out.println("counters:");
        status.counters().forEach((key, value) -> out.println("  " + key + " = " + value));
        return 0;
    }

    private static String age(Instant now, Instant then) {
        Duration d = Duration.between(then, now);
        if (d.toHours() > 0) {
            return d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        return d.toMinutes() > 0 ? d.toMinutes() + " min " + d.toSecondsPart() + " s" : d.toSeconds() + " s";
    }
}
