package ckp.kiosk.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AlarmCodeTest {
    private static final Path DOCS = Path.of(System.getProperty("ckp.root", "..")).resolve("docs");

    @Test
    void everyAlarmCodeIsLowerCaseWordsJoinedByHyphens() {
        for (AlarmCode code : AlarmCode.values()) {
            assertTrue(code.wire().matches("[a-z0-9]+(-[a-z0-9]+)*"), code.wire());
        }
        assertEquals("store-over-cap", AlarmCode.STORE_OVER_CAP.wire());
    }

    @Test
    void everyAlarmCodeIsDocumentedInTheMqttContractAndTheSchema() throws Exception {
        String mqtt = Files.readString(DOCS.resolve("mqtt.md"));
        String schema = Files.readString(DOCS.resolve("schema/alarm.schema.json"));
        List<String> missing = new ArrayList<>();
        for (AlarmCode code : AlarmCode.values()) {
            if (!mqtt.contains("| `" + code.wire() + "` |")) {
                missing.add("docs/mqtt.md table row for " + code.wire());
            }
            if (!schema.contains("\"" + code.wire() + "\"")) {
                missing.add("alarm.schema.json enum entry for " + code.wire());
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void anAlarmCarriesItsCodesSeverityAndTheBootIdAfterTheHeader() {
        Stamp stamp = new Stamp(UUID.fromString("019ac9a4-5f00-7b3e-9c41-2f0d5e6a7b8c"), 3, Instant.parse("2026-11-30T06:00:00Z"), true, "boot-9");
        Alarm alarm = Alarm.cleared(AlarmCode.STORE_OVER_CAP, "back under the cap", Map.of("usedBytes", 5L));
        Map<String, Object> fields = alarm.fields(stamp);
        assertEquals(List.of("bootId", "alarm", "severity", "state", "message", "detail"), List.copyOf(fields.keySet()));
        assertEquals("boot-9", fields.get("bootId"));
        assertEquals("store-over-cap", fields.get("alarm"));
        assertEquals("warning", fields.get("severity"));
        assertEquals("cleared", fields.get("state"));
        assertEquals(Map.of("usedBytes", 5L), fields.get("detail"));
        assertEquals(MessageClass.ALARM, alarm.messageClass());
    }
}
