package ckp.kiosk.store;

import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.message.Payload;
import ckp.kiosk.message.Topics;
import java.util.Objects;

/**
 * The store as a stage sees it: an outbox bound to this kiosk's topics, clock and boot id, so a stage says
 * {@code record(message)} and the store stamps it, writes it as JSON and commits it on the message's topic.
 */
public final class Outbox {
    private final EventStore store;
    private final Topics topics;
    private final ClockStatus clock;
    private final String bootId;

    public Outbox(EventStore store, Topics topics, ClockStatus clock, String bootId) {
        this.store = Objects.requireNonNull(store);
        this.topics = Objects.requireNonNull(topics);
        this.clock = Objects.requireNonNull(clock);
        this.bootId = Objects.requireNonNull(bootId);
    }

    /**
     * Commits one message, or throws {@link StoreException} when it was refused at the disk floor (counted) or
     * SQLite failed. See {@link #tryRecord} for the outcome as a value.
     */
    public StoredMessage record(Payload payload) {
        return switch (tryRecord(payload)) {
            case AppendOutcome.Committed c -> c.message();
            case AppendOutcome.Refused r -> throw new StoreException("a " + payload.messageClass().wire()
                    + " message was refused: " + r.reason() + " (" + r.droppedTotal() + " refused so far, counted in "
                    + "store.dropped)", null);
        };
    }

    /** Commits one message unless the disk is at its floor; see {@link EventStore#tryAppend}. */
    public AppendOutcome tryRecord(Payload payload) {
        return store.tryAppend(payload.messageClass(), topics.of(payload.messageClass()), false, clock.now(),
                clock.synced(), bootId, stamp -> PayloadJson.encode(topics, stamp, payload));
    }

    public Topics topics() {
        return topics;
    }

    public EventStore store() {
        return store;
    }
}
