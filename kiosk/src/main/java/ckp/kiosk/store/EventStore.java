package ckp.kiosk.store;

import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.message.Alarm;
import ckp.kiosk.message.AlarmCode;
import ckp.kiosk.message.AlarmState;
import ckp.kiosk.message.MessageClass;
import ckp.kiosk.message.Stamp;
import ckp.kiosk.message.Topics;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The kiosk's durable outbox: every message is committed here (WAL, synchronous=FULL, so a power cut after commit
 * loses nothing) before the lane shows the decision, and stays until the broker has acknowledged it, then for the
 * retention window. SQLite is the only source of truth; the MQTT client keeps nothing of its own.
 *
 * <p>Room: the store keeps its live size under {@code store.max.mb} by evicting telemetry first, oldest first, then
 * delivered rows; undelivered checkpoint events, alarms and lifecycle messages are never evicted. When they alone
 * exceed the cap, a {@code store-over-cap} alarm is raised and recording goes on. When free disk falls under
 * {@code store.min.free.mb}, checkpoint events are refused ({@link AppendOutcome.Refused}) and counted in the persisted
 * {@code store.dropped} counter; alarms, lifecycle messages and telemetry (rare and small, and they carry the news)
 * are still recorded.
 */
public final class EventStore implements AutoCloseable {
    private static final TaggedLogger LOG = Logger.tag("store");
    /** sqlite-jdbc unpacks its native library into this folder; /tmp is often mounted noexec on hardened images. */
    public static final String NATIVE_DIR_PROPERTY = "org.sqlite.tmpdir";
    /** Room a row is assumed to need when checking capacity before the payload exists. */
    private static final long ROW_ESTIMATE_BYTES = 2048;
    /** Rows evicted per transaction while a message waits to be appended: enough to free whole pages. */
    private static final int APPEND_EVICTION_BATCH = 32;
    /** Rows deleted per transaction by maintenance, so the lane's commit never waits long behind a purge. */
    static final int PURGE_BATCH = 500;
    /** {@code PRAGMA user_version} of the layout {@link #createSchema} makes; 0 was the single-table outbox. */
    static final int SCHEMA_VERSION = 1;

    static final String EVICTED = "store.evicted";
    static final String DROPPED = "store.dropped";
    static final String PURGED_EARLY = "store.purged.early";
    static final String OVER_CAP = "store.over_cap";
    static final String BELOW_FLOOR = "store.below_floor";
    static final String QUARANTINED = "store.quarantined";
    static final String DISK_FULL = "store.disk_full";
    /** Free disk a commit must leave for {@code store-disk-full} to clear, so a disk hovering at full does not flap it. */
    private static final long DISK_FULL_CLEAR_BYTES = 64 * 1024;

    /** The writer; replaced by {@link #reopenAtPath} when the file at {@code store.path} is no longer this one's. */
    private Connection db;
    /**
     * A second connection for the publisher's reads of undelivered rows, under its own lock: in WAL mode a reader
     * never waits for the writer, so the publisher refills its in-flight window while a delivery transaction (or the
     * WAL checkpoint one triggers, with its fsyncs) runs on {@link #db}. It only reads committed rows.
     */
    private Connection reader;
    private final Object readLock = new Object();
    /**
     * The publisher's query on {@link #reader} ({@link #pending} with no topic held back), prepared once: it runs on
     * every wake-up from the lane and for every read-ahead of the backlog, and compiling the SQL cost more than running
     * it. Guarded by readLock.
     */
    private PreparedStatement pendingAfter;
    private final Path path;
    private final StoreConfig config;
    /** The kiosk the store files its own alarms for, and the boot id they carry. */
    private final Topics topics;
    private final String bootId;
    private FileStore disk;
    /** What is at {@code store.path} as opened; checked before each commit. */
    private OpenedFiles opened;
    /**
     * Since when the file at {@code store.path} has not been the one open here (deleted or replaced), while the store
     * has not yet managed to open a new one there; null when all is well.
     */
    private Instant vanishedSince;
    /** Whether the clock was synchronised at the last append: for an alarm raised outside one (a delivery mark). */
    private boolean lastClockSynced;
    /** Checkpoint events refused since the file vanished; reported in the {@code store-file-vanished} alarm. */
    private long refusedWhileVanished;
    /**
     * Refusals not yet in the persisted {@code store.dropped} counters (a full disk cannot take the count either), by
     * class; written with the next transaction that commits, and counted in {@link #health} meanwhile.
     */
    private final Map<MessageClass, Long> uncountedDrops = new java.util.EnumMap<>(MessageClass.class);
    /** A commit failed for want of disk since the last one that succeeded with room to spare. */
    private boolean diskFull;

