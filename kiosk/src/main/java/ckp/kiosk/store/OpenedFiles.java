package ckp.kiosk.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;

/**
 * The identity (device and inode, the JDK's file key) of the store file and its write-ahead log as the store opened
 * them, checked before each commit: a folder deleted or a file replaced under the running store leaves SQLite
 * writing to (or refusing to write to) a file nobody will open again, so the store must notice before the lane
 * signals. The check is one {@code stat} of each file (see docs/performance.md for its cost).
 */
final class OpenedFiles {
    private final Path db;
    private final Path wal;
    private final Object dbKey;
    /** Empty until SQLite has created the log; it keeps it while any connection is open. */
    private Optional<Object> walKey;

    private OpenedFiles(Path db, Object dbKey, Optional<Object> walKey) {
        this.db = db;
        this.wal = db.resolveSibling(db.getFileName() + "-wal");
        this.dbKey = Objects.requireNonNull(dbKey);
        this.walKey = walKey;
    }

    /** Records the files now at {@code db}; call right after opening the store there. */
    static OpenedFiles at(Path db) throws IOException {
        Object key = key(db).orElseThrow(() -> new IOException("the store file " + db + " is not there after opening it"));
        return new OpenedFiles(db, key, key(db.resolveSibling(db.getFileName() + "-wal")));
    }

    /** Whether the files at the store's path are still the ones opened (false when either was deleted or replaced). */
    boolean stillAtPath() {
        try {
            if (!dbKey.equals(key(db).orElse(null))) {
                return false;
            }
            Optional<Object> walNow = key(wal);
            if (walKey.isEmpty()) {
                walKey = walNow;
                return true;
            }
            return walKey.equals(walNow);
        } catch (IOException e) {
            return false; // a file that cannot be looked at cannot be trusted to be ours
        }
    }

    private static Optional<Object> key(Path file) throws IOException {
        try {
            // fileKey() is (device, inode) on Linux; a file system without keys cannot be checked, so it always passes.
            Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            return Optional.of(key == null ? file : key);
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
