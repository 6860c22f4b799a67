package ckp.kiosk.store;

import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.message.Alarm;
import ckp.kiosk.message.AlarmCode;
import ckp.kiosk.message.AlarmState;
import ckp.kiosk.message.MessageClass;
import ckp.kiosk.message.Stamp;
import ckp.kiosk.message.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The kiosk's durable outbox: every message is committed here (WAL, synchronous=FULL, so a power cut after commit
 * loses nothing) before the lane shows the decision, and stays until the broker has acknowledged it, then for the
 * retention window. SQLite is the only source of truth; the MQTT client keeps nothing of its own.
 *
 * <p>This class appends and follows the file; its parts do one job each: {@link StoreFile} (the file: open, migrate,
 * quarantine, replace), {@link StoreLimits} (the cap and the disk floor), {@link DeliveryLedger} (pending, marks) and
 * {@link Counters}. When free disk falls under {@code store.min.free.mb}, checkpoint events are refused
 * ({@link AppendOutcome.Refused}) and counted in the persisted {@code store.dropped} counter; alarms, lifecycle
 * messages and telemetry (rare and small, and they carry the news) are still recorded. Stages commit through an
 * {@link Outbox}.
 */
public final class EventStore implements AutoCloseable {
    private static final TaggedLogger LOG = Logger.tag("store");
    /** sqlite-jdbc unpacks its native library into this folder; /tmp is often mounted noexec on hardened images. */
    public static final String NATIVE_DIR_PROPERTY = "org.sqlite.tmpdir";

    private final StoreFile file;
    private final Counters counters;
    private final DeliveryLedger ledger;
    private final PathWatch watch;
    private final StoreLimits limits;
    private final Path path;
    private final StoreConfig config;
    /** The kiosk the store files its own alarms for, and the boot id they carry. */
    private final Topics topics;
    private final String bootId;

    private EventStore(StoreFile file, StoreConfig config, Topics topics, String bootId) {
        this.file = file;
        this.counters = new Counters(file);
        this.watch = new PathWatch(file, this::raise);
        this.ledger = new DeliveryLedger(file, watch::followPathForMarks);
        this.limits = new StoreLimits(file, counters, config, this::raise, ledger::undeliveredCount);
        this.path = config.path();
        this.config = config;
        this.topics = topics;
        this.bootId = bootId;
    }

    /**
     * Opens (creating when absent) the store at {@code path} for tools and tests: default cap, no disk floor (a test
     * machine's full disk must not turn into refused events), alarms filed for kiosk {@code local/lane/kiosk}.
     */
    public static EventStore open(Path path) {
        return open(new StoreConfig(path, Duration.ofHours(24), StoreConfig.DEFAULT_MAX_BYTES, 0),
                new Topics("ckp/v1", "local", "lane", "kiosk"), "local", ClockStatus.system(false));
    }

    /**
     * Opens (creating when absent) the store. A file that fails {@code PRAGMA quick_check} (or is not a database) is
     * moved aside (see {@link Quarantine}), a new store is started in its place, and a {@code store-quarantined}
     * data-loss alarm is committed to it so that it is published.
     *
     * @param topics the kiosk the store files its own alarms for
     * @param bootId the Linux boot id of this run, which those alarms carry
     */
    public static EventStore open(StoreConfig config, Topics topics, String bootId, ClockStatus clock) {
        Path path = config.path();
        try {
            StoreFile file = StoreFile.open(path, clock.now());
            EventStore store = new EventStore(file, config, topics, bootId);
            if (file.quarantined().isPresent()) {
                store.startAfterQuarantine(file.quarantined().get(), clock);
            }
            LOG.info("store open at {}", path);
            return store;
        } catch (SQLException | IOException | StoreSchema.CorruptStore e) {
            throw new StoreException("cannot open the event store at " + path + " (" + e.getMessage()
                    + "); check that the folder exists, is writable by the kiosk user and the disk is not full", e);
        }
    }

    /** Carries the sequences over from the quarantined file when readable, counts the quarantine, raises the alarm. */
    private synchronized void startAfterQuarantine(Path quarantined, ClockStatus clock) {
        Map<String, Long> salvaged = Quarantine.salvageCounters(quarantined);
        long count;
        try {
            counters.keepAtLeast(salvaged);
            count = counters.add(StoreCounter.QUARANTINED, 1);
        } catch (SQLException e) {
            throw new StoreException("cannot start a new store at " + path + ": " + e.getMessage(), e);
        }
        Map<String, Long> facts = new LinkedHashMap<>();
        facts.put("quarantinedFiles", count);
        for (MessageClass cls : MessageClass.values()) {
            Long last = salvaged.get(Counters.seqKey(cls));
            if (last != null) {
                facts.put("lastSeq." + cls.wire(), last);
            }
        }
        raise(clock.now(), clock.synced(), AlarmCode.STORE_QUARANTINED, AlarmState.RAISED,
                "the store file was corrupt and was moved aside to " + quarantined.getFileName()
                        + "; messages it held that were not yet delivered may be lost"
                        + (salvaged.isEmpty() ? "; its sequence counters were unreadable, so seq restarts at 1"
                        : "; sequences continue from its last counters"), facts);
    }

