package ckp.kiosk.store;

import ckp.kiosk.message.AlarmCode;
import ckp.kiosk.message.AlarmState;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The store's room policy: keeps its live size under {@code store.max.mb} by evicting telemetry first, oldest first,
 * then delivered rows (undelivered events, alarms and lifecycle messages are never evicted), and raises and clears
 * the {@code store-over-cap}, {@code store-below-floor} and {@code store-disk-full} alarms. Callers hold the store's
 * lock.
 */
final class StoreLimits {
    private static final TaggedLogger LOG = Logger.tag("store");
    /** Room a row is assumed to need when checking capacity before the payload exists. */
    static final long ROW_ESTIMATE_BYTES = 2048;
    /** Rows evicted per transaction while a message waits to be appended: enough to free whole pages. */
    static final int APPEND_EVICTION_BATCH = 32;
    /** Rows deleted per transaction by maintenance, so the lane's commit never waits long behind a purge. */
    static final int PURGE_BATCH = 500;
    /** Free disk a commit must leave for {@code store-disk-full} to clear, so a disk hovering at full does not flap it. */
    static final long DISK_FULL_CLEAR_BYTES = 64 * 1024;

    /** Commits one of the store's own alarms; false when it could not be committed (the flag then stays as it is). */
    interface AlarmSink {
        boolean raise(Instant now, boolean clockSynced, AlarmCode code, AlarmState state, String detail,
                      Map<String, Long> facts);
    }

    private final StoreFile file;
    private final Counters counters;
    private final StoreConfig config;
    private final AlarmSink alarms;
    private final LongSupplier queueDepth;
    /** A commit failed for want of disk since the last one that succeeded with room to spare. */
    private boolean diskFull;

    StoreLimits(StoreFile file, Counters counters, StoreConfig config, AlarmSink alarms, LongSupplier queueDepth) {
        this.file = file;
        this.counters = counters;
        this.config = config;
        this.alarms = alarms;
        this.queueDepth = queueDepth;
    }

    boolean diskFull() {
        return diskFull || counters.flag(Counters.Flag.DISK_FULL);
    }

    /** Whether free disk is under {@code store.min.free.mb}; raises or clears {@code store-below-floor}. */
    boolean checkFloor(Instant now, boolean clockSynced) throws SQLException {
        long free = file.diskFreeBytes();
        boolean belowFloor = free < config.minFreeBytes();
        updateFloorFlag(belowFloor, free, now, clockSynced);
        return belowFloor;
    }

    /** Why a checkpoint event is refused at the floor, for the log and the refusal. */
    String floorReason() throws SQLException {
        return "disk free " + mebibytes(file.diskFreeBytes()) + " MiB is under store.min.free.mb "
                + mebibytes(config.minFreeBytes()) + " MiB";
    }

    /** Before an append: evicts what the cap asks for a new row and raises {@code store-over-cap} when it cannot. */
    void makeRoomForAppend(Instant now, boolean clockSynced) throws SQLException {
        if (diskFull) {
            updateDiskFullFlag(true, now, clockSynced);
        }
        makeRoom(ROW_ESTIMATE_BYTES, APPEND_EVICTION_BATCH, now);
        updateOverCapFlag(now, clockSynced);
    }

    /** After an append: clears {@code store-disk-full} once a commit left room to spare. */
    void afterAppend(Instant now, boolean clockSynced) throws SQLException {
        if (diskFull && file.diskFreeBytes() >= DISK_FULL_CLEAR_BYTES) {
            updateDiskFullFlag(false, now, clockSynced);
        }
    }

    /** A commit failed because the disk filled faster than the floor foresaw: raises {@code store-disk-full}. */
    void noteDiskFull(Instant now, boolean clockSynced) {
        diskFull = true;
        updateDiskFullFlag(true, now, clockSynced);
    }

    /** Maintenance: evicts what the cap asks for and raises or clears the over-cap and disk-floor alarms. */
    void enforce(Instant now, boolean clockSynced) throws SQLException {
        makeRoom(0, PURGE_BATCH, now);
        checkFloor(now, clockSynced);
        updateOverCapFlag(now, clockSynced);
    }

    /** Deletes up to {@value #PURGE_BATCH} delivered rows acknowledged at or before {@code cutoffMillis}. */
    int purgeBatch(long cutoffMillis) throws SQLException {
        return deleteBatch("SELECT position FROM delivery WHERE acked_ms IS NOT NULL AND acked_ms <= "
                + cutoffMillis + " ORDER BY position", PURGE_BATCH, null);
    }

    /** SQLITE_FULL, or an I/O error growing a file while the disk has (next to) no room left. */
    boolean isDiskFull(SQLException e) {
        int primary = e.getErrorCode() & 0xFF;
        if (primary == 13) {
            return true;
        }
        try {
            return primary == 10 && file.diskFreeBytes() < DISK_FULL_CLEAR_BYTES;
        } catch (SQLException unreadable) {
            return false;
        }
    }

