package ckp.kiosk.store;

import static ckp.kiosk.store.StoreFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.message.MessageClass;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreStatusTest {
    @Test
    void theStatusShowsTheQueueTheLastEventsAndAlarmsAndTheCountersOfAnOpenStore(@TempDir Path dir) {
        StoreConfig config = StoreFixtures.config(dir, Duration.ofHours(24), 1L << 30, 0);
        try (EventStore store = StoreFixtures.open(config)) {
            StoredMessage first = StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 10));
            StoreFixtures.append(store, MessageClass.EVENT, T0.plusSeconds(1), 10);
            StoreFixtures.append(store, MessageClass.ALARM, T0.plusSeconds(2), 10);
            store.markDelivered(List.of(first.position()), T0.plusSeconds(3), T0.plusSeconds(4));
            store.increment(StoreCounter.MQTT_BDSEQ);

            StoreStatus status = StoreStatus.read(config.path(), 5);
            assertEquals(2, status.queueDepth());
            assertEquals(Optional.of(T0.plusSeconds(1)), status.oldestUndelivered());
            assertEquals(Optional.of(T0.plusSeconds(4)), status.lastAcknowledged());
            assertEquals(List.of(2L, 1L), status.lastEvents().stream().map(StoreStatus.RecentEvent::seq).toList(),
                    "newest first");
            assertEquals(Optional.empty(), status.lastEvents().get(0).acknowledgedAt());
            assertEquals(Optional.of(T0.plusSeconds(4)), status.lastEvents().get(1).acknowledgedAt());
            assertEquals(List.of("t/alarm"), status.lastAlarms().stream().map(StoreStatus.RecentAlarm::topic).toList());
            assertEquals(1L, status.counters().get("mqtt.bdseq"));
            assertEquals(2L, status.counters().get("seq.event"));
            assertTrue(status.fileBytes() > 0);
        }
    }

    @Test
    void aFileThatIsNoStoreIsAStoreExceptionNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("none.db");
        StoreException e = assertThrows(StoreException.class, () -> StoreStatus.read(missing, 5));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }
}
