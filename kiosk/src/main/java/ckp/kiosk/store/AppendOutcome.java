package ckp.kiosk.store;

import ckp.kiosk.message.MessageClass;
import java.util.Objects;

/**
 * What became of a message handed to {@link EventStore#tryAppend}: committed (it survives a power cut), or refused
 * because the disk is at its floor (it was counted in the persisted {@code store.dropped} counter, which telemetry
 * publishes, so the loss is never silent; the lane then shows manual check and the officer records the vehicle).
 */
public sealed interface AppendOutcome {

    /** The message is on disk. */
    record Committed(StoredMessage message) implements AppendOutcome {
        public Committed {
            Objects.requireNonNull(message);
        }
    }

    /**
     * The message was not stored.
     *
     * @param droppedTotal the persisted count of refused messages, this one included
     */
    record Refused(MessageClass messageClass, String reason, long droppedTotal) implements AppendOutcome {
        public Refused {
            Objects.requireNonNull(messageClass);
            Objects.requireNonNull(reason);
        }
    }
}
