package ckp.kiosk.store;

import ckp.kiosk.message.MessageClass;
import ckp.kiosk.message.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Helpers shared by the store tests: stores with chosen limits and messages of a chosen size. */
final class StoreFixtures {
    static final Instant T0 = Instant.parse("2026-11-29T07:00:00Z");
    static final String BOOT = "test-boot";
    /** The kiosk the stores under test file their own alarms for. */
    static final Topics TOPICS = new Topics("ckp/v1", "local", "lane", "kiosk");
    private static final ObjectMapper JSON = new ObjectMapper();

    private StoreFixtures() {
    }

    static StoreConfig config(Path dir, Duration retention, long maxBytes, long minFreeBytes) {
        return new StoreConfig(dir.resolve("events.db"), retention, maxBytes, minFreeBytes);
    }

    static EventStore open(StoreConfig config) {
        return EventStore.open(config, StoreFixtures.TOPICS, BOOT, ckp.kiosk.clock.ClockStatus.fixed(
                java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC), true));
    }

    /** Appends one message whose payload is about {@code bytes} long and names its seq. */
    static AppendOutcome append(EventStore store, MessageClass cls, Instant at, int bytes) {
        return store.tryAppend(cls, "t/" + cls.wire(), false, at, true, BOOT,
                stamp -> ("{\"seq\":" + stamp.seq() + ",\"pad\":\"" + "x".repeat(bytes) + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    static StoredMessage committed(AppendOutcome outcome) {
        if (outcome instanceof AppendOutcome.Committed c) {
            return c.message();
        }
        throw new AssertionError("expected a committed message, got " + outcome);
    }

    static List<Long> seqs(EventStore store, MessageClass cls) {
        return store.stored(cls, 0, Integer.MAX_VALUE).stream().map(StoredMessage::seq).toList();
    }

    static List<JsonNode> alarms(EventStore store, String alarm) {
        return store.stored(MessageClass.ALARM, 0, Integer.MAX_VALUE).stream().map(m -> {
            try {
                return JSON.readTree(m.payload());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).filter(j -> j.path("alarm").asText().equals(alarm)).toList();
    }

    /** Every undelivered message in commit order, with its attempts: the ledger's pending rows, read in full. */
    static List<StoredMessage> undelivered(EventStore store) {
        java.util.Set<Long> pending = store.pending(0, Integer.MAX_VALUE, java.util.Set.of()).stream()
                .map(PendingMessage::position).collect(java.util.stream.Collectors.toSet());
        List<StoredMessage> all = new java.util.ArrayList<>();
        for (MessageClass cls : MessageClass.values()) {
            all.addAll(store.stored(cls, 0, Integer.MAX_VALUE));
        }
        return all.stream().filter(m -> pending.contains(m.position()))
                .sorted(java.util.Comparator.comparingLong(StoredMessage::position)).toList();
    }

    /**
     * Makes SQLite answer SQLITE_FULL beyond {@code pages} pages on the store's writer: a full disk, without filling
     * one. Reaches the writer by reflection, so production code carries no hook for it.
     */
    static void limitPages(EventStore store, long pages) {
        try {
            java.lang.reflect.Field field = EventStore.class.getDeclaredField("file");
            field.setAccessible(true);
            StoreFile file = (StoreFile) field.get(store);
            synchronized (store) {
                try (java.sql.Statement s = file.db().createStatement()) {
                    s.execute("PRAGMA max_page_count=" + pages);
                }
            }
        } catch (ReflectiveOperationException | java.sql.SQLException e) {
            throw new AssertionError("cannot limit the store to " + pages + " pages: " + e, e);
        }
    }
}
