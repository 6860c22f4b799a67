package ckp.kiosk.store;

import ckp.kiosk.message.MessageClass;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The delivery ledger: which messages are undelivered, in commit order, and the publisher's marks on them (an attempt,
 * then delivered). A message's {@code outbox} row never changes; its {@code delivery} row holds the attempts and the
 * acknowledgement. Callers hold the store's lock, except for {@link #pending}, which reads on the reader connection.
 */
final class DeliveryLedger {
    private final StoreFile file;
    /** Run (with the marks' time) before marks are written, so they land in the file at {@code store.path}. */
    private final Consumer<Instant> beforeMarks;

    DeliveryLedger(StoreFile file, Consumer<Instant> beforeMarks) {
        this.file = file;
        this.beforeMarks = beforeMarks;
    }

    /**
     * The columns of a {@link StoredMessage}, walking the delivery rows (the pending ones by their partial index) and
     * looking each outbox row up by position: the order SQLite is told to use (CROSS JOIN), as it is the cheap one.
     */
    private static final String SELECT_MESSAGES = """
            SELECT o.position, o.id, o.class, o.seq, o.topic, o.payload, o.retain, o.created_ms, d.attempts
            FROM delivery d CROSS JOIN outbox o ON o.position = d.position WHERE\s""";

    /** The columns of a {@link PendingMessage}, in the same walk. */
    private static final String SELECT_PENDING = """
            SELECT o.position, o.class, o.seq, o.topic, o.payload, o.retain
            FROM delivery d CROSS JOIN outbox o ON o.position = d.position WHERE\s""";

    private static final String PENDING_AFTER = "d.acked_ms IS NULL AND d.position > ? ORDER BY d.position LIMIT ?";

    /** Every stored message of a class, delivered or not, in commit order: for audits and tests. */
    List<StoredMessage> stored(MessageClass cls, long afterPosition, int limit) {
        return select(file.db(), "o.class = '" + cls.wire() + "' AND o.position > ?", afterPosition, limit);
    }

    private List<StoredMessage> select(Connection c, String where, long afterPosition, int limit) {
        try (PreparedStatement ps = c.prepareStatement(SELECT_MESSAGES + where + " ORDER BY d.position LIMIT ?")) {
            ps.setLong(1, afterPosition);
            ps.setInt(2, limit);
            return messages(ps);
        } catch (SQLException e) {
            throw new StoreException("cannot read messages from " + file.path() + ": " + e.getMessage(), e);
        }
    }

