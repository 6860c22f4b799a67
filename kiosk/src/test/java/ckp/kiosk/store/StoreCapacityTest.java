package ckp.kiosk.store;

import ckp.kiosk.message.MessageClass;
import static ckp.kiosk.store.StoreFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreCapacityTest {
    private static final long CAP = 256 * 1024;

    @Test
    void telemetryIsEvictedOldestFirstAfterDeliveredTelemetryAndNoEventIsEverEvicted(@TempDir Path dir) {
        try (EventStore store = StoreFixtures.open(StoreFixtures.config(dir, Duration.ofHours(24), CAP, 0))) {
            int events = 0;
            int telemetry = 0;
            for (int i = 0; i < 100; i++) {
                StoredMessage t = StoreFixtures.committed(StoreFixtures.append(store, MessageClass.TELEMETRY, T0, 900));
                telemetry++;
                if (i < 50) {
                    store.markDelivered(java.util.List.of(t.position()), T0, T0);
                }
            }
            while (store.counter(StoreCounter.EVICTED).orElse(0) < 40) {
                StoreFixtures.append(store, MessageClass.TELEMETRY, T0, 900);
                telemetry++;
                if (telemetry % 5 == 0) {
                    StoreFixtures.append(store, MessageClass.EVENT, T0, 900);
                    events++;
                }
                assertTrue(telemetry < 5_000, "the cap never evicted undelivered telemetry");
            }
            assertEquals(LongStream.rangeClosed(1, events).boxed().toList(),
                    StoreFixtures.seqs(store, MessageClass.EVENT), "every event is kept");
            List<Long> kept = StoreFixtures.seqs(store, MessageClass.TELEMETRY);
            long evicted = store.counter(StoreCounter.EVICTED).getAsLong();
            long firstKept = kept.getFirst();
            assertEquals(LongStream.rangeClosed(firstKept, telemetry).boxed().toList(), kept,
                    "what is left of telemetry is its newest samples");
            assertEquals(50 + evicted + 1, firstKept,
                    "the 50 delivered samples went first, then the oldest undelivered ones");
            assertFalse(store.health(T0).overCap(), "telemetry alone made room");
            assertTrue(store.health(T0).usedBytes() <= CAP);
        }
    }

    @Test
    void eventsAloneOverTheCapRaiseOneAlarmAndAreAllStillRecorded(@TempDir Path dir) {
        StoreConfig config = StoreFixtures.config(dir, Duration.ZERO, 64 * 1024, 0);
        try (EventStore store = StoreFixtures.open(config)) {
            for (int i = 0; i < 150; i++) {
                StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 1000));
            }
            StoreFixtures.committed(StoreFixtures.append(store, MessageClass.TELEMETRY, T0, 500));
            assertEquals(LongStream.rangeClosed(1, 150).boxed().toList(), StoreFixtures.seqs(store, MessageClass.EVENT));
            StoreHealth health = store.health(T0);
            assertTrue(health.overCap());
            assertTrue(health.usedBytes() > 64 * 1024);
            List<JsonNode> raised = StoreFixtures.alarms(store, "store-over-cap");
            assertEquals(1, raised.size(), "raised once, not once per event");
            assertEquals("raised", raised.getFirst().path("state").asText());
            assertEquals(64 * 1024, raised.getFirst().path("detail").path("maxBytes").asLong());

            for (StoredMessage m : StoreFixtures.undelivered(store)) {
                store.markDelivered(java.util.List.of(m.position()), T0, T0);
            }
            new StoreMaintenance(store, ckp.kiosk.clock.ClockStatus.system(true), Duration.ofMinutes(1)).runOnce(T0);
            assertFalse(store.health(T0).overCap());
            List<JsonNode> after = StoreFixtures.alarms(store, "store-over-cap");
            assertEquals("cleared", after.getLast().path("state").asText());
        }
    }

    @Test
    void underTheDiskFloorEventsAreRefusedAndCountedAndTheCountSurvivesRestart(@TempDir Path dir) throws IOException {
        long free = Files.getFileStore(dir).getUsableSpace();
        // The floor is simulated by asking for more free disk than there is, not by filling the disk.
        StoreConfig floored = StoreFixtures.config(dir, Duration.ofHours(24), 1L << 30, free + (1L << 40));
        try (EventStore store = StoreFixtures.open(floored)) {
            AppendOutcome first = StoreFixtures.append(store, MessageClass.EVENT, T0, 100);
            AppendOutcome.Refused refused = assertInstanceOf(AppendOutcome.Refused.class, first);
            assertEquals(1, refused.droppedTotal());
            Outbox outbox = new Outbox(store, StoreFixtures.TOPICS, ckp.kiosk.clock.ClockStatus.fixed(
                    java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC), true), StoreFixtures.BOOT);
            StoreException thrown = assertThrows(StoreException.class, () -> outbox.record(new ckp.kiosk.message.Payload() {
                @Override
                public MessageClass messageClass() {
                    return MessageClass.EVENT;
                }

                @Override
                public java.util.Map<String, Object> fields(ckp.kiosk.message.Stamp stamp) {
                    return java.util.Map.of();
                }
            }));
            assertTrue(thrown.getMessage().contains("store.dropped"), thrown.getMessage());
            assertInstanceOf(AppendOutcome.Committed.class,
                    StoreFixtures.append(store, MessageClass.TELEMETRY, T0, 100), "telemetry still carries the news");
            assertEquals(List.of(), StoreFixtures.seqs(store, MessageClass.EVENT));
            StoreHealth health = store.health(T0);
            assertEquals(2, health.droppedCount());
            assertTrue(health.belowDiskFloor());
            List<JsonNode> alarm = StoreFixtures.alarms(store, "store-below-floor");
            assertEquals(1, alarm.size(), "raised once");
            assertEquals("raised", alarm.getFirst().path("state").asText());
        }
        try (EventStore store = StoreFixtures.open(StoreFixtures.config(dir, Duration.ofHours(24), 1L << 30, 0))) {
            StoredMessage event = StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 100));
            assertEquals(1, event.seq(), "a refused event takes no seq, so seqs stay gapless");
            assertEquals(2, store.health(T0).droppedCount(), "the drop count is persisted");
            assertFalse(store.health(T0).belowDiskFloor());
            assertEquals("cleared", StoreFixtures.alarms(store, "store-below-floor").getLast().path("state").asText());
        }
    }

    @Test
    void aDiskThatFillsBeforeTheFloorRefusesTheEventCountsItAndKeepsEverythingCommittedBefore(@TempDir Path dir) {
        try (EventStore store = StoreFixtures.open(StoreFixtures.config(dir, Duration.ofHours(24), 1L << 30, 0))) {
            StoreFixtures.limitPages(store, 40);
            int committed = 0;
            AppendOutcome outcome;
            while ((outcome = StoreFixtures.append(store, MessageClass.EVENT, T0, 1500))
                    instanceof AppendOutcome.Committed) {
                committed++;
                assertTrue(committed < 1000, "the page limit never filled the store");
            }
            AppendOutcome.Refused refused = assertInstanceOf(AppendOutcome.Refused.class, outcome);
            assertEquals(1, refused.droppedTotal());
            assertEquals(LongStream.rangeClosed(1, committed).boxed().toList(),
                    StoreFixtures.seqs(store, MessageClass.EVENT), "the refused event rolled back whole, seq included");
            assertEquals(1, store.health(T0).droppedCount());
            StoreFixtures.limitPages(store, 1_000_000);
            assertEquals(committed + 1L,
                    StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 10)).seq());
        }
    }
}
