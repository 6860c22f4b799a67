package ckp.kiosk.message;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The identity the store gives a message as it commits it; the payload is built from it inside the same transaction,
 * so the {@code id} and {@code seq} in a published JSON are exactly the row's.
 */
public record Stamp(UUID id, long seq, Instant time, boolean clockSynced, String bootId) {
    public Stamp {
        Objects.requireNonNull(id);
        Objects.requireNonNull(time);
        Objects.requireNonNull(bootId);
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1, got " + seq);
        }
    }

    /**
     * The fields every published message starts with — {@code id, seq, kiosk, site, lane, time, clockSynced} — so the
     * central side reads and de-duplicates all message classes the same way.
     */
    public Map<String, Object> header(Topics sender) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", id.toString());
        o.put("seq", seq);
        o.put("kiosk", sender.kiosk());
        o.put("site", sender.site());
        o.put("lane", sender.lane());
        o.put("time", time.toString());
        o.put("clockSynced", clockSynced);
        return o;
    }
}