    private static List<StoredMessage> messages(PreparedStatement ps) throws SQLException {
        List<StoredMessage> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new StoredMessage(rs.getLong(1), UUID.fromString(rs.getString(2)), messageClass(rs.getString(3)),
                        rs.getLong(4), rs.getString(5), rs.getBytes(6), rs.getInt(7) != 0,
                        Instant.ofEpochMilli(rs.getLong(8)), rs.getInt(9)));
            }
        }
        return out;
    }

    /**
     * What the publisher sends next: undelivered messages after {@code afterPosition} whose topic is not in
     * {@code excludedTopics}, in commit order, at most {@code limit}. It skips topics the broker refuses (an ACL
     * mistake on one topic must not hold back the alarm that reports it). Read on the reader connection, so it never
     * waits for a write in progress; it sees every message committed before the call.
     */
    List<PendingMessage> pending(long afterPosition, int limit, Set<String> excludedTopics) {
        synchronized (file.readLock()) {
            try {
                if (excludedTopics.isEmpty()) {
                    PreparedStatement pendingAfter = file.readerStatement(SELECT_PENDING + PENDING_AFTER);
                    pendingAfter.setLong(1, afterPosition);
                    pendingAfter.setInt(2, limit);
                    return pendingMessages(pendingAfter);
                }
                String marks = String.join(",", java.util.Collections.nCopies(excludedTopics.size(), "?"));
                try (PreparedStatement ps = file.reader().prepareStatement(SELECT_PENDING + "d.acked_ms IS NULL AND "
                        + "d.position > ? AND o.topic NOT IN (" + marks + ") ORDER BY d.position LIMIT ?")) {
                    int i = 1;
                    ps.setLong(i++, afterPosition);
                    for (String t : excludedTopics) {
                        ps.setString(i++, t);
                    }
                    ps.setInt(i, limit);
                    return pendingMessages(ps);
                }
            } catch (SQLException e) {
                throw new StoreException("cannot read undelivered messages from " + file.path() + ": " + e.getMessage(), e);
            }
        }
    }

    private static List<PendingMessage> pendingMessages(PreparedStatement ps) throws SQLException {
        List<PendingMessage> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new PendingMessage(rs.getLong(1), messageClass(rs.getString(2)), rs.getLong(3),
                        rs.getString(4), rs.getBytes(5), rs.getInt(6) != 0));
            }
        }
        return out;
    }

    private static MessageClass messageClass(String wire) {
        return switch (wire) {
            case "event" -> MessageClass.EVENT;
            case "telemetry" -> MessageClass.TELEMETRY;
            case "alarm" -> MessageClass.ALARM;
            case "lifecycle" -> MessageClass.LIFECYCLE;
            default -> throw new StoreException("unknown message class '" + wire
                    + "' in the store; another program wrote that row", null);
        };
    }

    /**
     * Makes messages acknowledged at or after {@code since} undelivered again, so they are sent once more: a broker
     * that crashed may have acknowledged them without writing them to disk or passing them on. Returns how many.
     */
    int reopenAcknowledgedSince(Instant since) {
        try (PreparedStatement ps = file.db().prepareStatement("UPDATE delivery SET acked_ms = NULL WHERE acked_ms >= ?")) {
            ps.setLong(1, since.toEpochMilli());
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot reopen acknowledged messages in " + file.path() + ": " + e.getMessage(), e);
        }
    }

    /** The position of the newest committed message (0 when empty): the publisher's line between backlog and live. */
    long lastPosition() {
        return queryLong("SELECT max(position) FROM outbox").orElse(0);
    }

    /** Notes one more attempt for each of {@code positions} (handed to the broker), in one transaction. */
    void markPublished(List<Long> positions, Instant at) {
        updateAll("UPDATE delivery SET attempts = attempts + 1, published_ms = ? WHERE position BETWEEN ? AND ?", positions, at);
    }

    /**
     * Notes one attempt and the broker's success acknowledgement for many messages in one transaction: they are
     * delivered. (The publisher writes the attempt with the PUBACK, so a message costs one store update, not two.)
     */
    void markDelivered(List<Long> positions, Instant publishedAt, Instant acknowledgedAt) {
        updateAll("UPDATE delivery SET attempts = attempts + 1, published_ms = ?, acked_ms = ? "
                + "WHERE position BETWEEN ? AND ? AND acked_ms IS NULL", positions, publishedAt, acknowledgedAt);
    }

    private void updateAll(String sql, List<Long> positions, Instant at) {
        updateAll(sql, positions, at, null);
    }

    /**
     * Runs {@code sql} (its times first, then the two ends of a {@code BETWEEN}) once per run of consecutive
     * positions: PUBACKs mostly come in order, so a batch of a hundred is one statement, not a hundred JNI round trips.
     */
    private void updateAll(String sql, List<Long> positions, Instant first, Instant second) {
        if (positions.isEmpty()) {
            return;
        }
        beforeMarks.accept(first);
        Connection db = file.db();
        try {
            // Delivery bookkeeping need not reach the disk before the publisher goes on: losing the last marks to a
            // power cut only sends those messages again (same id). The next event commit (synchronous=FULL) syncs
            // the whole WAL, these pages included; skipping the fsync here is what lets publishing keep up with Paho.
            try (Statement st = db.createStatement()) {
                st.execute("PRAGMA synchronous=NORMAL");
            }
            db.setAutoCommit(false);
            try (PreparedStatement ps = db.prepareStatement(sql)) {
                for (long[] run : runs(positions)) {
                    int i = 1;
                    ps.setLong(i++, first.toEpochMilli());
                    if (second != null) {
                        ps.setLong(i++, second.toEpochMilli());
                    }
                    ps.setLong(i++, run[0]);
                    ps.setLong(i, run[1]);
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
            throw new StoreException("cannot update the outbox in " + file.path() + ": " + e.getMessage(), e);
        }
    }

    /** The positions as runs of consecutive numbers, {@code [first, last]} each, ascending; duplicates collapse. */
    static List<long[]> runs(Collection<Long> positions) {
        long[] sorted = positions.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
        List<long[]> runs = new ArrayList<>();
        for (int i = 0; i < sorted.length; ) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] == sorted[j] + 1) {
                j++;
            }
            runs.add(new long[] {sorted[i], sorted[j]});
            i = j + 1;
        }
        return runs;
    }

    long undeliveredCount() {
        return queryLong("SELECT count(*) FROM delivery WHERE acked_ms IS NULL").orElse(0);
    }

    /** Creation time of the oldest undelivered message (the first in commit order), if any. */
    Optional<Instant> oldestUndelivered() {
        OptionalLong ms = queryLong("SELECT o.created_ms FROM delivery d CROSS JOIN outbox o ON o.position = d.position "
                + "WHERE d.acked_ms IS NULL ORDER BY d.position LIMIT 1");
        return ms.isPresent() ? Optional.of(Instant.ofEpochMilli(ms.getAsLong())) : Optional.empty();
    }

    private OptionalLong queryLong(String sql) {
        try (Statement s = file.db().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (rs.next()) {
                long v = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
            }
            return OptionalLong.empty();
        } catch (SQLException e) {
            throw new StoreException("cannot query " + file.path() + ": " + e.getMessage(), e);
        }
    }
}