    private EventStore(Connection db, Connection reader, StoreConfig config, Topics topics, String bootId,
                       FileStore disk, OpenedFiles opened) {
        this.db = db;
        this.reader = reader;
        this.path = config.path();
        this.config = config;
        this.topics = topics;
        this.bootId = bootId;
        this.disk = disk;
        this.opened = opened;
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
            Path folder = path.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            keepNativeLibraryNextTo(folder);
            Optional<Path> quarantined = Optional.empty();
            Connection c;
            try {
                c = connectChecked(path);
            } catch (CorruptStore e) {
                quarantined = Optional.of(Quarantine.moveAside(path, clock.now()));
                LOG.error("store file {} is corrupt ({}); moved aside to {} and starting a new store", path,
                        e.getMessage(), quarantined.get());
                c = connectChecked(path);
            }
            createSchema(c);
            EventStore store = new EventStore(c, openReader(path), config, topics, bootId, Files.getFileStore(folder),
                    OpenedFiles.at(path));
            if (quarantined.isPresent()) {
                store.startAfterQuarantine(quarantined.get(), clock);
            }
            LOG.info("store open at {}", path);
            return store;
        } catch (SQLException | IOException | CorruptStore e) {
            throw new StoreException("cannot open the event store at " + path + " (" + e.getMessage()
                    + "); check that the folder exists, is writable by the kiosk user and the disk is not full", e);
        }
    }

    /** The store file failed its integrity check. */
    private static final class CorruptStore extends Exception {
        CorruptStore(String message) {
            super(message);
        }
    }

    /**
     * Points sqlite-jdbc's native library extraction at {@code <store folder>/native} unless the operator chose a
     * folder with {@code -Dorg.sqlite.tmpdir}; it must happen before the driver first loads (the first connection).
     */
    private static void keepNativeLibraryNextTo(Path folder) throws IOException {
        if (System.getProperty(NATIVE_DIR_PROPERTY) == null) {
            Path nativeDir = folder.resolve("native");
            Files.createDirectories(nativeDir);
            System.setProperty(NATIVE_DIR_PROPERTY, nativeDir.toString());
        }
    }

    /** The read-only connection for {@link #undelivered}; opened once the schema exists. */
    private static Connection openReader(Path path) throws SQLException {
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

    private static Connection connectChecked(Path path) throws SQLException, CorruptStore {
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
    private static void createSchema(Connection c) throws SQLException {
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

    /** Carries the sequences over from the quarantined file when readable, counts the quarantine, raises the alarm. */
    private synchronized void startAfterQuarantine(Path quarantined, ClockStatus clock) {
        Map<String, Long> salvaged = Quarantine.salvageCounters(quarantined);
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value)")) {
            for (Map.Entry<String, Long> e : salvaged.entrySet()) {
                ps.setString(1, e.getKey());
                ps.setLong(2, e.getValue());
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot start a new store at " + path + ": " + e.getMessage(), e);
        }
        long count = increment(QUARANTINED);
        Map<String, Long> facts = new java.util.LinkedHashMap<>();
        facts.put("quarantinedFiles", count);
        for (MessageClass cls : MessageClass.values()) {
            Long last = salvaged.get("seq." + cls.wire());
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
     * Commits one message, or throws {@link StoreException} when it was refused at the disk floor (counted; the lane
     * catches this and shows manual check) or SQLite failed. See {@link #tryAppend} for the outcome as a value.
     */
    public StoredMessage append(MessageClass cls, String topic, boolean retain, Instant now,
                                boolean clockSynced, String bootId, Function<Stamp, byte[]> payload) {
        AppendOutcome outcome = tryAppend(cls, topic, retain, now, clockSynced, bootId, payload);
        return switch (outcome) {
            case AppendOutcome.Committed c -> c.message();
            case AppendOutcome.Refused r -> throw new StoreException("a " + cls.wire() + " message was refused: "
                    + r.reason() + " (" + r.droppedTotal() + " refused so far, counted in " + DROPPED + ")", null);
        };
    }

    /**
     * Commits one message unless the disk is at its floor. The payload is built from the {@link Stamp} the store
     * assigns (id, next gapless seq of the class, time) inside the same transaction; when this returns
     * {@link AppendOutcome.Committed}, the message survives a power cut. Evicts telemetry and delivered rows first
     * when the store is at {@code store.max.mb}.
     */
    public synchronized AppendOutcome tryAppend(MessageClass cls, String topic, boolean retain, Instant now,
                                                boolean clockSynced, String bootId, Function<Stamp, byte[]> payload) {
        lastClockSynced = clockSynced;
        checkFileStillAtPath(cls, now, clockSynced);
        try {
            long free = diskFreeBytes();
            boolean belowFloor = free < config.minFreeBytes();
            updateFloorFlag(belowFloor, free, now, clockSynced);
            if (belowFloor && cls == MessageClass.EVENT) {
                long dropped = countRefusal(cls);
                String reason = "disk free " + mebibytes(free) + " MiB is under store.min.free.mb "
                        + mebibytes(config.minFreeBytes()) + " MiB";
                LOG.error("{}: {} message refused ({} so far)", reason, cls.wire(), dropped);
                return new AppendOutcome.Refused(cls, reason, dropped);
            }
            if (diskFull) {
                updateDiskFullFlag(true, now, clockSynced);
            }
            makeRoom(ROW_ESTIMATE_BYTES, APPEND_EVICTION_BATCH, now);
            updateOverCapFlag(now, clockSynced);
            StoredMessage stored = insert(cls, topic, retain, now, clockSynced, bootId, payload);
            if (diskFull && diskFreeBytes() >= DISK_FULL_CLEAR_BYTES) {
                updateDiskFullFlag(false, now, clockSynced);
            }
            return new AppendOutcome.Committed(stored);
        } catch (SQLException e) {
            if (isDiskFull(e)) { // the disk filled faster than the floor foresaw
                diskFull = true;
                long dropped = countRefusal(cls);
                LOG.error("disk full: {} message refused ({} so far)", cls.wire(), dropped);
                updateDiskFullFlag(true, now, clockSynced);
                return new AppendOutcome.Refused(cls, "the disk is full", dropped);
            }
            if (!opened.stillAtPath()) {
                // Deleted or replaced between the check and the commit (SQLite refuses to write to a moved file).
                noticeVanished(cls, now, clockSynced);
                throw vanished(cls, e);
            }
            throw new StoreException("cannot commit a " + cls.wire() + " message to " + path + ": " + e.getMessage()
                    + "; check the disk", e);
        }
    }

    /**
     * Before a commit: when the files at {@code store.path} are not the ones open here (the folder deleted, the file
     * replaced), a commit would land in a file nobody opens again. The commit that finds this out fails (the lane
     * shows manual check), the store opens a new file at the path carrying over everything undelivered, and commits
     * go on there; while no file can be opened there, every commit fails.
     */
    private void checkFileStillAtPath(MessageClass cls, Instant now, boolean clockSynced) {
        if (vanishedSince == null) {
            if (opened.stillAtPath()) {
                return;
            }
            noticeVanished(cls, now, clockSynced);
            if (cls == MessageClass.EVENT || vanishedSince != null) {
                throw vanished(cls, null);
            }
            return; // an alarm, telemetry or lifecycle message is shown on no lane: it goes into the new file
        }
        Optional<String> failure = reopenAtPath(now, clockSynced);
        if (failure.isPresent()) {
            if (cls == MessageClass.EVENT) {
                refusedWhileVanished++;
            }
            throw new StoreException("a " + cls.wire() + " message was not committed: the store file " + path
                    + " vanished and no new file can be opened there yet (" + failure.get() + ")", null);
        }
    }

    private void noticeVanished(MessageClass cls, Instant now, boolean clockSynced) {
        vanishedSince = now;
        if (cls == MessageClass.EVENT) {
            refusedWhileVanished++;
        }
        LOG.error("the store file {} was deleted or replaced while open; opening a new file there", path);
        reopenAtPath(now, clockSynced).ifPresent(failure -> LOG.error("cannot open a new store file at {} yet: {}",
                path, failure));
    }

    private StoreException vanished(MessageClass cls, SQLException cause) {
        return new StoreException("a " + cls.wire() + " message was not committed: the store file " + path
                + " was deleted or replaced while open" + (vanishedSince == null
                ? "; a new file was opened there with every undelivered message carried over"
                : "; no new file can be opened there yet, check that its folder can be created"), cause);
    }

    /**
     * Opens a new store at {@code store.path} (making its folder when allowed), copies into it, from the connections
     * still open on the vanished file, every undelivered message with its position, id and seq, and the counters (so
     * seq goes on, and positions never go back under the publisher), then switches to it and commits a
     * {@code store-file-vanished} alarm there. A file found at the path (someone else's) is moved aside, never
     * deleted, and so are a {@code -wal} and {@code -shm} left behind by a deleted database file: SQLite would
     * otherwise replay the old log into the new file. Returns the reason when it cannot yet.
     */
    private Optional<String> reopenAtPath(Instant now, boolean clockSynced) {
        synchronized (readLock) {
            Connection fresh = null;
            Connection freshReader = null;
            Path aside = null;
            long carried;
            try {
                Path folder = path.toAbsolutePath().getParent();
                Files.createDirectories(folder);
                Path wal = path.resolveSibling(path.getFileName() + "-wal");
                Path shm = path.resolveSibling(path.getFileName() + "-shm");
                if (Files.exists(path) || Files.exists(wal) || Files.exists(shm)) {
                    aside = Quarantine.moveAside(path, now, "replaced");
                    LOG.warn("files at store.path that are not the store's open file moved aside to {}", aside);
                }
                fresh = connectChecked(path);
                createSchema(fresh);
                carried = carryOver(db, fresh);
                freshReader = openReader(path);
                OpenedFiles freshFiles = OpenedFiles.at(path);
                FileStore freshDisk = Files.getFileStore(folder);
                closeQuietly(db, reader);
                db = fresh;
                reader = freshReader;
                pendingAfter = null;
                opened = freshFiles;
                disk = freshDisk;
            } catch (SQLException | IOException | CorruptStore | RuntimeException e) {
                closeQuietly(fresh, freshReader);
                if (fresh != null) {
                    // A half-made copy, never switched to: removed, so the next attempt starts clean.
                    for (String suffix : new String[] {"", "-wal", "-shm"}) {
                        try {
                            Files.deleteIfExists(path.resolveSibling(path.getFileName() + suffix));
                        } catch (IOException ignored) {
                            // The next attempt moves it aside instead.
                        }
                    }
                }
                return Optional.of(e.getMessage() == null ? e.toString() : e.getMessage());
            }
            Map<String, Long> facts = new java.util.LinkedHashMap<>();
            facts.put("carriedOver", carried);
            facts.put("refusedEvents", refusedWhileVanished);
            raise(now, clockSynced, AlarmCode.STORE_FILE_VANISHED, AlarmState.RAISED, "the store file " + path + " was deleted or replaced "
                    + "while open (noticed " + vanishedSince + "); a new file was opened there with " + carried
                    + " undelivered message(s) carried over" + (aside == null ? "" : "; what was found there was moved "
                    + "aside to " + aside.getFileName()) + "; " + refusedWhileVanished + " checkpoint event(s) were "
                    + "refused meanwhile (manual check)", facts);
            LOG.warn("store reopened at {}: {} undelivered message(s) carried over", path, carried);
            vanishedSince = null;
            refusedWhileVanished = 0;
            return Optional.empty();
        }
    }

    /**
     * Copies the counters, the outbox's position sequence and every undelivered message (with its delivery row) from
     * {@code from} into {@code to}, in one transaction on {@code to}; returns how many messages. SQLite still reads a
     * deleted file through the connection that has it open; it only refuses to write to it.
     */
    private static long carryOver(Connection from, Connection to) throws SQLException {
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
    private static void closeQuietly(Connection... connections) {
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

    private StoredMessage insert(MessageClass cls, String topic, boolean retain, Instant now, boolean clockSynced,
                                 String bootId, Function<Stamp, byte[]> payload) throws SQLException {
        return transaction(() -> {
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
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO delivery (position) VALUES (?)")) {
                ps.setLong(1, position);
                ps.executeUpdate();
            }
            addUncountedDrops();
            return new StoredMessage(position, id, cls, seq, topic, bytes, retain, now, 0);
        }, uncountedDrops::clear);
    }

    /**
     * Counts a refused message: in memory first, then in the persisted counters in a transaction of its own, which a
     * full disk may refuse too (then the next commit writes it). Returns the total refused so far, this one included.
     */
    private long countRefusal(MessageClass cls) {
        uncountedDrops.merge(cls, 1L, Long::sum);
        try {
            transaction(() -> {
                addUncountedDrops();
                return null;
            }, uncountedDrops::clear);
        } catch (SQLException e) {
            LOG.debug("refusal counted in memory until the disk takes writes: {}", e.getMessage());
        }
        return droppedTotal();
    }

    private void addUncountedDrops() throws SQLException {
        long total = 0;
        for (Map.Entry<MessageClass, Long> e : uncountedDrops.entrySet()) {
            add(DROPPED + "." + e.getKey().wire(), e.getValue());
            total += e.getValue();
        }
        if (total > 0) {
            add(DROPPED, total);
        }
    }

    /** Refused messages so far: the persisted counter and those not yet written. */
    private long droppedTotal() {
        return counter(DROPPED).orElse(0) + uncountedDrops.values().stream().mapToLong(Long::longValue).sum();
    }

    /** SQLITE_FULL, or an I/O error growing a file while the disk has (next to) no room left. */
    private boolean isDiskFull(SQLException e) {
        int primary = e.getErrorCode() & 0xFF;
        if (primary == 13) {
            return true;
        }
        try {
            return primary == 10 && diskFreeBytes() < DISK_FULL_CLEAR_BYTES;
        } catch (SQLException unreadable) {
            return false;
        }
    }

    /**
     * Raises {@code store-disk-full} once a full disk takes the alarm (tried again with every message until it does),
     * and clears it after a commit that left room to spare; both carry the refusals counted so far.
     */
    private void updateDiskFullFlag(boolean full, Instant now, boolean clockSynced) {
        boolean flagged = flag(DISK_FULL);
        Map<String, Long> facts = Map.of("dropped", droppedTotal());
        try {
            if (full && !flagged) {
                if (raise(now, clockSynced, AlarmCode.STORE_DISK_FULL, AlarmState.RAISED, "the disk of " + path + " is full: messages are "
                        + "refused and counted in " + DROPPED + ", the lane shows manual check", facts)) {
                    setFlag(DISK_FULL, true);
                }
            } else if (!full) {
                if (!flagged || raise(now, clockSynced, AlarmCode.STORE_DISK_FULL, AlarmState.CLEARED, "the disk of " + path
                        + " takes writes again; " + facts.get("dropped") + " message(s) refused so far", facts)) {
                    setFlag(DISK_FULL, false);
                    diskFull = false;
                }
            }
        } catch (SQLException e) {
            LOG.debug("store-disk-full flag not written yet: {}", e.getMessage());
        }
    }

    /** Work done inside one SQLite transaction. */
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction and {@code afterCommit} once it is committed. On failure the original
     * error is thrown: SQLite may already have rolled back by itself (it does on SQLITE_FULL), and the driver's
     * complaints about that must not hide the cause.
     */
    private <T> T transaction(SqlWork<T> work, Runnable afterCommit) throws SQLException {
        db.setAutoCommit(false);
        try {
            T result = work.run();
            db.commit();
            db.setAutoCommit(true);
            afterCommit.run();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                db.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            try {
                db.setAutoCommit(true); // the driver marks the connection auto-commit even when this throws
            } catch (SQLException restore) {
                e.addSuppressed(restore);
            }
            throw e;
        }
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

    private void updateFloorFlag(boolean belowFloor, long free, Instant now, boolean clockSynced) throws SQLException {
        boolean flagged = flag(BELOW_FLOOR);
        // Cleared only with 10% headroom above the floor, so a disk hovering at the floor does not flap the alarm.
        boolean clear = free >= config.minFreeBytes() + config.minFreeBytes() / 10;
        if (belowFloor && !flagged) {
            if (raise(now, clockSynced, AlarmCode.STORE_BELOW_FLOOR, AlarmState.RAISED, "disk free " + mebibytes(free)
                    + " MiB is under store.min.free.mb; checkpoint events are refused and counted, the lane shows "
                    + "manual check", Map.of("diskFreeBytes", free, "dropped", droppedTotal()))) {
                setFlag(BELOW_FLOOR, true);
            }
        } else if (flagged && clear) {
            if (raise(now, clockSynced, AlarmCode.STORE_BELOW_FLOOR, AlarmState.CLEARED, "disk free " + mebibytes(free) + " MiB; recording again",
                    Map.of("diskFreeBytes", free, "dropped", droppedTotal()))) {
                setFlag(BELOW_FLOOR, false);
            }
        }
    }

    private void updateOverCapFlag(Instant now, boolean clockSynced) throws SQLException {
        long used = usedBytes();
        boolean over = used + ROW_ESTIMATE_BYTES > config.maxBytes();
        boolean flagged = flag(OVER_CAP);
        // Cleared only under 90% of the cap, so a store hovering at the cap does not flap the alarm.
        if (over && !flagged) {
            if (raise(now, clockSynced, AlarmCode.STORE_OVER_CAP, AlarmState.RAISED, "undelivered checkpoint events alone exceed store.max.mb ("
                    + mebibytes(config.maxBytes()) + " MiB); they are kept and recording goes on while the disk allows",
                    Map.of("usedBytes", used, "maxBytes", config.maxBytes(), "queueDepth", undeliveredCount()))) {
                setFlag(OVER_CAP, true);
            }
        } else if (flagged && used < config.maxBytes() - config.maxBytes() / 10) {
            if (raise(now, clockSynced, AlarmCode.STORE_OVER_CAP, AlarmState.CLEARED, "the store is back under store.max.mb",
                    Map.of("usedBytes", used, "maxBytes", config.maxBytes()))) {
                setFlag(OVER_CAP, false);
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
        String[] counters = {null, EVICTED, PURGED_EARLY};
        for (int i = 0; i < victims.length; i++) {
            while (usedBytes() + neededBytes > config.maxBytes()) {
                int deleted = deleteBatch(victims[i], batch, counters[i]);
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
    private int deleteBatch(String positions, int batch, String counter) throws SQLException {
        return transaction(() -> {
            int deleted;
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM outbox WHERE position IN (" + positions
                    + " LIMIT ?)")) {
                ps.setInt(1, batch);
                deleted = ps.executeUpdate();
            }
            if (counter != null && deleted > 0) {
                add(counter, deleted);
            }
            return deleted;
        }, () -> { });
    }

    /**
     * Deletes delivered rows whose acknowledgement is older than {@code store.retention.hours}, {@value #PURGE_BATCH}
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
                    deleted = deleteBatch("SELECT position FROM delivery WHERE acked_ms IS NOT NULL AND acked_ms <= "
                            + cutoff + " ORDER BY position", PURGE_BATCH, null);
                } catch (SQLException e) {
                    throw new StoreException("cannot purge delivered rows from " + path + ": " + e.getMessage(), e);
                }
            }
            total += deleted;
            if (deleted < PURGE_BATCH) {
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
        if (vanishedSince == null && opened.stillAtPath()) {
            return;
        }
        if (vanishedSince == null) {
            vanishedSince = now;
            LOG.error("the store file {} was deleted or replaced while open; opening a new file there", path);
        }
        Optional<String> failure = reopenAtPath(now, clockSynced);
        if (failure.isPresent()) {
            throw new StoreException("the store file " + path + " vanished and no new file can be opened there yet: "
                    + failure.get(), null);
        }
    }

    /**
     * Evicts what the cap asks for and clears the over-cap and disk-floor alarms once the store is back within its
     * limits; maintenance calls it periodically, as appends alone would not notice a store that has drained.
     */
    public synchronized void enforceLimits(Instant now, boolean clockSynced) {
        followPath(now, clockSynced);
        try {
            makeRoom(0, PURGE_BATCH, now);
            long free = diskFreeBytes();
            updateFloorFlag(free < config.minFreeBytes(), free, now, clockSynced);
            updateOverCapFlag(now, clockSynced);
        } catch (SQLException e) {
            throw new StoreException("cannot keep " + path + " within store.max.mb: " + e.getMessage(), e);
        }
    }

    /**
     * Before delivery marks: they must land in the file at {@code store.path}, where the messages were carried, not
     * in a deleted one. When no file can be opened there yet, the marks go to the old file and are lost with it; the
     * messages are then sent again (same id), which the MQTT contract allows.
     */
    private void followPathForMarks(Instant now) {
        try {
            followPath(now, lastClockSynced);
        } catch (StoreException e) {
            LOG.warn("delivery marks written to the vanished store file: {}", e.getMessage());
        }
    }

    /** The figures telemetry publishes. */
    public synchronized StoreHealth health(Instant now) {
        try {
            Duration age = oldestUndelivered().map(t -> Duration.between(t, now)).filter(d -> !d.isNegative())
                    .orElse(Duration.ZERO);
            return new StoreHealth(undeliveredCount(), age, counter(EVICTED).orElse(0), droppedTotal(),
                    flag(OVER_CAP), flag(BELOW_FLOOR), usedBytes(), diskFreeBytes(), counter(QUARANTINED).orElse(0),
                    diskFull || flag(DISK_FULL));
        } catch (SQLException e) {
            throw new StoreException("cannot read the health of " + path + ": " + e.getMessage(), e);
        }
    }

    /** Makes SQLite answer SQLITE_FULL beyond {@code pages} pages: a full disk, for tests, without filling one. */
    synchronized void limitPagesForTest(long pages) {
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA max_page_count=" + pages);
        } catch (SQLException e) {
            throw new StoreException("cannot limit " + path + " to " + pages + " pages: " + e.getMessage(), e);
        }
    }

    /** Live bytes: pages in use, not counting free pages SQLite will reuse. */
    private long usedBytes() throws SQLException {
        return (pragma("page_count") - pragma("freelist_count")) * pragma("page_size");
    }

    private static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.2f", bytes / (1024.0 * 1024.0));
    }

    private long pragma(String name) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long diskFreeBytes() throws SQLException {
        try {
            return disk.getUsableSpace();
        } catch (IOException e) {
            throw new SQLException("cannot read free space of the store's disk: " + e.getMessage(), e);
        }
    }

    private boolean flag(String key) {
        return counter(key).orElse(0) != 0;
    }

    private void setFlag(String key, boolean on) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
            ps.setString(1, key);
            ps.setLong(2, on ? 1 : 0);
            ps.executeUpdate();
        }
    }

    /** Increments and returns a persisted counter (inside the caller's transaction when there is one). */
    private long nextCounter(String key) throws SQLException {
        return add(key, 1);
    }

    private long add(String key, long amount) throws SQLException {
        try (PreparedStatement up = db.prepareStatement(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = value + excluded.value RETURNING value")) {
            up.setString(1, key);
            up.setLong(2, amount);
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

    /**
     * Undelivered messages after {@code afterPosition}, in commit order, at most {@code limit}: every message committed
     * before the call (read on the reader connection, so it does not wait for a write in progress).
     */
    public List<StoredMessage> undelivered(long afterPosition, int limit) {
        synchronized (readLock) {
            return select(reader, "d.acked_ms IS NULL AND d.position > ?", afterPosition, limit);
        }
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
    public synchronized List<StoredMessage> stored(MessageClass cls, long afterPosition, int limit) {
        return select(db, "o.class = '" + cls.wire() + "' AND o.position > ?", afterPosition, limit);
    }

    private List<StoredMessage> select(Connection c, String where, long afterPosition, int limit) {
        try (PreparedStatement ps = c.prepareStatement(SELECT_MESSAGES + where + " ORDER BY d.position LIMIT ?")) {
            ps.setLong(1, afterPosition);
            ps.setInt(2, limit);
            return messages(ps);
        } catch (SQLException e) {
            throw new StoreException("cannot read messages from " + path + ": " + e.getMessage(), e);
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
    public List<PendingMessage> pending(long afterPosition, int limit, java.util.Set<String> excludedTopics) {
        synchronized (readLock) {
            try {
                if (excludedTopics.isEmpty()) {
                    if (pendingAfter == null) {
                        pendingAfter = reader.prepareStatement(SELECT_PENDING + PENDING_AFTER);
                    }
                    pendingAfter.setLong(1, afterPosition);
                    pendingAfter.setInt(2, limit);
                    return pendingMessages(pendingAfter);
                }
                String marks = String.join(",", java.util.Collections.nCopies(excludedTopics.size(), "?"));
                try (PreparedStatement ps = reader.prepareStatement(SELECT_PENDING + "d.acked_ms IS NULL AND "
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
                throw new StoreException("cannot read undelivered messages from " + path + ": " + e.getMessage(), e);
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
    public synchronized int reopenAcknowledgedSince(Instant since) {
        try (PreparedStatement ps = db.prepareStatement("UPDATE delivery SET acked_ms = NULL WHERE acked_ms >= ?")) {
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
        update("UPDATE delivery SET attempts = attempts + 1, published_ms = ? WHERE position = ?", at.toEpochMilli(), position);
    }

    /** Notes that the broker acknowledged a message with a success reason code: it is delivered. */
    public synchronized void markAcknowledged(long position, Instant at) {
        update("UPDATE delivery SET acked_ms = ? WHERE position = ? AND acked_ms IS NULL", at.toEpochMilli(), position);
    }

    /** {@link #markPublished(long, Instant)} for a whole in-flight window in one transaction: one fsync, not one each. */
    public synchronized void markPublished(List<Long> positions, Instant at) {
        updateAll("UPDATE delivery SET attempts = attempts + 1, published_ms = ? WHERE position BETWEEN ? AND ?", positions, at);
    }

    /** {@link #markAcknowledged(long, Instant)} for many PUBACKs in one transaction: one fsync, not one each. */
    public synchronized void markAcknowledged(List<Long> positions, Instant at) {
        updateAll("UPDATE delivery SET acked_ms = ? WHERE position BETWEEN ? AND ? AND acked_ms IS NULL", positions, at);
    }

    /**
     * Notes one attempt and the broker's success acknowledgement for many messages in one transaction: they are
     * delivered. (The publisher writes the attempt with the PUBACK, so a message costs one store update, not two.)
     */
    public synchronized void markDelivered(List<Long> positions, Instant publishedAt, Instant acknowledgedAt) {
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
        followPathForMarks(first);
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
            throw new StoreException("cannot update the outbox in " + path + ": " + e.getMessage(), e);
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

    private void update(String sql, long a, long b) {
        followPathForMarks(Instant.now());
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setLong(1, a);
            ps.setLong(2, b);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot update the outbox in " + path + ": " + e.getMessage(), e);
        }
    }

    public synchronized long undeliveredCount() {
        return queryLong("SELECT count(*) FROM delivery WHERE acked_ms IS NULL").orElse(0);
    }

    /** Creation time of the oldest undelivered message (the first in commit order), if any. */
    public synchronized Optional<Instant> oldestUndelivered() {
        OptionalLong ms = queryLong("SELECT o.created_ms FROM delivery d CROSS JOIN outbox o ON o.position = d.position "
                + "WHERE d.acked_ms IS NULL ORDER BY d.position LIMIT 1");
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
        synchronized (readLock) {
            try {
                if (pendingAfter != null) {
                    pendingAfter.close();
                }
                reader.close();
            } catch (SQLException e) {
                LOG.warn("closing the store's reader at {}: {}", path, e.getMessage());
            }
        }
        try {
            db.close();
        } catch (SQLException e) {
            LOG.warn("closing the store at {}: {}", path, e.getMessage());
        }
    }
}
