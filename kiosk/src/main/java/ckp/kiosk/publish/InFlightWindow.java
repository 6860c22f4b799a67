package ckp.kiosk.publish;

import ckp.kiosk.store.PendingMessage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The QoS 1 messages of one connection that await their PUBACK, bounded twice: stored messages by the window
 * ({@code mqtt.inflight.max}, at most the broker's receive maximum less the control slots), and everything, control
 * messages (status, command responses) included, by the broker's receive maximum, which a client must never exceed.
 */
final class InFlightWindow {
    /** Slots of the broker's receive maximum kept for the status message and command responses. */
    static final int CONTROL_SLOTS = 2;

    /** A stored message handed to the client, and when. */
    record Sent(PendingMessage message, Instant sentAt) {
    }

    private final int window;
    private final int receiveMaximum;
    private final Map<Long, Sent> stored = new LinkedHashMap<>();
    private int control;

    InFlightWindow(int inflightMax, int receiveMaximum) {
        if (inflightMax < 1 || receiveMaximum < 1) {
            throw new IllegalArgumentException("in-flight maximum and receive maximum must be 1 or more, got "
                    + inflightMax + " and " + receiveMaximum);
        }
        this.window = Math.max(1, Math.min(inflightMax, receiveMaximum - CONTROL_SLOTS));
        this.receiveMaximum = receiveMaximum;
    }

    /** How many stored messages may await PUBACK at once on this connection. */
    int window() {
        return window;
    }

    /** Stored messages that may be sent now. */
    int free() {
        return Math.max(0, window - stored.size());
    }

    int size() {
        return stored.size();
    }

    boolean isEmpty() {
        return stored.isEmpty();
    }

    boolean contains(long position) {
        return stored.containsKey(position);
    }

    void add(PendingMessage message, Instant sentAt) {
        if (stored.size() >= window) {
            throw new IllegalStateException("the in-flight window of " + window + " is full; position "
                    + message.position() + " must wait");
        }
        stored.put(message.position(), new Sent(message, sentAt));
    }

    /** Takes a message out when its PUBACK came; empty when it was not in flight (a stale acknowledgement). */
    Optional<Sent> remove(long position) {
        return Optional.ofNullable(stored.remove(position));
    }

    /** Puts a message back (its PUBACK said the connection failed); it counts against the window again. */
    void putBack(Sent sent) {
        stored.put(sent.message().position(), sent);
    }

    /** Positions in flight, in send order. */
    List<Long> positions() {
        return List.copyOf(stored.keySet());
    }

    /** True when one more control message fits under the broker's receive maximum. */
    boolean controlRoom() {
        return stored.size() + control < receiveMaximum;
    }

    void controlSent() {
        control++;
    }

    void controlAcked() {
        control = Math.max(0, control - 1);
    }
}
