package ckp.kiosk.store;

import ckp.kiosk.message.MessageClass;
import ckp.kiosk.fixtures.MessageSchema;

import static ckp.kiosk.store.StoreFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreQuarantineTest {
    private static final int PAGE = 4096;

    @Test
    void aStoreWithGarbageOverItsPagesIsMovedAsideAndTheNewStoreCarriesADataLossAlarm(@TempDir Path dir)
            throws IOException {
        StoreConfig config = StoreFixtures.config(dir, Duration.ofHours(24), 1L << 30, 0);
        filledStore(config);
        Path db = config.path();
        long pages = Files.size(db) / PAGE;
        assertTrue(pages > 20, "the store spans enough pages to corrupt some");
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            Random random = new Random(7);
            byte[] garbage = new byte[PAGE];
            for (long page = 2; page < pages; page += 3) {
                random.nextBytes(garbage);
                f.seek(page * PAGE);
                f.write(garbage);
            }
        }
        byte[] corrupt = Files.readAllBytes(db);

        try (EventStore store = StoreFixtures.open(config)) {
            Path aside = quarantined(dir);
            assertTrue(aside.getFileName().toString().startsWith("events.db.corrupt-20261129T070000Z"), aside.toString());
            assertArrayEquals(corrupt, Files.readAllBytes(aside), "the corrupt file is kept byte for byte");
            List<JsonNode> alarm = StoreFixtures.alarms(store, "store-quarantined");
            assertEquals(1, alarm.size());
            assertEquals("raised", alarm.getFirst().path("state").asText());
            assertTrue(alarm.getFirst().path("message").asText().contains(aside.getFileName().toString()));
            MessageSchema.ALARM.assertValid(alarm.getFirst().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(1, store.undeliveredCount(), "the alarm waits to be published");
            assertTrue(store.health(T0).quarantined());
            StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 10));
        }
        try (EventStore store = StoreFixtures.open(config)) {
            assertEquals(1, StoreFixtures.alarms(store, "store-quarantined").size(), "the new store is healthy");
            assertEquals(1, store.health(T0).quarantinedFiles());
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsMovedAsideAndTheSequencesRestart(@TempDir Path dir) throws IOException {
        StoreConfig config = StoreFixtures.config(dir, Duration.ofHours(24), 1L << 30, 0);
        byte[] text = "this is not an SQLite file, but a text a technician copied over it".repeat(100).getBytes();
        Files.write(config.path(), text);
        try (EventStore store = StoreFixtures.open(config)) {
            assertArrayEquals(text, Files.readAllBytes(quarantined(dir)));
            assertEquals(1, StoreFixtures.alarms(store, "store-quarantined").size());
            assertEquals(1, StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 10)).seq());
        }
    }

    @Test
    void movingAsideTakesTheWalAndShmUnderTheSameNameAndNeverOverwritesAnEarlierQuarantine(@TempDir Path dir)
            throws IOException {
        Path db = dir.resolve("events.db");
        for (int round = 1; round <= 2; round++) {
            Files.writeString(db, "db " + round);
            Files.writeString(dir.resolve("events.db-wal"), "wal " + round);
            Files.writeString(dir.resolve("events.db-shm"), "shm " + round);
            Path aside = Quarantine.moveAside(db, T0);
            assertEquals(round == 1 ? "events.db.corrupt-20261129T070000Z" : "events.db.corrupt-20261129T070000Z-2",
                    aside.getFileName().toString());
            assertEquals("db " + round, Files.readString(aside));
            assertEquals("wal " + round, Files.readString(aside.resolveSibling(aside.getFileName() + "-wal")));
            assertEquals("shm " + round, Files.readString(aside.resolveSibling(aside.getFileName() + "-shm")));
            assertFalse(Files.exists(db) || Files.exists(dir.resolve("events.db-wal")));
        }
    }

    @Test
    void aStoreThatCannotBeOpenedForAnotherReasonIsNotMovedAside(@TempDir Path dir) throws IOException {
        Path folderInTheWay = dir.resolve("events.db");
        Files.createDirectories(folderInTheWay);
        StoreConfig config = StoreFixtures.config(dir, Duration.ofHours(24), 1L << 30, 0);
        StoreException e = assertThrows(StoreException.class, () -> StoreFixtures.open(config));
        assertTrue(e.getMessage().contains(folderInTheWay.toString()), e.getMessage());
        assertTrue(Files.isDirectory(folderInTheWay));
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().contains("corrupt")));
        }
    }

    private static void filledStore(StoreConfig config) {
        try (EventStore store = StoreFixtures.open(config)) {
            for (int i = 0; i < 60; i++) {
                StoreFixtures.append(store, MessageClass.EVENT, T0, 1500);
            }
        }
    }

    private static Path quarantined(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> aside = files.filter(p -> p.getFileName().toString().matches("events\\.db\\.corrupt-[0-9TZ]+"))
                    .toList();
            assertEquals(1, aside.size(), "one quarantined file: " + aside);
            return aside.getFirst();
        }
    }
}
