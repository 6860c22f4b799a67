package ckp.kiosk.scan;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RepeatFilterTest {
    private static final long S = 1_000_000_000L;

    @Test
    void theSameCodeWithinTheWindowIsTheSameSighting() {
        RepeatFilter f = new RepeatFilter(Duration.ofSeconds(5));
        assertTrue(f.isNew("A", 0));
        assertFalse(f.isNew("A", 1 * S));
        assertFalse(f.isNew("A", 5 * S), "seen 4 s ago, still the same sighting");
    }

    @Test
    void aCodeSeenContinuouslyStaysOneSightingEvenPastTheWindow() {
        RepeatFilter f = new RepeatFilter(Duration.ofSeconds(5));
        assertTrue(f.isNew("A", 0));
        for (long t = 1; t <= 30; t++) {
            assertFalse(f.isNew("A", t * S), "held up for " + t + " s");
        }
    }

    @Test
    void theSameCodeAfterTheWindowIsANewSighting() {
        RepeatFilter f = new RepeatFilter(Duration.ofSeconds(5));
        assertTrue(f.isNew("A", 0));
        assertTrue(f.isNew("A", 6 * S), "the driver came back 6 s later");
    }

    @Test
    void anotherCodeIsANewSightingAtOnce() {
        RepeatFilter f = new RepeatFilter(Duration.ofSeconds(5));
        assertTrue(f.isNew("A", 0));
        assertTrue(f.isNew("B", 0));
    }
}
