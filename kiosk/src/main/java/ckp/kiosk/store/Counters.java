package ckp.kiosk.store;

import ckp.kiosk.message.MessageClass;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The store's persisted counters and alarm flags (the {@code meta} table): the per-class sequences, the
 * {@link StoreCounter}s, and the refusals counted in memory while a full disk cannot take even the count. Writes go
 * inside the caller's transaction when there is one; callers hold the store's lock.
 */
final class Counters {
    private static final TaggedLogger LOG = Logger.tag("store");

    /** An alarm the store holds raised, persisted so a restart neither repeats nor forgets it. */
    enum Flag {
        OVER_CAP("store.over_cap"),
        BELOW_FLOOR("store.below_floor"),
        DISK_FULL("store.disk_full");

        private final String key;

        Flag(String key) {
            this.key = key;
        }
    }

    private final StoreFile file;
    /**
     * Refusals not yet in the persisted {@code store.dropped} counters (a full disk cannot take the count either), by
     * class; written with the next transaction that commits, and counted in {@link #droppedTotal} meanwhile.
     */
    private final Map<MessageClass, Long> uncountedDrops = new EnumMap<>(MessageClass.class);

    Counters(StoreFile file) {
        this.file = file;
    }

    /** The next gapless seq of {@code cls}. */
    long nextSeq(MessageClass cls) throws SQLException {
        return add(seqKey(cls), 1);
    }

    static String seqKey(MessageClass cls) {
        return "seq." + cls.wire();
    }

    long add(StoreCounter counter, long amount) throws SQLException {
        return add(counter.key(), amount);
    }

    private long add(String key, long amount) throws SQLException {
        try (PreparedStatement up = file.db().prepareStatement("INSERT INTO meta(key, value) VALUES (?, ?) "
                + "ON CONFLICT(key) DO UPDATE SET value = value + excluded.value RETURNING value")) {
            up.setString(1, key);
            up.setLong(2, amount);
            try (ResultSet rs = up.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    OptionalLong get(StoreCounter counter) {
        return get(counter.key());
    }

    private OptionalLong get(String key) {
        try (PreparedStatement ps = file.db().prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read counter " + key + " from " + file.path() + ": " + e.getMessage(), e);
        }
    }

    /** Raises counters to at least the given values (the sequences salvaged from a quarantined file). */
    void keepAtLeast(Map<String, Long> values) throws SQLException {
        try (PreparedStatement ps = file.db().prepareStatement("INSERT INTO meta(key, value) VALUES (?, ?) "
                + "ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value)")) {
            for (Map.Entry<String, Long> e : values.entrySet()) {
                ps.setString(1, e.getKey());
                ps.setLong(2, e.getValue());
                ps.executeUpdate();
            }
        }
    }

    boolean flag(Flag flag) {
        return get(flag.key).orElse(0) != 0;
    }

    void setFlag(Flag flag, boolean on) throws SQLException {
        try (PreparedStatement ps = file.db().prepareStatement(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
            ps.setString(1, flag.key);
            ps.setLong(2, on ? 1 : 0);
            ps.executeUpdate();
        }
    }

    /**
     * Counts a refused message: in memory first, then in the persisted counters in a transaction of its own, which a
     * full disk may refuse too (then the next commit writes it). Returns the total refused so far, this one included.
     */
    long countRefusal(MessageClass cls) {
        uncountedDrops.merge(cls, 1L, Long::sum);
        try {
            file.transaction(() -> {
                writeUncountedDrops();
                return null;
            }, uncountedDrops::clear);
        } catch (SQLException e) {
            LOG.debug("refusal counted in memory until the disk takes writes: {}", e.getMessage());
        }
        return droppedTotal();
    }

    /** Writes the refusals counted in memory; inside a transaction, whose commit must then call {@link #written}. */
    void writeUncountedDrops() throws SQLException {
        long total = 0;
        for (Map.Entry<MessageClass, Long> e : uncountedDrops.entrySet()) {
            add(StoreCounter.DROPPED.key() + "." + e.getKey().wire(), e.getValue());
            total += e.getValue();
        }
        if (total > 0) {
            add(StoreCounter.DROPPED, total);
        }
    }

    /** The transaction that wrote the uncounted refusals committed. */
    void written() {
        uncountedDrops.clear();
    }

    /** Refused messages so far: the persisted counter and those not yet written. */
    long droppedTotal() {
        return get(StoreCounter.DROPPED).orElse(0) + uncountedDrops.values().stream().mapToLong(Long::longValue).sum();
    }
}
