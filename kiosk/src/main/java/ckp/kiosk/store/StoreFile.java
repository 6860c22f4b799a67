package ckp.kiosk.store;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The store's SQLite file and its two connections: opened (a corrupt file quarantined, an old layout migrated), and
 * replaced by a new file at the same path when the one open here was deleted or replaced. Everything else reaches
 * the file through it, so a replacement is seen everywhere at once.
 */
final class StoreFile implements AutoCloseable {
    private static final TaggedLogger LOG = Logger.tag("store");

    /** Work done inside one SQLite transaction. */
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    /**
     * What replacing the file at {@code store.path} came to.
     *
     * @param failure why no new file could be opened there yet; empty when the store now writes to the new file
     * @param carried undelivered messages copied into the new file
     * @param aside   where files found at the path were moved
     */
    record Replacement(Optional<String> failure, long carried, Optional<Path> aside) {
    }

    private final Path path;
    /** The writer; replaced by {@link #replaceAtPath} when the file at {@code store.path} is no longer this one's. */
    private Connection db;
    /**
     * A second connection for the publisher's reads of undelivered rows, under its own lock: in WAL mode a reader
     * never waits for the writer, so the publisher refills its in-flight window while a delivery transaction (or the
     * WAL checkpoint one triggers, with its fsyncs) runs on {@link #db}. It only reads committed rows.
     */
    private Connection reader;
    private final Object readLock = new Object();
    /** One query on {@link #reader} prepared once (the publisher's hot one), guarded by readLock. */
    private PreparedStatement readerStatement;
    private String readerStatementSql;
    private FileStore disk;
    /** What is at {@code store.path} as opened; checked before each commit. */
    private OpenedFiles opened;
    /** Where the corrupt file found at open was moved, if one was. */
    private final Optional<Path> quarantined;

    private StoreFile(Path path, Connection db, Connection reader, FileStore disk, OpenedFiles opened,
                      Optional<Path> quarantined) {
        this.path = path;
        this.db = db;
        this.reader = reader;
        this.disk = disk;
        this.opened = opened;
        this.quarantined = quarantined;
    }

    /**
     * Opens (creating when absent) the store file at {@code path}. A file that fails {@code PRAGMA quick_check} (or is
     * not a database) is moved aside (see {@link Quarantine}) and a new one started in its place.
     */
    static StoreFile open(Path path, Instant now) throws SQLException, IOException, StoreSchema.CorruptStore {
        Path folder = path.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        StoreSchema.keepNativeLibraryNextTo(folder);
        Optional<Path> quarantined = Optional.empty();
        Connection c;
        try {
            c = StoreSchema.connectChecked(path);
        } catch (StoreSchema.CorruptStore e) {
            quarantined = Optional.of(Quarantine.moveAside(path, now));
            LOG.error("store file {} is corrupt ({}); moved aside to {} and starting a new store", path,
                    e.getMessage(), quarantined.get());
            c = StoreSchema.connectChecked(path);
        }
        StoreSchema.createSchema(c);
        return new StoreFile(path, c, StoreSchema.openReader(path), Files.getFileStore(folder), OpenedFiles.at(path),
                quarantined);
    }

    Path path() {
        return path;
    }

    Optional<Path> quarantined() {
        return quarantined;
    }

    /** The writer connection; callers hold the store's lock. */
    Connection db() {
        return db;
    }

    Object readLock() {
        return readLock;
    }

    Connection reader() {
        return reader;
    }

    /** {@code sql} prepared on the reader, kept for the next call with the same text; callers hold readLock. */
    PreparedStatement readerStatement(String sql) throws SQLException {
        if (readerStatement == null || !sql.equals(readerStatementSql)) {
            if (readerStatement != null) {
                readerStatement.close();
            }
            readerStatement = reader.prepareStatement(sql);
            readerStatementSql = sql;
        }
        return readerStatement;
    }

    /** Whether the files at {@code store.path} are still the ones open here. */
    boolean stillAtPath() {
        return opened.stillAtPath();
    }

    /**
     * Runs {@code work} in one transaction and {@code afterCommit} once it is committed. On failure the original
     * error is thrown: SQLite may already have rolled back by itself (it does on SQLITE_FULL), and the driver's
     * complaints about that must not hide the cause.
     */
    <T> T transaction(SqlWork<T> work, Runnable afterCommit) throws SQLException {
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
     * Opens a new store file at {@code store.path} (making its folder when allowed), copies into it, from the
     * connections still open on the vanished file, every undelivered message with its position, id and seq, and the
     * counters (so seq goes on, and positions never go back under the publisher), then switches to it. A file found
     * at the path (someone else's) is moved aside, never deleted, and so are a {@code -wal} and {@code -shm} left
     * behind by a deleted database file: SQLite would otherwise replay the old log into the new file.
     */
    Replacement replaceAtPath(Instant now) {
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
                fresh = StoreSchema.connectChecked(path);
                StoreSchema.createSchema(fresh);
                carried = StoreSchema.carryOver(db, fresh);
                freshReader = StoreSchema.openReader(path);
                OpenedFiles freshFiles = OpenedFiles.at(path);
                FileStore freshDisk = Files.getFileStore(folder);
                closeReaderStatement();
                StoreSchema.closeQuietly(db, reader);
                db = fresh;
                reader = freshReader;
                opened = freshFiles;
                disk = freshDisk;
            } catch (SQLException | IOException | StoreSchema.CorruptStore | RuntimeException e) {
                StoreSchema.closeQuietly(fresh, freshReader);
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
                return new Replacement(Optional.of(e.getMessage() == null ? e.toString() : e.getMessage()), 0,
                        Optional.empty());
            }
            return new Replacement(Optional.empty(), carried, Optional.ofNullable(aside));
        }
    }

    /** Live bytes: pages in use, not counting free pages SQLite will reuse. */
    long usedBytes() throws SQLException {
        return (pragma("page_count") - pragma("freelist_count")) * pragma("page_size");
    }

    private long pragma(String name) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    long diskFreeBytes() throws SQLException {
        try {
            return disk.getUsableSpace();
        } catch (IOException e) {
            throw new SQLException("cannot read free space of the store's disk: " + e.getMessage(), e);
        }
    }

    private void closeReaderStatement() {
        if (readerStatement != null) {
            try {
                readerStatement.close();
            } catch (SQLException e) {
                LOG.debug("closing a reader statement: {}", e.getMessage());
            }
            readerStatement = null;
            readerStatementSql = null;
        }
    }

    @Override
    public void close() {
        synchronized (readLock) {
            closeReaderStatement();
            try {
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
