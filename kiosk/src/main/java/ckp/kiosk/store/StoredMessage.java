package ckp.kiosk.store;

import ckp.kiosk.message.MessageClass;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A message committed to the store, waiting for or past delivery.
 *
 * @param position the store's own commit order (the SQLite rowid); publishing follows it
 * @param seq      gapless per-class sequence number, as written in the payload
 */
public record StoredMessage(long position, UUID id, MessageClass messageClass, long seq, String topic, byte[] payload,
                            boolean retain, Instant createdAt, int attempts) {
    public StoredMessage {
        Objects.requireNonNull(id);
        Objects.requireNonNull(messageClass);
        Objects.requireNonNull(topic);
        Objects.requireNonNull(payload);
        Objects.requireNonNull(createdAt);
    }
}
