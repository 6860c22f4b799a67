package ckp.kiosk.store;

import ckp.kiosk.message.MessageClass;
import java.util.Objects;

/**
 * An undelivered message as the publisher reads it: what a PUBLISH needs and what its log lines name. The id, times and
 * attempts stay in the store; reading them (a UUID parsed from text among them) was half the cost of a row.
 *
 * @param position the store's commit order; the publisher's cursor and the key its PUBACK is filed under
 */
public record PendingMessage(long position, MessageClass messageClass, long seq, String topic, byte[] payload,
                             boolean retain) {
    public PendingMessage {
        Objects.requireNonNull(messageClass);
        Objects.requireNonNull(topic);
        Objects.requireNonNull(payload);
    }
}