    /**
     * Raises {@code store-disk-full} once a full disk takes the alarm (tried again with every message until it does),
     * and clears it after a commit that left room to spare; both carry the refusals counted so far.
     */
    private void updateDiskFullFlag(boolean full, Instant now, boolean clockSynced) {
        boolean flagged = counters.flag(Counters.Flag.DISK_FULL);
        Map<String, Long> facts = Map.of("dropped", counters.droppedTotal());
        try {
            if (full && !flagged) {
                if (alarms.raise(now, clockSynced, AlarmCode.STORE_DISK_FULL, AlarmState.RAISED, "the disk of " + file.path() + " is full: messages are "
                        + "refused and counted in store.dropped, the lane shows manual check", facts)) {
                    counters.setFlag(Counters.Flag.DISK_FULL, true);
                }
            } else if (!full) {
                if (!flagged || alarms.raise(now, clockSynced, AlarmCode.STORE_DISK_FULL, AlarmState.CLEARED, "the disk of " + file.path()
                        + " takes writes again; " + facts.get("dropped") + " message(s) refused so far", facts)) {
                    counters.setFlag(Counters.Flag.DISK_FULL, false);
                    diskFull = false;
                }
            }
        } catch (SQLException e) {
            LOG.debug("store-disk-full flag not written yet: {}", e.getMessage());
        }
    }

    private void updateFloorFlag(boolean belowFloor, long free, Instant now, boolean clockSynced) throws SQLException {
        boolean flagged = counters.flag(Counters.Flag.BELOW_FLOOR);
        // Cleared only with 10% headroom above the floor, so a disk hovering at the floor does not flap the alarm.
        boolean clear = free >= config.minFreeBytes() + config.minFreeBytes() / 10;
        if (belowFloor && !flagged) {
            if (alarms.raise(now, clockSynced, AlarmCode.STORE_BELOW_FLOOR, AlarmState.RAISED, "disk free " + mebibytes(free)
                    + " MiB is under store.min.free.mb; checkpoint events are refused and counted, the lane shows "
                    + "manual check", Map.of("diskFreeBytes", free, "dropped", counters.droppedTotal()))) {
                counters.setFlag(Counters.Flag.BELOW_FLOOR, true);
            }
        } else if (flagged && clear) {
            if (alarms.raise(now, clockSynced, AlarmCode.STORE_BELOW_FLOOR, AlarmState.CLEARED, "disk free " + mebibytes(free) + " MiB; recording again",
                    Map.of("diskFreeBytes", free, "dropped", counters.droppedTotal()))) {
                counters.setFlag(Counters.Flag.BELOW_FLOOR, false);
            }
        }
    }

    private void updateOverCapFlag(Instant now, boolean clockSynced) throws SQLException {
        long used = file.usedBytes();
        boolean over = used + ROW_ESTIMATE_BYTES > config.maxBytes();
        boolean flagged = counters.flag(Counters.Flag.OVER_CAP);
        // Cleared only under 90% of the cap, so a store hovering at the cap does not flap the alarm.
        if (over && !flagged) {
            if (alarms.raise(now, clockSynced, AlarmCode.STORE_OVER_CAP, AlarmState.RAISED, "undelivered checkpoint events alone exceed store.max.mb ("
                    + mebibytes(config.maxBytes()) + " MiB); they are kept and recording goes on while the disk allows",
                    Map.of("usedBytes", used, "maxBytes", config.maxBytes(), "queueDepth", queueDepth.getAsLong()))) {
                counters.setFlag(Counters.Flag.OVER_CAP, true);
            }
        } else if (flagged && used < config.maxBytes() - config.maxBytes() / 10) {
            if (alarms.raise(now, clockSynced, AlarmCode.STORE_OVER_CAP, AlarmState.CLEARED, "the store is back under store.max.mb",
                    Map.of("usedBytes", used, "maxBytes", config.maxBytes()))) {
                counters.setFlag(Counters.Flag.OVER_CAP, false);
            }
        }
    }

    /**
     * Deletes rows until {@code neededBytes} more fit under the cap: delivered telemetry, then undelivered telemetry
     * (counted as evicted), then other delivered rows before their retention ends, each oldest first. Undelivered
     * events, alarms and lifecycle messages are never touched.
     */
    private static final String[] VICTIM_NAMES = {"delivered telemetry", "undelivered telemetry",
            "delivered messages before their retention ended"};

    private void makeRoom(long neededBytes, int batch, Instant now) throws SQLException {
        String telemetry = "SELECT o.position FROM outbox o CROSS JOIN delivery d ON d.position = o.position "
                + "WHERE o.class = 'telemetry' AND d.acked_ms ";
        String[] victims = {
                telemetry + "IS NOT NULL ORDER BY o.seq",
                telemetry + "IS NULL ORDER BY o.seq",
                "SELECT position FROM delivery WHERE acked_ms IS NOT NULL ORDER BY position"};
        StoreCounter[] counted = {null, StoreCounter.EVICTED, StoreCounter.PURGED_EARLY};
        for (int i = 0; i < victims.length; i++) {
            while (file.usedBytes() + neededBytes > config.maxBytes()) {
                int deleted = deleteBatch(victims[i], batch, counted[i]);
                if (deleted == 0) {
                    break;
                }
                LOG.warn("store at store.max.mb: {} row(s) deleted: {}", deleted, VICTIM_NAMES[i]);
            }
        }
    }

    /**
     * Deletes the first {@code batch} messages whose positions {@code positions} selects (in its order) in one
     * transaction, counting them; their delivery rows go with them (ON DELETE CASCADE).
     */
    private int deleteBatch(String positions, int batch, StoreCounter counter) throws SQLException {
        return file.transaction(() -> {
            int deleted;
            try (PreparedStatement ps = file.db().prepareStatement("DELETE FROM outbox WHERE position IN (" + positions
                    + " LIMIT ?)")) {
                ps.setInt(1, batch);
                deleted = ps.executeUpdate();
            }
            if (counter != null && deleted > 0) {
                counters.add(counter, deleted);
            }
            return deleted;
        }, () -> { });
    }

    static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.2f", bytes / (1024.0 * 1024.0));
    }
}
