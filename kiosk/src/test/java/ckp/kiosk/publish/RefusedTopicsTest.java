package ckp.kiosk.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Topics the broker refused, each held back on its own for its backoff, on a clock moved by hand. */
class RefusedTopicsTest {
    private static final String EVENT = "ckp/v1/s1/l1/k1/event";
    private static final String ALARM = "ckp/v1/s1/l1/k1/alarm";
    private final FakeTicker ticker = new FakeTicker();
    /** The whole ceiling, no jitter: the waits are known. */
    private final RefusedTopics refused = new RefusedTopics(new Backoff(Duration.ofSeconds(60), c -> c));

    @Test
    void aRefusedTopicIsHeldForItsBackoffAndThenLifted() {
        assertEquals(Optional.of(Duration.ofSeconds(1)), refused.refuse(EVENT, ticker.getAsLong()));
        assertTrue(refused.isHeld(EVENT));
        assertEquals(Set.of(EVENT), refused.held());
        ticker.advance(Duration.ofMillis(999));
        assertFalse(refused.liftDue(ticker.getAsLong()));
        ticker.advance(Duration.ofMillis(1));
        assertTrue(refused.liftDue(ticker.getAsLong()));
        assertFalse(refused.isHeld(EVENT));
        assertEquals(Set.of(), refused.held());
    }

    @Test
    void moreRefusalsOfAHeldTopicDoNotExtendItsHold() {
        refused.refuse(EVENT, ticker.getAsLong());
        ticker.advance(Duration.ofMillis(500));
        assertEquals(Optional.empty(), refused.refuse(EVENT, ticker.getAsLong()), "the rest of the same window");
        ticker.advance(Duration.ofMillis(500));
        assertTrue(refused.liftDue(ticker.getAsLong()));
    }

    @Test
    void aTopicRefusedAgainWaitsTwiceAsLongAndOneAcceptedStartsFromTheBase() {
        refused.refuse(EVENT, ticker.getAsLong());
        ticker.advance(Duration.ofSeconds(1));
        refused.liftDue(ticker.getAsLong());
        assertEquals(Optional.of(Duration.ofSeconds(2)), refused.refuse(EVENT, ticker.getAsLong()));
        ticker.advance(Duration.ofSeconds(2));
        refused.liftDue(ticker.getAsLong());
        assertEquals(Optional.of(Duration.ofSeconds(4)), refused.refuse(EVENT, ticker.getAsLong()));
        ticker.advance(Duration.ofSeconds(4));
        refused.liftDue(ticker.getAsLong());
        assertTrue(refused.accepted(EVENT), "it had been refused");
        assertFalse(refused.accepted(EVENT), "once is enough");
        assertEquals(Optional.of(Duration.ofSeconds(1)), refused.refuse(EVENT, ticker.getAsLong()));
    }

    @Test
    void eachTopicHasItsOwnHold() {
        refused.refuse(EVENT, ticker.getAsLong());
        ticker.advance(Duration.ofMillis(600));
        refused.refuse(ALARM, ticker.getAsLong());
        ticker.advance(Duration.ofMillis(400));
        assertTrue(refused.liftDue(ticker.getAsLong()));
        assertEquals(Set.of(ALARM), refused.held(), "the alarm topic's hold began later");
        assertThrows(UnsupportedOperationException.class, () -> refused.held().add(EVENT), "a snapshot");
    }

    @Test
    void reasonCodesAreNamedForLogsAndAlarms() {
        assertEquals("not authorized", RefusedTopics.reason(0x87));
        assertEquals("quota exceeded", RefusedTopics.reason(0x97));
        assertEquals("reason code 0xa2", RefusedTopics.reason(0xa2));
    }
}
