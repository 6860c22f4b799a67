package ckp.kiosk.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Moves a corrupt store file aside, never deleting it: {@code events.db} becomes
 * {@code events.db.corrupt-20261129T071400Z}, and its {@code -wal} and {@code -shm} files follow under the same new
 * name, so SQLite (or a forensic tool) can still open the quarantined copy together with its last commits. (Opening
 * the file for the check is ordinary SQLite use: a WAL without a single valid frame is discarded by SQLite then.)
 */
final class Quarantine {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private Quarantine() {
    }

    /** Renames a corrupt database and its companions; returns the new database path. */
    static Path moveAside(Path db, Instant now) throws IOException {
        return moveAside(db, now, "corrupt");
    }

    /**
     * Renames whatever of the database and its companions is there to {@code <name>.<why>-<UTC time>}; returns the new
     * database path (which exists only when the database file did). Used for corrupt files and for files found at
     * {@code store.path} that are not the one the store had open (see {@link EventStore}).
     */
    static Path moveAside(Path db, Instant now, String why) throws IOException {
        String base = db.getFileName() + "." + why + "-" + STAMP.format(now);
        Path target = db.resolveSibling(base);
        for (int n = 2; Files.exists(target) || Files.exists(target.resolveSibling(target.getFileName() + "-wal")); n++) {
            target = db.resolveSibling(base + "-" + n);
        }
        for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
            Path companion = db.resolveSibling(db.getFileName() + suffix);
            if (Files.exists(companion)) {
                Files.move(companion, target.resolveSibling(target.getFileName() + suffix),
                        StandardCopyOption.ATOMIC_MOVE);
            }
        }
        // The database file moves last: until it has moved, a crash leaves it in place to be checked again.
        if (Files.exists(db)) {
            Files.move(db, target, StandardCopyOption.ATOMIC_MOVE);
        }
        return target;
    }

    /**
     * The persisted counters (sequence numbers, bdSeq, loss counters) still readable from a quarantined file, so the
     * new store continues the sequences and the central side sees the lost range as a gap; empty when unreadable.
     */
    static Map<String, Long> salvageCounters(Path quarantined) {
        Map<String, Long> counters = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + quarantined + "?mode=ro");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT key, value FROM meta")) {
            while (rs.next()) {
                counters.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException | RuntimeException e) {
            counters.clear();
        }
        return counters;
    }
}
