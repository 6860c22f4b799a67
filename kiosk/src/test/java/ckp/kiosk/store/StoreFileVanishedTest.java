package ckp.kiosk.store;

import ckp.kiosk.message.MessageClass;
import static ckp.kiosk.store.StoreFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's file deleted or replaced under a running store: nothing committed is lost, seq goes on. */
class StoreFileVanishedTest {

    private static StoreConfig configIn(Path folder) {
        return new StoreConfig(folder.resolve("events.db"), Duration.ofHours(24), StoreConfig.DEFAULT_MAX_BYTES, 0);
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void theFolderDeletedUnderTheStoreFailsOneCommitThenEverythingUndeliveredGoesOnInANewFile(@TempDir Path dir)
            throws IOException {
        Path folder = dir.resolve("data");
        StoreConfig config = configIn(folder);
        List<Long> committed = new ArrayList<>();
        try (EventStore store = StoreFixtures.open(config)) {
            for (int i = 0; i < 3; i++) {
                committed.add(StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 100)).seq());
            }
            StoredMessage delivered = StoreFixtures.committed(StoreFixtures.append(store, MessageClass.TELEMETRY, T0, 10));
            store.markDelivered(java.util.List.of(delivered.position()), T0, T0);
            long lastPosition = store.lastPosition();

            deleteTree(folder);
            StoreException failed = assertThrows(StoreException.class,
                    () -> StoreFixtures.append(store, MessageClass.EVENT, T0, 100));
            assertTrue(failed.getMessage().contains(config.path().toString()), failed.getMessage());

            for (int i = 0; i < 3; i++) {
                StoredMessage m = StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 100));
                committed.add(m.seq());
                assertTrue(m.position() > lastPosition, "positions never go back: the publisher's cursor holds");
            }
            assertTrue(Files.exists(config.path()), "a new file is at store.path");
        }
        assertEquals(LongStream.rangeClosed(1, 6).boxed().toList(), committed, "seq goes on, no gap, no restart");
        try (EventStore reopened = StoreFixtures.open(config)) {
            assertEquals(committed, StoreFixtures.seqs(reopened, MessageClass.EVENT),
                    "every event committed before and after the deletion is in the file at store.path");
            assertEquals(6, StoreFixtures.undelivered(reopened).stream()
                    .filter(m -> m.messageClass() == MessageClass.EVENT).count());
            List<JsonNode> alarms = StoreFixtures.alarms(reopened, "store-file-vanished");
            assertEquals(1, alarms.size(), "one alarm for the vanished file");
            assertEquals(1, alarms.getFirst().path("detail").path("refusedEvents").asLong());
            assertEquals(7, StoreFixtures.committed(StoreFixtures.append(reopened, MessageClass.EVENT, T0, 1)).seq());
        }
    }

    @Test
    void theDatabaseFileAloneDeletedLeavesAWalAndShmThatAreMovedAsideNotMixedIntoTheNewFile(@TempDir Path dir)
            throws IOException, SQLException {
        StoreConfig config = configIn(dir);
        try (EventStore store = StoreFixtures.open(config)) {
            for (int i = 0; i < 5; i++) {
                StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 3000));
            }
            assertTrue(Files.exists(dir.resolve("events.db-wal")), "the store runs in WAL mode");
            Files.delete(config.path());
            assertThrows(StoreException.class, () -> StoreFixtures.append(store, MessageClass.EVENT, T0, 100));
            assertEquals(6, StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 100)).seq());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + config.path());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            assertEquals("ok", rs.getString(1));
        }
        try (EventStore reopened = StoreFixtures.open(config)) {
            assertEquals(LongStream.rangeClosed(1, 6).boxed().toList(), StoreFixtures.seqs(reopened, MessageClass.EVENT));
        }
    }

    @Test
    void theWriteAheadLogAloneDeletedIsNoticedBeforeItsCommitsAreLost(@TempDir Path dir) throws IOException {
        StoreConfig config = configIn(dir);
        try (EventStore store = StoreFixtures.open(config)) {
            for (int i = 0; i < 3; i++) {
                StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 100));
            }
            Files.delete(dir.resolve("events.db-wal"));
            assertThrows(StoreException.class, () -> StoreFixtures.append(store, MessageClass.EVENT, T0, 100));
            StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 100));
        }
        try (EventStore reopened = StoreFixtures.open(config)) {
            assertEquals(LongStream.rangeClosed(1, 4).boxed().toList(), StoreFixtures.seqs(reopened, MessageClass.EVENT));
        }
    }

    @Test
    void whileTheFolderCannotBeMadeAgainEveryEventIsRefusedAndTheStoreReopensOnceItCan(@TempDir Path dir)
            throws IOException {
        Path folder = dir.resolve("data");
        StoreConfig config = configIn(folder);
        try (EventStore store = StoreFixtures.open(config)) {
            StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 100));
            deleteTree(folder);
            Files.writeString(folder, "a file where the folder was");
            for (int i = 0; i < 3; i++) {
                assertThrows(StoreException.class, () -> StoreFixtures.append(store, MessageClass.EVENT, T0, 100));
            }
            assertFalse(Files.isDirectory(folder));
            Files.delete(folder);
            assertEquals(2, StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 100)).seq());
        }
        try (EventStore reopened = StoreFixtures.open(config)) {
            assertEquals(List.of(1L, 2L), StoreFixtures.seqs(reopened, MessageClass.EVENT));
            assertEquals(3, StoreFixtures.alarms(reopened, "store-file-vanished").getFirst()
                    .path("detail").path("refusedEvents").asLong());
        }
    }

    @Test
    void acknowledgementsAfterTheFolderWasDeletedAreWrittenToTheNewFile(@TempDir Path dir) throws IOException {
        Path folder = dir.resolve("data");
        StoreConfig config = configIn(folder);
        List<Long> positions = new ArrayList<>();
        try (EventStore store = StoreFixtures.open(config)) {
            for (int i = 0; i < 3; i++) {
                positions.add(StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 100)).position());
            }
            deleteTree(folder);
            store.markDelivered(positions.subList(0, 2), T0, T0);
        }
        try (EventStore reopened = StoreFixtures.open(config)) {
            assertEquals(List.of(positions.get(2)), StoreFixtures.undelivered(reopened).stream()
                    .filter(m -> m.messageClass() == MessageClass.EVENT).map(StoredMessage::position).toList(),
                    "the two acknowledged events are delivered in the file at store.path, the third is still to send");
            assertEquals(List.of(1L, 2L, 3L), StoreFixtures.seqs(reopened, MessageClass.EVENT));
        }
    }

    @Test
    void maintenanceNoticesADeletedFolderWithoutWaitingForTheNextEvent(@TempDir Path dir) throws IOException {
        Path folder = dir.resolve("data");
        StoreConfig config = configIn(folder);
        try (EventStore store = StoreFixtures.open(config)) {
            StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 100));
            // A row past its retention, so the purge, which runs first, has something to delete.
            StoredMessage old = StoreFixtures.committed(StoreFixtures.append(store, MessageClass.TELEMETRY,
                    T0.minus(Duration.ofHours(48)), 10));
            store.markDelivered(java.util.List.of(old.position()), T0.minus(Duration.ofHours(48)), T0.minus(Duration.ofHours(48)));
            deleteTree(folder);
            new StoreMaintenance(store, ckp.kiosk.clock.ClockStatus.system(true), Duration.ofMinutes(1)).runOnce(T0);
            assertTrue(Files.exists(config.path()), "maintenance reopened the file");
            assertEquals(2, StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 100)).seq(),
                    "no commit had to fail: the file was back before the next event");
        }
        try (EventStore reopened = StoreFixtures.open(config)) {
            assertEquals(List.of(1L, 2L), StoreFixtures.seqs(reopened, MessageClass.EVENT));
        }
    }
}
