package ckp.kiosk.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The backlog's pace, on a clock moved by hand. */
class TokenBucketTest {
    private final FakeTicker ticker = new FakeTicker();

    /** How many tokens can be taken now. */
    private static int drain(TokenBucket bucket) {
        int n = 0;
        while (bucket.hasToken()) {
            bucket.take();
            n++;
        }
        return n;
    }

    @Test
    void aNewBucketHoldsOneTokenSoTheFirstBacklogMessageGoesAtOnce() {
        TokenBucket bucket = new TokenBucket(ticker.getAsLong());
        bucket.refill(ticker.getAsLong(), 20, 10);
        assertEquals(1, drain(bucket));
        assertFalse(bucket.hasToken());
    }

    @Test
    void tokensComeAtTheRateAndTheNextOneIsDueAtTheRightTime() {
        TokenBucket bucket = new TokenBucket(ticker.getAsLong());
        bucket.refill(ticker.getAsLong(), 20, 100);
        drain(bucket);
        assertEquals(Duration.ofMillis(50).toNanos(), bucket.nanosUntilToken(20));
        ticker.advance(Duration.ofMillis(49));
        bucket.refill(ticker.getAsLong(), 20, 100);
        assertFalse(bucket.hasToken(), "49 ms at 20/s earn less than one token");
        ticker.advance(Duration.ofMillis(1));
        bucket.refill(ticker.getAsLong(), 20, 100);
        assertEquals(1, drain(bucket));
        ticker.advance(Duration.ofMillis(500));
        bucket.refill(ticker.getAsLong(), 20, 100);
        assertEquals(10, drain(bucket), "half a second at 20/s");
    }

    @Test
    void anIdleBucketFillsOnlyUpToTheWindowSoAnOutageNeverBecomesABurst() {
        TokenBucket bucket = new TokenBucket(ticker.getAsLong());
        ticker.advance(Duration.ofHours(1));
        bucket.refill(ticker.getAsLong(), 1000, 18);
        assertEquals(18, drain(bucket), "capped at the window");
        ticker.advance(Duration.ofHours(1));
        bucket.refill(ticker.getAsLong(), 5, 18);
        assertEquals(5, drain(bucket), "and at one second's worth when the rate is below the window");
        ticker.advance(Duration.ofHours(1));
        bucket.refill(ticker.getAsLong(), 0.1, 18);
        assertEquals(1, drain(bucket), "at least one token, however slow the rate");
    }

    @Test
    void aRateChangedAtRunTimeTakesEffectFromTheNextRefill() {
        TokenBucket bucket = new TokenBucket(ticker.getAsLong());
        bucket.refill(ticker.getAsLong(), 10, 100);
        drain(bucket);
        ticker.advance(Duration.ofSeconds(1));
        bucket.refill(ticker.getAsLong(), 50, 100);
        assertEquals(50, drain(bucket));
    }

    @Test
    void takingWithoutATokenIsABugAndARateOfZeroIsRefused() {
        TokenBucket bucket = new TokenBucket(ticker.getAsLong());
        bucket.take();
        assertThrows(IllegalStateException.class, bucket::take);
        assertThrows(IllegalArgumentException.class, () -> bucket.refill(ticker.getAsLong(), 0, 10));
        assertTrue(bucket.nanosUntilToken(10) > 0);
    }
}
