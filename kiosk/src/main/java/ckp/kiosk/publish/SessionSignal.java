package ckp.kiosk.publish;

/** What wakes the publisher thread: the client's callbacks, the lane and the backlog reader only post these. */
sealed interface SessionSignal {

    /** A PUBACK (reason code, or -1 when the connection failed first) of the stored message at {@code position}. */
    record Ack(long connection, long position, int reasonCode) implements SessionSignal {
    }

    /** A PUBACK of a control message (status, command response). */
    record ControlAck(long connection) implements SessionSignal {
    }

    record Lost(long connection, String why) implements SessionSignal {
    }

    /** The lane committed a message. */
    record Wake() implements SessionSignal {
    }

    record Respond(OutgoingMessage message) implements SessionSignal {
    }

    record Resubscribe() implements SessionSignal {
    }

    /** The backlog reader has rows ready (or is through). */
    record BacklogRows() implements SessionSignal {
    }
}
