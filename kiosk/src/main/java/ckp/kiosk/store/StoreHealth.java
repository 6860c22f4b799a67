package ckp.kiosk.store;

import java.time.Duration;
import java.util.Objects;

/**
 * The store's figures for telemetry and status.
 *
 * @param queueDepth             messages not yet acknowledged by the broker
 * @param oldestUndeliveredAge   age of the first undelivered message in commit order (zero when none)
 * @param evictedCount           undelivered telemetry samples evicted to keep under {@code store.max.mb} (persisted)
 * @param droppedCount           messages refused at the disk floor (persisted)
 * @param overCap                undelivered events, alarms and lifecycle messages alone exceed {@code store.max.mb}
 * @param belowDiskFloor         free disk is under {@code store.min.free.mb}: checkpoint events are being refused
 * @param usedBytes              live bytes in the store file (pages in use)
 * @param diskFreeBytes          free bytes on the store's file system, for the kiosk's user
 * @param quarantinedFiles       corrupt store files moved aside since this kiosk was set up (persisted)
 * @param diskFull               a commit failed for want of disk and none has since succeeded with room to spare
 */
public record StoreHealth(long queueDepth, Duration oldestUndeliveredAge, long evictedCount, long droppedCount,
                          boolean overCap, boolean belowDiskFloor, long usedBytes, long diskFreeBytes,
                          long quarantinedFiles, boolean diskFull) {
    public StoreHealth {
        Objects.requireNonNull(oldestUndeliveredAge);
    }

    /** A corrupt store file was found and moved aside at some start: records it held may be lost. */
    public boolean quarantined() {
        return quarantinedFiles > 0;
    }
}
