package ckp.kiosk.scan;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Turns per-frame decodes into sightings: a code held in front of the camera for many frames is one sighting, and
 * the same code shown again within the repeat window (a driver waving the phone twice) is still the same one.
 */
public final class RepeatFilter {
    private final long windowNanos;
    private final Map<String, Long> lastSeenNanos = new HashMap<>();

    public RepeatFilter(Duration window) {
        this.windowNanos = window.toNanos();
    }

    /** Records that {@code text} was seen at {@code nowNanos}; true when this is a new sighting. */
    public boolean isNew(String text, long nowNanos) {
        expire(nowNanos);
        Long last = lastSeenNanos.put(text, nowNanos);
        return last == null;
    }

    private void expire(long nowNanos) {
        for (Iterator<Long> it = lastSeenNanos.values().iterator(); it.hasNext(); ) {
            if (nowNanos - it.next() > windowNanos) {
                it.remove();
            }
        }
    }
}
