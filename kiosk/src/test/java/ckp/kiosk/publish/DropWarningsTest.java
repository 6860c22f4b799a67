package ckp.kiosk.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Drop warnings: the first at once, then one line per interval summing up the count per topic (virtual time). */
class DropWarningsTest {
    @Test
    void aFloodOfDropsIsOneLineAtOnceThenOneSummaryPerIntervalNamingTheTopics() {
        AtomicLong nanos = new AtomicLong(1_000);
        List<String> lines = new ArrayList<>();
        DropWarnings drops = new DropWarnings(Duration.ofSeconds(10), nanos::get, lines::add);

        for (int i = 0; i < 4_000; i++) {
            drops.dropped("ckp/v1/s/l/k/cmd/trust", "queue full");
            nanos.addAndGet(1_000_000); // 1 ms each: 4 s in all
        }
        drops.dropped("ckp/v1/s/l/k/cmd/ping", "queue full");
        drops.flushIfDue();
        assertEquals(1, lines.size(), "only the first drop is logged inside the interval: " + lines);
        assertTrue(lines.getFirst().contains("1 on ckp/v1/s/l/k/cmd/trust"), lines.getFirst());

        nanos.addAndGet(Duration.ofSeconds(7).toNanos());
        drops.flushIfDue();
        assertEquals(2, lines.size(), "the summary follows once the interval has passed");
        assertTrue(lines.get(1).contains("3999 on ckp/v1/s/l/k/cmd/trust, 1 on ckp/v1/s/l/k/cmd/ping"), lines.get(1));
        assertTrue(lines.get(1).contains("4001 in all"), lines.get(1));

        drops.flushIfDue();
        drops.flush();
        assertEquals(2, lines.size(), "nothing new, nothing logged");
        drops.dropped("ckp/v1/s/l/k/cmd/trust", "queue full");
        drops.flush();
        assertEquals(3, lines.size(), "a stop reports what is left, due or not");
        assertEquals(4_002, drops.total());
    }
}
