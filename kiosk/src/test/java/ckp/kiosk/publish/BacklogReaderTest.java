package ckp.kiosk.publish;

import ckp.kiosk.fixtures.Stores;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.store.EventStore;
import ckp.kiosk.message.MessageClass;
import ckp.kiosk.store.PendingMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backlog reader on a real store file: what it hands out, in which order, and what a restart drops. */
class BacklogReaderTest {
    private static final String EVENTS = "ckp/v1/s/l/k/event";
    private static final String ALARMS = "ckp/v1/s/l/k/alarm";

    private static void append(EventStore store, MessageClass cls, String topic, int count) {
        for (int i = 0; i < count; i++) {
            Stores.append(store, cls, topic, false, Fixtures.CLOCK.now(), true, "boot",
                    stamp -> ("{\"seq\":" + stamp.seq() + "}").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Takes everything the reader hands out until it is finished (waiting for its signals in between). */
    private static List<PendingMessage> drain(BacklogReader reader, Semaphore rows) throws InterruptedException {
        List<PendingMessage> out = new ArrayList<>();
        while (!reader.finished()) {
            PendingMessage m = reader.poll();
            if (m == null) {
                assertTrue(rows.tryAcquire(10, TimeUnit.SECONDS), "the reader signals when it has rows");
            } else {
                out.add(m);
            }
        }
        return out;
    }

    @Test
    void everyBacklogRowComesOutOnceInCommitOrderAndNothingCommittedAfterTheBoundary(@TempDir Path dir)
            throws InterruptedException {
        try (EventStore store = EventStore.open(dir.resolve("events.db"))) {
            append(store, MessageClass.EVENT, EVENTS, 50);
            long boundary = store.lastPosition();
            append(store, MessageClass.EVENT, EVENTS, 5); // live: committed after the connection came up
            Semaphore rows = new Semaphore(0);
            try (BacklogReader reader = new BacklogReader(store, boundary, 8, Set.of(), rows::release)) {
                List<PendingMessage> out = drain(reader, rows);
                assertEquals(50, out.size());
                for (int i = 0; i < out.size(); i++) {
                    assertEquals(i + 1, out.get(i).seq(), "in commit order");
                }
                assertTrue(out.getLast().position() <= boundary);
            }
        }
    }

    @Test
    void aRestartReadsFromTheStartAgainSkippingTheTopicsStillRefused(@TempDir Path dir) throws InterruptedException {
        try (EventStore store = EventStore.open(dir.resolve("events.db"))) {
            append(store, MessageClass.EVENT, EVENTS, 10);
            append(store, MessageClass.ALARM, ALARMS, 3);
            long boundary = store.lastPosition();
            Semaphore rows = new Semaphore(0);
            try (BacklogReader reader = new BacklogReader(store, boundary, 4, Set.of(EVENTS), rows::release)) {
                List<PendingMessage> first = drain(reader, rows);
                assertEquals(List.of(ALARMS), first.stream().map(PendingMessage::topic).distinct().toList());
                reader.restart(Set.of());
                List<PendingMessage> again = drain(reader, rows);
                assertEquals(13, again.size(), "after the restart the events come too");
                assertEquals(EVENTS, again.getFirst().topic());
            }
        }
    }

    @Test
    void aTopicExcludedOnTheWayIsSkippedByLaterReads(@TempDir Path dir) throws InterruptedException {
        try (EventStore store = EventStore.open(dir.resolve("events.db"))) {
            append(store, MessageClass.EVENT, EVENTS, 40);
            append(store, MessageClass.ALARM, ALARMS, 2);
            Semaphore rows = new Semaphore(0);
            try (BacklogReader reader = new BacklogReader(store, store.lastPosition(), 4, Set.of(), rows::release)) {
                reader.exclude(Set.of(EVENTS));
                List<PendingMessage> out = drain(reader, rows);
                // At most a buffer's worth read before the exclusion still comes out; the publisher skips those.
                assertTrue(out.stream().filter(m -> m.topic().equals(EVENTS)).count() <= 4, out.size() + " rows");
                assertEquals(2, out.stream().filter(m -> m.topic().equals(ALARMS)).count());
            }
        }
    }

    @Test
    void anEmptyBacklogIsFinishedAtOnce(@TempDir Path dir) {
        try (EventStore store = EventStore.open(dir.resolve("events.db"));
             BacklogReader reader = new BacklogReader(store, 0, 8, Set.of(), () -> { })) {
            assertTrue(reader.finished());
            assertNull(reader.poll());
        }
    }

    @Test
    void deliveredRowsAreNotHandedOut(@TempDir Path dir) throws InterruptedException {
        try (EventStore store = EventStore.open(dir.resolve("events.db"))) {
            append(store, MessageClass.EVENT, EVENTS, 6);
            store.markDelivered(List.of(1L, 2L, 5L), Fixtures.CLOCK.now(), Fixtures.CLOCK.now());
            Semaphore rows = new Semaphore(0);
            try (BacklogReader reader = new BacklogReader(store, store.lastPosition(), 8, Set.of(), rows::release)) {
                assertEquals(List.of(3L, 4L, 6L), drain(reader, rows).stream().map(PendingMessage::seq).toList());
                assertNull(reader.poll());
            }
        }
    }

    @Test
    void aReadAheadOfFewerThanTwoRowsIsRefused(@TempDir Path dir) {
        try (EventStore store = EventStore.open(dir.resolve("events.db"))) {
            assertThrows(IllegalArgumentException.class, () -> new BacklogReader(store, 1, 1, Set.of(), () -> { }));
        }
    }
}