    public Path path() {
        return path;
    }

    public StoreConfig config() {
        return config;
    }

    /**
     * Commits one message unless the disk is at its floor. The payload is built from the {@link Stamp} the store
     * assigns (id, next gapless seq of the class, time) inside the same transaction; when this returns
     * {@link AppendOutcome.Committed}, the message survives a power cut. Evicts telemetry and delivered rows first
     * when the store is at {@code store.max.mb}. Stages call this through an {@link Outbox}.
     */
    public synchronized AppendOutcome tryAppend(MessageClass cls, String topic, boolean retain, Instant now,
                                                boolean clockSynced, String bootId, Function<Stamp, byte[]> payload) {
        watch.beforeCommit(cls, now, clockSynced);
        try {
            if (limits.checkFloor(now, clockSynced) && cls == MessageClass.EVENT) {
                long dropped = counters.countRefusal(cls);
                String reason = limits.floorReason();
                LOG.error("{}: {} message refused ({} so far)", reason, cls.wire(), dropped);
                return new AppendOutcome.Refused(cls, reason, dropped);
            }
            limits.makeRoomForAppend(now, clockSynced);
            StoredMessage stored = insert(cls, topic, retain, now, clockSynced, bootId, payload);
            limits.afterAppend(now, clockSynced);
            return new AppendOutcome.Committed(stored);
        } catch (SQLException e) {
            if (limits.isDiskFull(e)) { // the disk filled faster than the floor foresaw
                long dropped = counters.countRefusal(cls);
                LOG.error("disk full: {} message refused ({} so far)", cls.wire(), dropped);
                limits.noteDiskFull(now, clockSynced);
                return new AppendOutcome.Refused(cls, "the disk is full", dropped);
            }
            Optional<StoreException> vanished = watch.vanishedDuring(cls, now, clockSynced, e);
            if (vanished.isPresent()) {
                throw vanished.get();
            }
            throw new StoreException("cannot commit a " + cls.wire() + " message to " + path + ": " + e.getMessage()
                    + "; check the disk", e);
        }
    }


