package ckp.kiosk.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The kiosk's durable outbox: every message is committed here (WAL, synchronous=FULL, so a power cut after commit
 * loses nothing) before the lane shows the decision, and stays until the broker has acknowledged it. SQLite is the
 * only source of truth; the MQTT client keeps nothing of its own.
 */
public final class EventStore implements AutoCloseable {
    private static final TaggedLogger LOG = Logger.tag("store");

    private final Connection db;
    private final Path path;

    private EventStore(Connection db, Path path) {
        this.db = db;
        this.path = path;
    }

    /** Opens (creating when absent) the store at {@code path}. */
    public static EventStore open(Path path) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + path);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                // NORMAL would lose the last commits on power loss in WAL mode; FULL syncs the WAL on every commit.
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=5000");
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
                          attempts        INTEGER NOT NULL DEFAULT 0,
                          published_ms    INTEGER,
                          acked_ms        INTEGER,
                          UNIQUE (class, seq))""");
                s.execute("CREATE INDEX IF NOT EXISTS outbox_pending ON outbox(position) WHERE acked_ms IS NULL");
                s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
            }
            c.setAutoCommit(true);
            LOG.info("store open at {}", path);
            return new EventStore(c, path);
        } catch (SQLException | java.io.IOException e) {
            throw new StoreException("cannot open the event store at " + path + " (" + e.getMessage()
                    + "); check that the folder exists, is writable by the kiosk user and the disk is not full", e);
        }
    }

    public Path path() {
        return path;
    }

    /**
     * Commits one message. The payload is built from the {@link Stamp} the store assigns (id, next gapless seq of the
     * class, time) inside the same transaction; when this returns, the message survives a power cut.
     */
    public synchronized StoredMessage append(MessageClass cls, String topic, boolean retain, Instant now,
                                             boolean clockSynced, String bootId, Function<Stamp, byte[]> payload) {
        try {
            db.setAutoCommit(false);
            try {
                long seq = nextCounter("seq." + cls.wire());
                UUID id = Uuid7.at(now.toEpochMilli());
                Stamp stamp = new Stamp(id, seq, now, clockSynced, bootId);
                byte[] bytes = payload.apply(stamp);
                long position;
                try (PreparedStatement ps = db.prepareStatement("""
                        INSERT INTO outbox (id, class, seq, topic, payload, retain, created_ms, monotonic_ns, boot_id,
                                            clock_synced) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                        Statement.RETURN_GENERATED_KEYS)) {
                    ps.setString(1, id.toString());
                    ps.setString(2, cls.wire());
                    ps.setLong(3, seq);
                    ps.setString(4, topic);
                    ps.setBytes(5, bytes);
                    ps.setInt(6, retain ? 1 : 0);
                    ps.setLong(7, now.toEpochMilli());
                    ps.setLong(8, System.nanoTime());
                    ps.setString(9, bootId);
                    ps.setInt(10, clockSynced ? 1 : 0);
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        position = keys.getLong(1);
                    }
                }
                db.commit();
                return new StoredMessage(position, id, cls, seq, topic, bytes, retain, now, 0);
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot commit a " + cls.wire() + " message to " + path + ": " + e.getMessage(), e);
        }
    }

    /** Increments and returns a persisted counter (inside the caller's transaction when there is one). */
    private long nextCounter(String key) throws SQLException {
        try (PreparedStatement up = db.prepareStatement(
                "INSERT INTO meta(key, value) VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET value = value + 1 RETURNING value")) {
            up.setString(1, key);
            try (ResultSet rs = up.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Increments a persisted counter on its own (e.g. the MQTT birth/death sequence) and returns the new value. */
    public synchronized long increment(String key) {
        try {
            return nextCounter(key);
        } catch (SQLException e) {
            throw new StoreException("cannot update counter " + key + " in " + path + ": " + e.getMessage(), e);
        }
    }

    public synchronized OptionalLong counter(String key) {
        try (PreparedStatement ps = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read counter " + key + " from " + path + ": " + e.getMessage(), e);
        }
    }

    /** Undelivered messages after {@code afterPosition}, in commit order, at most {@code limit}. */
    public synchronized List<StoredMessage> undelivered(long afterPosition, int limit) {
        List<StoredMessage> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("""
                SELECT position, id, class, seq, topic, payload, retain, created_ms, attempts FROM outbox
                WHERE acked_ms IS NULL AND position > ? ORDER BY position LIMIT ?""")) {
            ps.setLong(1, afterPosition);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredMessage(rs.getLong(1), UUID.fromString(rs.getString(2)),
                            MessageClass.valueOf(rs.getString(3).toUpperCase(java.util.Locale.ROOT)), rs.getLong(4),
                            rs.getString(5), rs.getBytes(6), rs.getInt(7) != 0, Instant.ofEpochMilli(rs.getLong(8)),
                            rs.getInt(9)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read undelivered messages from " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Undelivered messages after {@code afterPosition} whose topic is not in {@code excludedTopics}, in commit order,
     * at most {@code limit}: the publisher skips topics the broker refuses (an ACL mistake on one topic must not hold
     * back the alarm that reports it).
     */
    public synchronized List<StoredMessage> undelivered(long afterPosition, int limit, java.util.Set<String> excludedTopics) {
        if (excludedTopics.isEmpty()) {
            return undelivered(afterPosition, limit);
        }
        String marks = String.join(",", java.util.Collections.nCopies(excludedTopics.size(), "?"));
        List<StoredMessage> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("""
                SELECT position, id, class, seq, topic, payload, retain, created_ms, attempts FROM outbox
                WHERE acked_ms IS NULL AND position > ? AND topic NOT IN (""" + marks + """
                ) ORDER BY position LIMIT ?""")) {
            int i = 1;
            ps.setLong(i++, afterPosition);
            for (String t : excludedTopics) {
                ps.setString(i++, t);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredMessage(rs.getLong(1), UUID.fromString(rs.getString(2)),
                            MessageClass.valueOf(rs.getString(3).toUpperCase(java.util.Locale.ROOT)), rs.getLong(4),
                            rs.getString(5), rs.getBytes(6), rs.getInt(7) != 0, Instant.ofEpochMilli(rs.getLong(8)),
                            rs.getInt(9)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read undelivered messages from " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes messages acknowledged at or after {@code since} undelivered again, so they are sent once more: a broker
     * that crashed may have acknowledged them without writing them to disk or passing them on. Returns how many.
     */
    public synchronized int reopenAcknowledgedSince(Instant since) {
        try (PreparedStatement ps = db.prepareStatement("UPDATE outbox SET acked_ms = NULL WHERE acked_ms >= ?")) {
            ps.setLong(1, since.toEpochMilli());
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot reopen acknowledged messages in " + path + ": " + e.getMessage(), e);
        }
    }

    /** The position of the newest committed message (0 when empty): the publisher's line between backlog and live. */
    public synchronized long lastPosition() {
        return queryLong("SELECT max(position) FROM outbox").orElse(0);
    }

    /** Notes that a message was handed to the broker (one more attempt). */
    public synchronized void markPublished(long position, Instant at) {
        update("UPDATE outbox SET attempts = attempts + 1, published_ms = ? WHERE position = ?", at.toEpochMilli(), position);
    }

    /** Notes that the broker acknowledged a message with a success reason code: it is delivered. */
    public synchronized void markAcknowledged(long position, Instant at) {
        update("UPDATE outbox SET acked_ms = ? WHERE position = ? AND acked_ms IS NULL", at.toEpochMilli(), position);
    }

    /** {@link #markPublished(long, Instant)} for a whole in-flight window in one transaction: one fsync, not one each. */
    public synchronized void markPublished(List<Long> positions, Instant at) {
        updateAll("UPDATE outbox SET attempts = attempts + 1, published_ms = ? WHERE position = ?", positions, at);
    }

    /** {@link #markAcknowledged(long, Instant)} for many PUBACKs in one transaction: one fsync, not one each. */
    public synchronized void markAcknowledged(List<Long> positions, Instant at) {
        updateAll("UPDATE outbox SET acked_ms = ? WHERE position = ? AND acked_ms IS NULL", positions, at);
    }

    /**
     * Notes one attempt and the broker's success acknowledgement for many messages in one transaction: they are
     * delivered. (The publisher writes the attempt with the PUBACK, so a message costs one store update, not two.)
     */
    public synchronized void markDelivered(List<Long> positions, Instant publishedAt, Instant acknowledgedAt) {
        updateAll("UPDATE outbox SET attempts = attempts + 1, published_ms = ?, acked_ms = ? WHERE position = ? AND acked_ms IS NULL",
                positions, publishedAt, acknowledgedAt);
    }

    private void updateAll(String sql, List<Long> positions, Instant at) {
        updateAll(sql, positions, at, null);
    }

    private void updateAll(String sql, List<Long> positions, Instant first, Instant second) {
        if (positions.isEmpty()) {
            return;
        }
        try {
            // Delivery bookkeeping need not reach the disk before the publisher goes on: losing the last marks to a
            // power cut only sends those messages again (same id). The next event commit (synchronous=FULL) syncs
            // the whole WAL, these pages included; skipping the fsync here is what lets publishing keep up with Paho.
            try (Statement st = db.createStatement()) {
                st.execute("PRAGMA synchronous=NORMAL");
            }
            db.setAutoCommit(false);
            try (PreparedStatement ps = db.prepareStatement(sql)) {
                for (long p : positions) {
                    int i = 1;
                    ps.setLong(i++, first.toEpochMilli());
                    if (second != null) {
                        ps.setLong(i++, second.toEpochMilli());
                    }
                    ps.setLong(i, p);
                    ps.addBatch();
                }
                ps.executeBatch();
                db.commit();
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
                try (Statement st = db.createStatement()) {
                    st.execute("PRAGMA synchronous=FULL");
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot update the outbox in " + path + ": " + e.getMessage(), e);
        }
    }

    private void update(String sql, long a, long b) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setLong(1, a);
            ps.setLong(2, b);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot update the outbox in " + path + ": " + e.getMessage(), e);
        }
    }

    public synchronized long undeliveredCount() {
        return queryLong("SELECT count(*) FROM outbox WHERE acked_ms IS NULL").orElse(0);
    }

    /** Creation time of the oldest undelivered message, if any. */
    public synchronized Optional<Instant> oldestUndelivered() {
        OptionalLong ms = queryLong("SELECT min(created_ms) FROM outbox WHERE acked_ms IS NULL");
        return ms.isPresent() ? Optional.of(Instant.ofEpochMilli(ms.getAsLong())) : Optional.empty();
    }

    private OptionalLong queryLong(String sql) {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (rs.next()) {
                long v = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
            }
            return OptionalLong.empty();
        } catch (SQLException e) {
            throw new StoreException("cannot query " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            LOG.warn("closing the store at {}: {}", path, e.getMessage());
        }
    }
}
