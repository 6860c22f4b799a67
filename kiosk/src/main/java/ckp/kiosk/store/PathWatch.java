package ckp.kiosk.store;

import ckp.kiosk.message.AlarmCode;
import ckp.kiosk.message.AlarmState;
import ckp.kiosk.message.MessageClass;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The store's watch on {@code store.path}: notices that the file open here was deleted or replaced, opens a new file
 * there with everything undelivered carried over, and files the {@code store-file-vanished} alarm. Until it can,
 * checkpoint events are refused (the lane shows manual check). Callers hold the store's lock.
 */
final class PathWatch {
    private static final TaggedLogger LOG = Logger.tag("store");

    private final StoreFile file;
    private final Path path;
    private final StoreLimits.AlarmSink alarms;
    /**
     * Since when the file at {@code store.path} has not been the one open here (deleted or replaced), while the store
     * has not yet managed to open a new one there; null when all is well.
     */
    private Instant vanishedSince;
    /** Whether the clock was synchronised at the last append: for an alarm raised outside one (a delivery mark). */
    private boolean lastClockSynced;
    /** Checkpoint events refused since the file vanished; reported in the {@code store-file-vanished} alarm. */
    private long refusedWhileVanished;

    PathWatch(StoreFile file, StoreLimits.AlarmSink alarms) {
        this.file = file;
        this.path = file.path();
        this.alarms = alarms;
    }

    /** Before a commit of {@code cls}: throws {@link StoreException} when it must not be committed now. */
    void beforeCommit(MessageClass cls, Instant now, boolean clockSynced) {
        lastClockSynced = clockSynced;
        checkFileStillAtPath(cls, now, clockSynced);
    }

    /**
     * After a commit failed: when the file was deleted or replaced between the check and the commit (SQLite refuses to
     * write to a moved file), the exception to throw, after a new file was opened where possible.
     */
    Optional<StoreException> vanishedDuring(MessageClass cls, Instant now, boolean clockSynced, SQLException e) {
        if (file.stillAtPath()) {
            return Optional.empty();
        }
        noticeVanished(cls, now, clockSynced);
        return Optional.of(vanished(cls, e));
    }

    /**
     * Before a commit: when the files at {@code store.path} are not the ones open here (the folder deleted, the file
     * replaced), a commit would land in a file nobody opens again. The commit that finds this out fails (the lane
     * shows manual check), the store opens a new file at the path carrying over everything undelivered, and commits
     * go on there; while no file can be opened there, every commit fails.
     */
    private void checkFileStillAtPath(MessageClass cls, Instant now, boolean clockSynced) {
        if (vanishedSince == null) {
            if (file.stillAtPath()) {
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
     * Opens a new file at {@code store.path} with every undelivered message carried over (see
     * {@link StoreFile#replaceAtPath}) and commits a {@code store-file-vanished} alarm there. Returns the reason when
     * it cannot yet.
     */
    private Optional<String> reopenAtPath(Instant now, boolean clockSynced) {
        StoreFile.Replacement r = file.replaceAtPath(now);
        if (r.failure().isPresent()) {
            return r.failure();
        }
        long carried = r.carried();
        Map<String, Long> facts = new LinkedHashMap<>();
        facts.put("carriedOver", carried);
        facts.put("refusedEvents", refusedWhileVanished);
        alarms.raise(now, clockSynced, AlarmCode.STORE_FILE_VANISHED, AlarmState.RAISED, "the store file " + path
                + " was deleted or replaced while open (noticed " + vanishedSince + "); a new file was opened there with "
                + carried + " undelivered message(s) carried over" + r.aside().map(aside -> "; what was found there "
                + "was moved aside to " + aside.getFileName()).orElse("") + "; " + refusedWhileVanished
                + " checkpoint event(s) were refused meanwhile (manual check)", facts);
        LOG.warn("store reopened at {}: {} undelivered message(s) carried over", path, carried);
        vanishedSince = null;
        refusedWhileVanished = 0;
        return Optional.empty();
    }

    /**
     * Opens a new file at {@code store.path} when the one open here was deleted or replaced (see
     * {@link EventStore#tryAppend}), without a commit having to fail first: maintenance calls it every minute, so a file deleted
     * while the lane is idle is replaced before the next vehicle. Throws when no file can be opened there yet.
     */
    void followPath(Instant now, boolean clockSynced) {
        if (vanishedSince == null && file.stillAtPath()) {
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
     * Before delivery marks: they must land in the file at {@code store.path}, where the messages were carried, not
     * in a deleted one. When no file can be opened there yet, the marks go to the old file and are lost with it; the
     * messages are then sent again (same id), which the MQTT contract allows.
     */
    void followPathForMarks(Instant now) {
        try {
            followPath(now, lastClockSynced);
        } catch (StoreException e) {
            LOG.warn("delivery marks written to the vanished store file: {}", e.getMessage());
        }
    }
}
