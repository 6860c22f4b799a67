package ckp.kiosk.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.message.MessageClass;
import ckp.kiosk.store.PendingMessage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The PUBACK window of one connection: sized by config and broker, with room kept for control messages. */
class InFlightWindowTest {
    private static final Instant T = Instant.parse("2026-11-30T06:00:00Z");

    static PendingMessage message(long position) {
        return new PendingMessage(position, MessageClass.EVENT, position, "ckp/v1/s1/l1/k1/event", new byte[] {1},
                false);
    }

    @Test
    void theWindowIsTheConfiguredMaximumButLeavesTwoOfTheBrokersReceiveMaximumForControlMessages() {
        assertEquals(10, new InFlightWindow(10, 20).window());
        assertEquals(18, new InFlightWindow(100, 20).window(), "Mosquitto's default receive maximum of 20");
        assertEquals(1, new InFlightWindow(100, 2).window(), "at least one, however small the broker's maximum");
        assertThrows(IllegalArgumentException.class, () -> new InFlightWindow(0, 20));
    }

    @Test
    void storedMessagesFillTheWindowAndAnAckFreesTheirSlot() {
        InFlightWindow w = new InFlightWindow(3, 20);
        for (long p = 1; p <= 3; p++) {
            w.add(message(p), T);
        }
        assertEquals(0, w.free());
        assertThrows(IllegalStateException.class, () -> w.add(message(4), T));
        assertEquals(List.of(1L, 2L, 3L), w.positions(), "send order");
        assertEquals(T, w.remove(2).orElseThrow().sentAt());
        assertTrue(w.remove(2).isEmpty(), "a second PUBACK of the same message is stale");
        assertEquals(1, w.free());
        assertFalse(w.contains(2));
    }

    @Test
    void aMessagePutBackAfterAFailedAckCountsAgainstTheWindowAgain() {
        InFlightWindow w = new InFlightWindow(2, 20);
        w.add(message(1), T);
        InFlightWindow.Sent sent = w.remove(1).orElseThrow();
        w.putBack(sent);
        assertTrue(w.contains(1));
        assertEquals(1, w.free());
    }

    @Test
    void controlMessagesNeverTakeTheSessionOverTheBrokersReceiveMaximum() {
        InFlightWindow w = new InFlightWindow(100, 5); // window 3, two control slots
        for (long p = 1; p <= 3; p++) {
            w.add(message(p), T);
        }
        assertTrue(w.controlRoom());
        w.controlSent();
        assertTrue(w.controlRoom());
        w.controlSent();
        assertFalse(w.controlRoom(), "3 stored + 2 control = the broker's 5");
        w.controlAcked();
        assertTrue(w.controlRoom());
    }
}
