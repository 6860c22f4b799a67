package ckp.kiosk.publish;

import ckp.kiosk.message.TopicFilter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.store.EventStore;
import ckp.kiosk.store.Outbox;
import ckp.kiosk.message.Alarm;
import ckp.kiosk.message.AlarmCode;
import ckp.kiosk.message.MessageClass;
import ckp.kiosk.store.StoredMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session's small parts, without a broker: topic filters, and payloads that match their schemas. */
class SessionPartsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void topicFiltersMatchLikeABroker() {
        TopicFilter cmd = new TopicFilter("ckp/v1/s/l/k/cmd/+");
        assertTrue(cmd.matches("ckp/v1/s/l/k/cmd/ping"));
        assertFalse(cmd.matches("ckp/v1/s/l/k/cmd/ping/x"));
        assertFalse(cmd.matches("ckp/v1/s/l/k/cmd"));
        assertTrue(new TopicFilter("ckp/#").matches("ckp/v1/x"));
        assertThrows(IllegalArgumentException.class, () -> new TopicFilter("ckp/a#"));
        assertThrows(IllegalArgumentException.class, () -> new TopicFilter("ckp/#/x"));
        assertTrue(new TopicFilter("ckp/#").matches("ckp"), "# matches the parent level");
        assertTrue(new TopicFilter("a/+/c").matches("a//c"), "+ matches an empty level");
        assertFalse(new TopicFilter("a/b").matches("a/bc"));
        assertFalse(new TopicFilter("a/bc").matches("a/b"));
        assertFalse(new TopicFilter("a/b").matches("a"));
        assertTrue(new TopicFilter("a/+").matches("a/"));
    }

    @Test
    void telemetryCarriesExactlyTheSchemaFields() throws Exception {
        try (EventStore store = EventStore.open(dir.resolve("events.db"))) {
            Fixtures.appendEvent(store);
            Publisher publisher = Fixtures.publisher(store, Fixtures.config(List.of("tcp://127.0.0.1:1"), 1, 50));
            Telemetry telemetry = new Telemetry(store, publisher, () -> new TelemetrySource.StageFigures(
                    TelemetrySource.Health.OK, TelemetrySource.Health.DEGRADED, OptionalDouble.of(9.5), 3, 0,
                    List.of("sensor-fault")), Fixtures.CLOCK, "boot-1", Duration.ofSeconds(60));
            StoredMessage m = telemetry.sampleNow();
            assertEquals(MessageClass.TELEMETRY, m.messageClass());
            assertEquals(Fixtures.TOPICS.telemetry(), m.topic());
            JsonNode t = JSON.readTree(m.payload());
            assertEquals(1, t.path("queueDepth").asLong(), "the event committed before is undelivered");
            assertEquals("degraded", t.path("camera").asText());
            assertEquals(9.5, t.path("decodeFramesPerSecond").asDouble());
            assertEquals("sensor-fault", t.path("alarms").get(0).asText());
            assertTrue(t.path("diskFreeBytes").asLong() > 0);
            assertSchemaFields("telemetry.schema.json", t);
            assertEquals(Duration.ofMinutes(10), Publisher.telemetryExpiry(telemetry.interval()));
        }
    }

    @Test
    void alarmsCarryExactlyTheSchemaFields() throws Exception {
        try (EventStore store = EventStore.open(dir.resolve("events.db"))) {
            Alarm alarm = Alarm.raised(AlarmCode.PUBLISH_REJECTED, "refused", Map.of("topic", "t", "reasonCode", 0x87));
            StoredMessage m = new Outbox(store, Fixtures.TOPICS, Fixtures.CLOCK, "boot-1").record(alarm);
            assertSchemaFields("alarm.schema.json", JSON.readTree(m.payload()));
        }
    }

    /** The payload has every required field of the schema and no field the schema does not list. */
    private static void assertSchemaFields(String schema, JsonNode payload) throws Exception {
        JsonNode s = JSON.readTree(Path.of(System.getProperty("ckp.root", "..")).resolve("docs/schema/" + schema).toFile());
        Set<String> listed = new HashSet<>();
        s.path("properties").fieldNames().forEachRemaining(listed::add);
        Set<String> present = new HashSet<>();
        payload.fieldNames().forEachRemaining(present::add);
        Set<String> required = new HashSet<>();
        s.path("required").forEach(r -> required.add(r.asText()));
        assertTrue(present.containsAll(required), "missing required fields: " + diff(required, present));
        assertTrue(listed.containsAll(present), "fields not in " + schema + ": " + diff(present, listed));
    }

    private static Set<String> diff(Set<String> a, Set<String> b) {
        Set<String> d = new HashSet<>(a);
        d.removeAll(b);
        return d;
    }
}
