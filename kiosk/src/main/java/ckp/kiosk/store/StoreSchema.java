package ckp.kiosk.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The store file's layout: connecting with the integrity check and durability settings, creating the tables or
 * migrating a file written by an older version, and copying what is undelivered from one file to another. Stateless;
 * {@link StoreFile} holds the connections.
 */
final class StoreSchema {
    private static final TaggedLogger LOG = Logger.tag("store");

    /** {@code PRAGMA user_version} of the layout {@link #createSchema} makes; 0 was the single-table outbox. */
    static final int SCHEMA_VERSION = 1;

    private StoreSchema() {
    }

    /** The store file failed its integrity check. */
    static final class CorruptStore extends Exception {
        CorruptStore(String message) {
            super(message);
        }
    }

    /**
     * Points sqlite-jdbc's native library extraction at {@code <store folder>/native} unless the operator chose a
     * folder with {@code -Dorg.sqlite.tmpdir}; it must happen before the driver first loads (the first connection).
     */
    static void keepNativeLibraryNextTo(Path folder) throws IOException {
        if (System.getProperty(EventStore.NATIVE_DIR_PROPERTY) == null) {
            Path nativeDir = folder.resolve("native");
            Files.createDirectories(nativeDir);
            System.setProperty(EventStore.NATIVE_DIR_PROPERTY, nativeDir.toString());
        }
    }

    /** The read-only connection for {@link DeliveryLedger#pending}; opened once the schema exists. */
    static Connection openReader(Path path) throws SQLException {
        Connection r = DriverManager.getConnection("jdbc:sqlite:" + path);
        try (Statement s = r.createStatement()) {
            s.execute("PRAGMA busy_timeout=5000");
            s.execute("PRAGMA query_only=1");
            return r;
        } catch (SQLException e) {
            r.close();
            throw e;
        }
    }

