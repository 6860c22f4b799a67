package ckp.kiosk.store;

import ckp.kiosk.message.MessageClass;
import static ckp.kiosk.store.StoreFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's layout across versions: a file from an older kiosk is upgraded in place, one from a newer is refused. */
class StoreSchemaTest {
    private static final long BIG = 1L << 30;

    /** Writes a store the way version 0 (one outbox table carrying the delivery columns) left it. */
    private static void writeVersionZero(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("""
                    CREATE TABLE outbox (
                      position INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, class TEXT NOT NULL,
                      seq INTEGER NOT NULL, topic TEXT NOT NULL, payload BLOB NOT NULL, retain INTEGER NOT NULL DEFAULT 0,
                      created_ms INTEGER NOT NULL, monotonic_ns INTEGER NOT NULL, boot_id TEXT NOT NULL,
                      clock_synced INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, published_ms INTEGER,
                      acked_ms INTEGER, UNIQUE (class, seq))""");
            s.execute("CREATE INDEX outbox_pending ON outbox(position) WHERE acked_ms IS NULL");
            s.execute("CREATE INDEX outbox_delivered ON outbox(position) WHERE acked_ms IS NOT NULL");
            s.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
            long ms = T0.toEpochMilli();
            for (int seq = 1; seq <= 3; seq++) {
                boolean delivered = seq == 2;
                s.execute("INSERT INTO outbox (id, class, seq, topic, payload, created_ms, monotonic_ns, boot_id,"
                        + " clock_synced, attempts, published_ms, acked_ms) VALUES ('" + Uuid7.at(ms) + "', 'event', "
                        + seq + ", 'ckp/v1/s/l/k/event', x'7b7d', " + ms + ", 0, 'b', 1, " + (seq == 1 ? 2 : seq == 2 ? 1 : 0)
                        + ", " + (seq == 3 ? "NULL" : ms + 1) + ", " + (delivered ? ms + 2 : "NULL") + ")");
            }
            s.execute("INSERT INTO meta VALUES ('seq.event', 3)");
        }
    }

    @Test
    void aStoreWrittenByVersionZeroIsUpgradedKeepingEveryMessageAndItsDeliveryState(@TempDir Path dir)
            throws SQLException {
        StoreConfig config = StoreFixtures.config(dir, Duration.ofHours(24), BIG, 0);
        writeVersionZero(config.path());
        try (EventStore store = StoreFixtures.open(config)) {
            List<StoredMessage> left = StoreFixtures.undelivered(store);
            assertEquals(List.of(1L, 3L), left.stream().map(StoredMessage::seq).toList(), "seq 2 was delivered");
            assertEquals(List.of(2, 0), left.stream().map(StoredMessage::attempts).toList());
            assertEquals(List.of(1L, 2L, 3L), StoreFixtures.seqs(store, MessageClass.EVENT));
            StoreFixtures.append(store, MessageClass.EVENT, T0, 10);
            assertEquals(List.of(1L, 2L, 3L, 4L), StoreFixtures.seqs(store, MessageClass.EVENT), "seq goes on");
            assertEquals(3, store.undeliveredCount());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + config.path());
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                assertEquals(StoreSchema.SCHEMA_VERSION, rs.getInt(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT name FROM pragma_table_info('outbox') WHERE name = 'acked_ms'")) {
                assertFalse(rs.next(), "the delivery columns left the outbox");
            }
            try (ResultSet rs = s.executeQuery("SELECT acked_ms - published_ms FROM messages WHERE seq = 2")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getLong(1), "the acknowledgement time came along");
            }
        }
    }

    @Test
    void aStoreFromANewerKioskIsRefusedNamingItsSchemaVersion(@TempDir Path dir) throws SQLException {
        StoreConfig config = StoreFixtures.config(dir, Duration.ofHours(24), BIG, 0);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + config.path());
             Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version=" + (StoreSchema.SCHEMA_VERSION + 1));
        }
        StoreException e = assertThrows(StoreException.class, () -> StoreFixtures.open(config));
        assertTrue(e.getMessage().contains("schema " + (StoreSchema.SCHEMA_VERSION + 1)), e.getMessage());
    }

    @Test
    void deletingAMessageDeletesItsDeliveryRow(@TempDir Path dir) throws SQLException {
        StoreConfig config = StoreFixtures.config(dir, Duration.ZERO, BIG, 0);
        try (EventStore store = StoreFixtures.open(config)) {
            StoredMessage m = StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 10));
            StoreFixtures.append(store, MessageClass.EVENT, T0, 10);
            store.markDelivered(java.util.List.of(m.position()), T0, T0);
            assertEquals(1, store.purgeDelivered(T0.plusSeconds(1)));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + config.path());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM delivery), (SELECT count(*) FROM outbox)")) {
            assertEquals(1, rs.getLong(1));
            assertEquals(1, rs.getLong(2));
        }
    }
}
