package ckp.provisioning.status;

import ckp.kiosk.KioskConfig;
import ckp.kiosk.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code kioskctl status}: the running kiosk's state without disturbing it: the service state from systemd, and the
 * outbox read from the store file in read-only mode (SQLite WAL lets a reader in beside the writing service).
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
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro");
             Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=5000");
            out.println("store:      " + db + " (" + Files.size(db) / 1024 + " KiB)");
            try (ResultSet r = s.executeQuery(
                    "SELECT count(*), min(created_ms) FROM messages WHERE acked_ms IS NULL")) {
                r.next();
                long depth = r.getLong(1);
                long oldest = r.getLong(2);
                out.println("queue:      " + depth + " undelivered"
                        + (depth > 0 ? ", oldest " + age(now, oldest) + " old" : ""));
            }
            try (ResultSet r = s.executeQuery("SELECT max(acked_ms) FROM delivery")) {
                r.next();
                long acked = r.getLong(1);
                out.println("broker:     " + (r.wasNull() ? "no acknowledgement yet"
                        : "last acknowledgement " + age(now, acked) + " ago"));
            }
            out.println("last events:");
            try (ResultSet r = s.executeQuery("SELECT seq, created_ms, acked_ms FROM messages WHERE class = 'event' "
                    + "ORDER BY position DESC LIMIT " + LAST)) {
                while (r.next()) {
                    long acked = r.getLong(3);
                    out.println("  seq " + r.getLong(1) + "  " + Instant.ofEpochMilli(r.getLong(2))
                            + (r.wasNull() ? "  queued" : "  delivered " + Instant.ofEpochMilli(acked)));
                }
            }
            out.println("alarms (last " + LAST + "):");
            try (ResultSet r = s.executeQuery("SELECT seq, created_ms, topic FROM outbox WHERE class = 'alarm' "
                    + "ORDER BY position DESC LIMIT " + LAST)) {
                boolean any = false;
                while (r.next()) {
                    any = true;
                    out.println("  seq " + r.getLong(1) + "  " + Instant.ofEpochMilli(r.getLong(2)) + "  " + r.getString(3));
                }
                if (!any) {
                    out.println("  none");
                }
            }
            out.println("counters:");
            try (ResultSet r = s.executeQuery("SELECT key, value FROM meta ORDER BY key")) {
                while (r.next()) {
                    out.println("  " + r.getString(1) + " = " + r.getLong(2));
                }
            }
            return 0;
        } catch (SQLException | java.io.IOException e) {
            out.println("store:      cannot read " + db + ": " + e.getMessage()
                    + " (run as root; a store written by another version of the kiosk is upgraded when the service "
                    + "of this version starts)");
            return 1;
        }
    }

    private static String age(Instant now, long epochMillis) {
        Duration d = Duration.between(Instant.ofEpochMilli(epochMillis), now);
        if (d.toHours() > 0) {
            return d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        return d.toMinutes() > 0 ? d.toMinutes() + " min " + d.toSecondsPart() + " s" : d.toSeconds() + " s";
    }
}
