package ckp.drivers.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {
    @Test
    void theBackoffDoublesPerFailureInARowUpToTheMaximum() {
        RestartPolicy p = new RestartPolicy(Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(10));
        assertEquals(Duration.ofMillis(500), p.backoffAfter(1));
        assertEquals(Duration.ofMillis(1000), p.backoffAfter(2));
        assertEquals(Duration.ofMillis(2000), p.backoffAfter(3));
        assertEquals(Duration.ofSeconds(3), p.backoffAfter(4));
        assertEquals(Duration.ofSeconds(3), p.backoffAfter(1_000_000));
    }

    @Test
    void aMaximumShorterThanTheFirstWaitIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new RestartPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(10)));
    }
}
