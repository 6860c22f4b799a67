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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A read-only look at a store file for tools ({@code kioskctl status}): queue depth, the broker's last
 * acknowledgement, the last events and alarms, and the counters. It opens the file read-only beside the running
 * service (SQLite WAL lets a reader in beside the writer) and never reads a payload: they hold pass hashes and
 * decisions that are not a technician's business.
 *
 * @param fileBytes         size of the store file
 * @param queueDepth        messages not yet acknowledged by the broker
 * @param oldestUndelivered creation time of the oldest of them
 * @param lastAcknowledged  when the broker last acknowledged a message still in the store
 * @param lastEvents        the newest checkpoint events, newest first
 * @param lastAlarms        the newest alarms, newest first
 * @param counters          the store's persisted counters and flags by name, e.g. {@code store.dropped}
 */
public record StoreStatus(long fileBytes, long queueDepth, Optional<Instant> oldestUndelivered,
                          Optional<Instant> lastAcknowledged, List<RecentEvent> lastEvents, List<RecentAlarm> lastAlarms,
                          Map<String, Long> counters) {
    public StoreStatus {
        Objects.requireNonNull(oldestUndelivered);
        Objects.requireNonNull(lastAcknowledged);
        lastEvents = List.copyOf(lastEvents);
        lastAlarms = List.copyOf(lastAlarms);
        counters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counters));
    }

    /** A checkpoint event in the store: its seq, when it was committed and, once acknowledged, when. */
    public record RecentEvent(long seq, Instant committedAt, Optional<Instant> acknowledgedAt) {
        public RecentEvent {
            Objects.requireNonNull(committedAt);
            Objects.requireNonNull(acknowledgedAt);
        }
    }

    /** An alarm in the store: its seq, when it was committed and its topic. */
    public record RecentAlarm(long seq, Instant committedAt, String topic) {
        public RecentAlarm {
            Objects.requireNonNull(committedAt);
            Objects.requireNonNull(topic);
        }
    }

    /**
     * Reads the status of the store file at {@code file}, at most {@code last} events and alarms. Throws
     * {@link StoreException} naming the file when it cannot be read (missing, no permission, not a store).
     */
    public static StoreStatus read(Path file, int last) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
             Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=5000");
            long fileBytes = Files.size(file);
            long depth;
            Optional<Instant> oldest;
            try (ResultSet r = s.executeQuery("SELECT count(*), min(o.created_ms) FROM delivery d "
                    + "CROSS JOIN outbox o ON o.position = d.position WHERE d.acked_ms IS NULL")) {
                r.next();
                depth = r.getLong(1);
                long ms = r.getLong(2);
                oldest = r.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(ms));
            }
            Optional<Instant> acked;
            try (ResultSet r = s.executeQuery("SELECT max(acked_ms) FROM delivery")) {
                r.next();
                long ms = r.getLong(1);
                acked = r.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(ms));
            }
            List<RecentEvent> events = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT o.seq, o.created_ms, d.acked_ms FROM outbox o "
                    + "JOIN delivery d ON d.position = o.position WHERE o.class = 'event' "
                    + "ORDER BY o.position DESC LIMIT ?")) {
                ps.setInt(1, last);
                try (ResultSet r = ps.executeQuery()) {
                    while (r.next()) {
                        long ackedMs = r.getLong(3);
                        Optional<Instant> ackedAt = r.wasNull() ? Optional.empty()
                                : Optional.of(Instant.ofEpochMilli(ackedMs));
                        events.add(new RecentEvent(r.getLong(1), Instant.ofEpochMilli(r.getLong(2)), ackedAt));
                    }
                }
            }
            List<RecentAlarm> alarms = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, created_ms, topic FROM outbox "
                    + "WHERE class = 'alarm' ORDER BY position DESC LIMIT ?")) {
                ps.setInt(1, last);
                try (ResultSet r = ps.executeQuery()) {
                    while (r.next()) {
                        alarms.add(new RecentAlarm(r.getLong(1), Instant.ofEpochMilli(r.getLong(2)), r.getString(3)));
                    }
                }
            }
            Map<String, Long> counters = new LinkedHashMap<>();
            try (ResultSet r = s.executeQuery("SELECT key, value FROM meta ORDER BY key")) {
                while (r.next()) {
                    counters.put(r.getString(1), r.getLong(2));
                }
            }
            return new StoreStatus(fileBytes, depth, oldest, acked, events, alarms, counters);
        } catch (SQLException | IOException e) {
            throw new StoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
