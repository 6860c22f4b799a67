package ckp.kiosk.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Exponential backoff with full jitter, with the jitter chosen by the test. */
class BackoffTest {
    private static final Duration CAP = Duration.ofSeconds(120);

    @Test
    void theCeilingDoublesFromOneSecondUpToTheCap() {
        assertEquals(Duration.ofSeconds(1), Backoff.ceiling(1, CAP));
        assertEquals(Duration.ofSeconds(2), Backoff.ceiling(2, CAP));
        assertEquals(Duration.ofSeconds(64), Backoff.ceiling(7, CAP));
        assertEquals(CAP, Backoff.ceiling(8, CAP));
        assertEquals(CAP, Backoff.ceiling(10_000, CAP));
    }

    @Test
    void theWaitIsWhatTheJitterPicksBetweenZeroAndTheCeiling() {
        assertEquals(Duration.ofSeconds(4), new Backoff(CAP, c -> c).wait(3));
        assertEquals(Duration.ZERO, new Backoff(CAP, c -> 0).wait(3));
        assertEquals(Duration.ofSeconds(4), new Backoff(CAP, c -> c * 10).wait(3), "a jitter above is clamped");
        assertEquals(Duration.ZERO, new Backoff(CAP, c -> -5).wait(3), "a jitter below is clamped");
    }

    @Test
    void fullJitterSpreadsWaitsOverTheWholeRange() {
        Random seeded = new Random(13);
        Backoff backoff = new Backoff(Duration.ofSeconds(8), c -> seeded.nextLong(c + 1));
        Set<Long> seconds = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Duration d = backoff.wait(10);
            assertTrue(!d.isNegative() && d.compareTo(Duration.ofSeconds(8)) <= 0, d.toString());
            seconds.add(d.toSeconds());
        }
        assertTrue(seconds.containsAll(Set.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L)), "every second of the range: " + seconds);
    }

    @Test
    void aCapOfZeroIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, c -> c));
    }
}