    private StoredMessage insert(MessageClass cls, String topic, boolean retain, Instant now, boolean clockSynced,
                                 String bootId, Function<Stamp, byte[]> payload) throws SQLException {
        return file.transaction(() -> {
            long seq = counters.nextSeq(cls);
            UUID id = Uuid7.at(now.toEpochMilli());
            Stamp stamp = new Stamp(id, seq, now, clockSynced, bootId);
            byte[] bytes = payload.apply(stamp);
            long position;
            try (PreparedStatement ps = file.db().prepareStatement("""
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
            try (PreparedStatement ps = file.db().prepareStatement("INSERT INTO delivery (position) VALUES (?)")) {
                ps.setLong(1, position);
                ps.executeUpdate();
            }
            counters.writeUncountedDrops();
            return new StoredMessage(position, id, cls, seq, topic, bytes, retain, now, 0);
        }, counters::written);
    }

    /**
     * Commits one of the store's own alarms; returns false (and logs) when it could not be committed, so the caller
     * leaves its flag unchanged and tries again with the next message: an alarm that cannot be written must not keep
     * a checkpoint event from being recorded.
     */
    private boolean raise(Instant now, boolean clockSynced, AlarmCode code, AlarmState state, String detail,
                          Map<String, Long> facts) {
        Alarm alarm = new Alarm(code, state, detail, new java.util.LinkedHashMap<>(facts));
        try {
            insert(MessageClass.ALARM, topics.alarm(), false, now, clockSynced, bootId,
                    stamp -> PayloadJson.encode(topics, stamp, alarm));
        } catch (SQLException e) {
            LOG.error("alarm {} ({}) could not be committed: {}", code.wire(), detail, e.getMessage());
            return false;
        }
        if (state == AlarmState.RAISED) {
            LOG.error("alarm {}: {}", code.wire(), detail);
        } else {
            LOG.info("alarm {} cleared: {}", code.wire(), detail);
        }
        return true;
    }

    /**
     * Deletes delivered rows whose acknowledgement is older than {@code store.retention.hours}, {@value StoreLimits#PURGE_BATCH}
     * per transaction and releasing the store between batches, so a large purge never holds up the lane's commit for
     * long. Returns how many rows were deleted.
     */
    public int purgeDelivered(Instant now) {
        long cutoff = now.minus(config.retention()).toEpochMilli();
        int total = 0;
        while (true) {
            int deleted;
            synchronized (this) {
                try {
                    deleted = limits.purgeBatch(cutoff);
                } catch (SQLException e) {
                    throw new StoreException("cannot purge delivered rows from " + path + ": " + e.getMessage(), e);
                }
            }
            total += deleted;
            if (deleted < StoreLimits.PURGE_BATCH) {
                return total;
            }
        }
    }


    /**
     * Opens a new file at {@code store.path} when the one open here was deleted or replaced (see
     * {@link #tryAppend}), without a commit having to fail first: maintenance calls it every minute, so a file deleted
     * while the lane is idle is replaced before the next vehicle. Throws when no file can be opened there yet.
     */
    public synchronized void followPath(Instant now, boolean clockSynced) {
        watch.followPath(now, clockSynced);
    }

    /**
     * Evicts what the cap asks for and clears the over-cap and disk-floor alarms once the store is back within its
     * limits; maintenance calls it periodically, as appends alone would not notice a store that has drained.
     */
    public synchronized void enforceLimits(Instant now, boolean clockSynced) {
        watch.followPath(now, clockSynced);
        try {
            limits.enforce(now, clockSynced);
        } catch (SQLException e) {
            throw new StoreException("cannot keep " + path + " within store.max.mb: " + e.getMessage(), e);
        }
    }


    /** The figures telemetry publishes. */
    public synchronized StoreHealth health(Instant now) {
        try {
            Duration age = ledger.oldestUndelivered().map(t -> Duration.between(t, now)).filter(d -> !d.isNegative())
                    .orElse(Duration.ZERO);
            return new StoreHealth(ledger.undeliveredCount(), age, counters.get(StoreCounter.EVICTED).orElse(0),
                    counters.droppedTotal(),
                    counters.flag(Counters.Flag.OVER_CAP), counters.flag(Counters.Flag.BELOW_FLOOR), file.usedBytes(),
                    file.diskFreeBytes(), counters.get(StoreCounter.QUARANTINED).orElse(0),
                    limits.diskFull());
        } catch (SQLException e) {
            throw new StoreException("cannot read the health of " + path + ": " + e.getMessage(), e);
        }
    }

    /** Increments a persisted counter on its own (e.g. the MQTT birth/death sequence) and returns the new value. */
    public synchronized long increment(StoreCounter counter) {
        try {
            return counters.add(counter, 1);
        } catch (SQLException e) {
            throw new StoreException("cannot update counter " + counter.key() + " in " + path + ": " + e.getMessage(), e);
        }
    }

    public synchronized OptionalLong counter(StoreCounter counter) {
        return counters.get(counter);
    }

    /**
     * What the publisher sends next: undelivered messages after {@code afterPosition} whose topic is not in
     * {@code excludedTopics}, in commit order, at most {@code limit}; read beside the writer, never waiting for it
     * (see {@link DeliveryLedger#pending}).
     */
    public List<PendingMessage> pending(long afterPosition, int limit, Set<String> excludedTopics) {
        return ledger.pending(afterPosition, limit, excludedTopics);
    }

    /** Every stored message of a class, delivered or not, in commit order: for audits. */
    public synchronized List<StoredMessage> stored(MessageClass cls, long afterPosition, int limit) {
        return ledger.stored(cls, afterPosition, limit);
    }

    /** Notes one more attempt for each of {@code positions}: handed to the broker, no acknowledgement yet. */
    public synchronized void markPublished(List<Long> positions, Instant at) {
        ledger.markPublished(positions, at);
    }

    /**
     * Notes one attempt and the broker's success acknowledgement for many messages in one transaction: they are
     * delivered. The one way a message becomes delivered.
     */
    public synchronized void markDelivered(List<Long> positions, Instant publishedAt, Instant acknowledgedAt) {
        ledger.markDelivered(positions, publishedAt, acknowledgedAt);
    }

    /**
     * Makes messages acknowledged at or after {@code since} undelivered again, so they are sent once more: a broker
     * that crashed may have acknowledged them without writing them to disk or passing them on. Returns how many.
     */
    public synchronized int reopenAcknowledgedSince(Instant since) {
        return ledger.reopenAcknowledgedSince(since);
    }

    /** The position of the newest committed message (0 when empty): the publisher's line between backlog and live. */
    public synchronized long lastPosition() {
        return ledger.lastPosition();
    }

    public synchronized long undeliveredCount() {
        return ledger.undeliveredCount();
    }

    /** Creation time of the oldest undelivered message (the first in commit order), if any. */
    public synchronized Optional<Instant> oldestUndelivered() {
        return ledger.oldestUndelivered();
    }

    @Override
    public synchronized void close() {
        file.close();
    }
}