    static Connection connectChecked(Path path) throws SQLException, CorruptStore {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + path);
        try (Statement s = c.createStatement()) {
            StringBuilder problems = new StringBuilder();
            try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
                while (rs.next()) {
                    String line = rs.getString(1);
                    if (!"ok".equals(line) && problems.length() < 500) {
                        problems.append(problems.isEmpty() ? "" : "; ").append(line);
                    }
                }
            }
            if (!problems.isEmpty()) {
                throw new CorruptStore("quick_check: " + problems);
            }
            s.execute("PRAGMA journal_mode=WAL");
            // NORMAL would lose the last commits on power loss in WAL mode; FULL syncs the WAL on every commit.
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA busy_timeout=5000");
            return c;
        } catch (SQLException e) {
            c.close();
            int primary = e.getErrorCode() & 0xFF;
            if (primary == 11 || primary == 26) { // SQLITE_CORRUPT, SQLITE_NOTADB
                throw new CorruptStore(e.getMessage());
            }
            throw e;
        } catch (CorruptStore e) {
            c.close();
            throw e;
        }
    }

    /**
     * Creates the tables, or brings a store written by an older version up to {@link #SCHEMA_VERSION}.
     *
     * <p>A message lives in two rows: {@code outbox} holds what was committed and never changes; {@code delivery} holds
     * its attempts and acknowledgement. The split is for speed: marking a PUBACK rewrote the whole outbox row (payload
     * and all, about ten rows to a page), so a batch of acknowledgements wrote a dozen pages to the WAL and the
     * checkpoint wrote them again; delivery rows are a few dozen bytes, about a hundred to a page. The view
     * {@code messages} joins the two for audits and tools.
     */
    static void createSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA foreign_keys=ON");
            int version;
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                version = rs.getInt(1);
            }
            if (version > SCHEMA_VERSION) {
                throw new SQLException("the store was written by a newer kiosk (schema " + version + ", this one knows "
                        + SCHEMA_VERSION + "); install that version again or move the file aside");
            }
            boolean unversioned = version == 0 && hasColumn(c, "outbox", "acked_ms");
            c.setAutoCommit(false);
            try {
                s.execute("""
                        CREATE TABLE IF NOT EXISTS outbox (
                          position        INTEGER PRIMARY KEY AUTOINCREMENT,
                          id              TEXT NOT NULL UNIQUE,
                          class           TEXT NOT NULL,
                          seq             INTEGER NOT NULL,
                          topic           TEXT NOT NULL,
                          payload         BLOB NOT NULL,
                          retain          INTEGER NOT NULL DEFAULT 0,
                          created_ms      INTEGER NOT NULL,
                          monotonic_ns    INTEGER NOT NULL,
                          boot_id         TEXT NOT NULL,
                          clock_synced    INTEGER NOT NULL,
                          UNIQUE (class, seq))""");
                s.execute("""
                        CREATE TABLE IF NOT EXISTS delivery (
                          position        INTEGER PRIMARY KEY REFERENCES outbox(position) ON DELETE CASCADE,
                          attempts        INTEGER NOT NULL DEFAULT 0,
                          published_ms    INTEGER,
                          acked_ms        INTEGER)""");
                if (unversioned) {
                    // Version 0 kept the delivery columns in outbox: move them, then drop them there.
                    s.execute("""
                            INSERT INTO delivery (position, attempts, published_ms, acked_ms)
                            SELECT position, attempts, published_ms, acked_ms FROM outbox""");
                    s.execute("DROP INDEX IF EXISTS outbox_pending");
                    s.execute("DROP INDEX IF EXISTS outbox_delivered");
                    for (String column : List.of("attempts", "published_ms", "acked_ms")) {
                        s.execute("ALTER TABLE outbox DROP COLUMN " + column);
                    }
                    LOG.info("store schema upgraded to version {}", SCHEMA_VERSION);
                }
                // The publisher's next messages and the queue depth; both stay small however long the store is.
                s.execute("CREATE INDEX IF NOT EXISTS delivery_pending ON delivery(position) WHERE acked_ms IS NULL");
                s.execute("""
                        CREATE VIEW IF NOT EXISTS messages AS
                        SELECT o.*, d.attempts, d.published_ms, d.acked_ms
                        FROM outbox o JOIN delivery d ON d.position = o.position""");
                s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
                s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static boolean hasColumn(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pragma_table_info(?) WHERE name = ?")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Copies the counters, the outbox's position sequence and every undelivered message (with its delivery row) from
     * {@code from} into {@code to}, in one transaction on {@code to}; returns how many messages. SQLite still reads a
     * deleted file through the connection that has it open; it only refuses to write to it.
     */
    static long carryOver(Connection from, Connection to) throws SQLException {
        to.setAutoCommit(false);
        try {
            try (Statement read = from.createStatement();
                 ResultSet rs = read.executeQuery("SELECT key, value FROM meta");
                 PreparedStatement put = to.prepareStatement("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)")) {
                while (rs.next()) {
                    put.setString(1, rs.getString(1));
                    put.setLong(2, rs.getLong(2));
                    put.executeUpdate();
                }
            }
            long copied = 0;
            try (Statement read = from.createStatement();
                 ResultSet rs = read.executeQuery("""
                         SELECT o.position, o.id, o.class, o.seq, o.topic, o.payload, o.retain, o.created_ms,
                                o.monotonic_ns, o.boot_id, o.clock_synced, d.attempts, d.published_ms
                         FROM delivery d CROSS JOIN outbox o ON o.position = d.position
                         WHERE d.acked_ms IS NULL ORDER BY d.position""");
                 PreparedStatement outbox = to.prepareStatement("""
                         INSERT INTO outbox (position, id, class, seq, topic, payload, retain, created_ms,
                                             monotonic_ns, boot_id, clock_synced) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
                 PreparedStatement delivery = to.prepareStatement(
                         "INSERT INTO delivery (position, attempts, published_ms) VALUES (?, ?, ?)")) {
                while (rs.next()) {
                    for (int i = 1; i <= 11; i++) {
                        outbox.setObject(i, rs.getObject(i));
                    }
                    outbox.executeUpdate();
                    delivery.setLong(1, rs.getLong(1));
                    delivery.setLong(2, rs.getLong(12));
                    delivery.setObject(3, rs.getObject(13));
                    delivery.executeUpdate();
                    copied++;
                }
            }
            // Positions go on from the old file's last one, delivered rows included: the publisher's cursor is there.
            long lastPosition;
            try (Statement read = from.createStatement();
                 ResultSet rs = read.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'")) {
                lastPosition = rs.next() ? rs.getLong(1) : 0;
            }
            try (PreparedStatement up = to.prepareStatement(
                    "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'outbox'");
                 PreparedStatement first = to.prepareStatement(
                         "INSERT INTO sqlite_sequence(name, seq) VALUES ('outbox', ?)")) {
                up.setLong(1, lastPosition);
                if (up.executeUpdate() == 0) {
                    first.setLong(1, lastPosition);
                    first.executeUpdate();
                }
            }
            to.commit();
            return copied;
        } catch (SQLException | RuntimeException e) {
            to.rollback();
            throw e;
        } finally {
            to.setAutoCommit(true);
        }
    }

    /**
     * Closes connections on a file that vanished. Safe for the new file at the same path: SQLite does not checkpoint
     * (nor delete the {@code -wal} by name) when closing a connection whose database file has moved.
     */
    static void closeQuietly(Connection... connections) {
        for (Connection c : connections) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException e) {
                    LOG.warn("closing a store connection: {}", e.getMessage());
                }
            }
        }
    }
}
