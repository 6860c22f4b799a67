package ckp.kiosk.store;

import ckp.kiosk.message.MessageClass;
import static ckp.kiosk.store.StoreFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventStoreTest {
    private static final long BIG = 1L << 30;

    @Test
    void seqIsGaplessPerClassAcrossCloseAndReopen(@TempDir Path dir) {
        StoreConfig config = StoreFixtures.config(dir, Duration.ofHours(24), BIG, 0);
        try (EventStore store = StoreFixtures.open(config)) {
            for (int i = 0; i < 3; i++) {
                StoreFixtures.append(store, MessageClass.EVENT, T0, 10);
            }
            StoreFixtures.append(store, MessageClass.TELEMETRY, T0, 10);
        }
        try (EventStore store = StoreFixtures.open(config)) {
            for (int i = 0; i < 4; i++) {
                StoreFixtures.append(store, MessageClass.EVENT, T0, 10);
            }
            StoreFixtures.append(store, MessageClass.TELEMETRY, T0, 10);
            assertEquals(LongStream.rangeClosed(1, 7).boxed().toList(), StoreFixtures.seqs(store, MessageClass.EVENT));
            assertEquals(List.of(1L, 2L), StoreFixtures.seqs(store, MessageClass.TELEMETRY));
        }
    }

    @Test
    void eachRowKeepsItsIdentityTimesAndDeliveryState(@TempDir Path dir) {
        try (EventStore store = StoreFixtures.open(StoreFixtures.config(dir, Duration.ofHours(24), BIG, 0))) {
            StoredMessage m = StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 10));
            assertEquals(7, m.id().version(), "ids are UUIDv7");
            assertEquals(T0.toEpochMilli(), m.id().getMostSignificantBits() >>> 16, "the id carries the creation ms");
            store.markPublished(List.of(m.position()), T0.plusSeconds(1));
            store.markPublished(List.of(m.position()), T0.plusSeconds(2));
            assertEquals(2, StoreFixtures.undelivered(store).getFirst().attempts());
            assertEquals(Duration.ofSeconds(5), store.health(T0.plusSeconds(5)).oldestUndeliveredAge());
            store.markDelivered(List.of(m.position()), T0.plusSeconds(3), T0.plusSeconds(3));
            assertEquals(0, store.undeliveredCount());
            assertEquals(1, store.stored(MessageClass.EVENT, 0, 10).size(), "delivered rows stay for the retention");
        }
    }

    @Test
    void deliveredRowsArePurgedInBatchesOnlyAfterTheRetentionWindow(@TempDir Path dir) {
        int delivered = StoreLimits.PURGE_BATCH * 2 + 7;
        try (EventStore store = StoreFixtures.open(StoreFixtures.config(dir, Duration.ofHours(1), BIG, 0))) {
            List<Long> positions = new java.util.ArrayList<>();
            for (int i = 0; i < delivered + 3; i++) {
                positions.add(StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 50)).position());
            }
            store.markDelivered(positions.subList(0, delivered), T0, T0);
            assertEquals(0, store.purgeDelivered(T0.plus(Duration.ofMinutes(59))));
            assertEquals(delivered, store.purgeDelivered(T0.plus(Duration.ofMinutes(60))));
            List<Long> left = StoreFixtures.seqs(store, MessageClass.EVENT);
            assertEquals(List.of(delivered + 1L, delivered + 2L, delivered + 3L), left,
                    "undelivered rows are never purged");
            assertEquals(0, store.purgeDelivered(T0.plus(Duration.ofDays(30))));
        }
    }

    @Test
    void maintenancePurgesDeliveredRowsAndKeepsTheUndelivered(@TempDir Path dir) {
        try (EventStore store = StoreFixtures.open(StoreFixtures.config(dir, Duration.ZERO, BIG, 0))) {
            StoredMessage a = StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 10));
            StoreFixtures.append(store, MessageClass.EVENT, T0, 10);
            store.markDelivered(List.of(a.position()), T0, T0);
            StoreMaintenance maintenance = new StoreMaintenance(store,
                    ckp.kiosk.clock.ClockStatus.system(true), Duration.ofMinutes(1));
            assertEquals(1, maintenance.runOnce(T0));
            assertEquals(List.of(2L), StoreFixtures.seqs(store, MessageClass.EVENT));
            assertEquals(1, store.health(T0).queueDepth());
        }
    }

    @Test
    void acknowledgementsMarkedTogetherDeliverExactlyThoseRows(@TempDir Path dir) {
        try (EventStore store = StoreFixtures.open(StoreFixtures.config(dir, Duration.ofHours(24), BIG, 0))) {
            List<Long> positions = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                positions.add(StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 10)).position());
            }
            store.markPublished(positions.subList(0, 3), T0);
            store.markDelivered(positions.subList(1, 3), T0, T0);
            List<StoredMessage> left = StoreFixtures.undelivered(store);
            assertEquals(List.of(1L, 4L, 5L), left.stream().map(StoredMessage::seq).toList());
            assertEquals(List.of(1, 0, 0), left.stream().map(StoredMessage::attempts).toList());
        }
    }

    @Test
    void deliveriesOutOfOrderAndWithGapsMarkExactlyTheAcknowledgedRows(@TempDir Path dir) {
        try (EventStore store = StoreFixtures.open(StoreFixtures.config(dir, Duration.ofHours(24), BIG, 0))) {
            List<Long> positions = new java.util.ArrayList<>();
            for (int i = 0; i < 9; i++) {
                positions.add(StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 10)).position());
            }
            // seq 2, 4, 5, 6 and 9, in the order PUBACKs might come, one of them twice.
            store.markDelivered(List.of(positions.get(5), positions.get(1), positions.get(3), positions.get(8),
                    positions.get(4), positions.get(3)), T0, T0.plusSeconds(1));
            List<StoredMessage> left = StoreFixtures.undelivered(store);
            assertEquals(List.of(1L, 3L, 7L, 8L), left.stream().map(StoredMessage::seq).toList());
            assertEquals(List.of(0, 0, 0, 0), left.stream().map(StoredMessage::attempts).toList());
            store.markDelivered(List.of(positions.get(3)), T0, T0.plusSeconds(2));
            assertEquals(4, store.undeliveredCount(), "a delivered row is not delivered twice");
        }
    }

    @Test
    void positionsCollapseIntoRunsOfConsecutiveNumbers() {
        assertEquals(List.of(List.of(1L, 3L), List.of(5L, 5L), List.of(7L, 8L)), DeliveryLedger.runs(List.of(8L, 2L, 1L,
                5L, 3L, 7L, 2L)).stream().map(r -> List.of(r[0], r[1])).toList());
        assertEquals(List.of(), DeliveryLedger.runs(List.of()));
    }
}
