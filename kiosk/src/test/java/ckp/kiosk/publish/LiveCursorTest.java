package ckp.kiosk.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Where one connection's live stream stands, on a clock moved by hand. */
class LiveCursorTest {
    private final FakeTicker ticker = new FakeTicker();
    private final LiveCursor live = new LiveCursor(40, Duration.ofMillis(100), ticker.getAsLong());

    @Test
    void theLiveStreamStartsAfterTheBacklogBoundaryAndIsReadAtOnce() {
        assertEquals(40, live.after());
        assertTrue(live.due(ticker.getAsLong()));
    }

    @Test
    void afterAReadThatWasNotFullItWaitsForAWakeOrTheRecheckInterval() {
        live.advance(41);
        live.advance(42);
        live.checked(ticker.getAsLong(), false);
        assertEquals(42, live.after());
        assertFalse(live.due(ticker.getAsLong()));
        ticker.advance(Duration.ofMillis(100));
        assertFalse(live.due(ticker.getAsLong()));
        ticker.advance(Duration.ofMillis(1));
        assertTrue(live.due(ticker.getAsLong()), "looked at again after 100 ms even without a wake");
        live.checked(ticker.getAsLong(), false);
        live.wake();
        assertTrue(live.due(ticker.getAsLong()), "a commit wakes it at once");
    }

    @Test
    void aFullReadMeansMoreMayWaitAndARestartReadsFromTheBoundaryAgain() {
        live.advance(50);
        live.checked(ticker.getAsLong(), true);
        assertTrue(live.due(ticker.getAsLong()));
        live.restart();
        assertEquals(40, live.after());
        live.advance(30);
        assertEquals(40, live.after(), "never moves back");
    }
}
