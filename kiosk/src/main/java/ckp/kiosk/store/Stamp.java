package ckp.kiosk.store;

import java.time.Instant;
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
}
