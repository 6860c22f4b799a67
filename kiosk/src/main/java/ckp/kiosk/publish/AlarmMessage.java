package ckp.kiosk.publish;

import ckp.kiosk.config.KioskIdentity;
import ckp.kiosk.store.Stamp;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One alarm as published on the {@code alarm} topic (docs/schema/alarm.schema.json): something an operator must look
 * at. Any stage may commit one through the store as class ALARM; this builds its payload from the store's stamp.
 *
 * @param code     stable machine name, e.g. {@code publish-rejected}, {@code store-corrupt}
 * @param severity {@code warning} (degraded, nothing lost yet) or {@code critical} (records at risk)
 * @param state    {@code raised} or {@code cleared}
 */
public record AlarmMessage(String code, String severity, String state, String message, ObjectNode detail) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public AlarmMessage {
        Objects.requireNonNull(code);
        Objects.requireNonNull(message);
        Objects.requireNonNull(detail);
        if (!code.matches("[a-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("alarm codes are lower-case words joined by '-', '_' or '.', got '"
                    + code + "'");
        }
        if (!severity.equals("warning") && !severity.equals("critical")) {
            throw new IllegalArgumentException("alarm severity is warning or critical, got '" + severity + "'");
        }
        if (!state.equals("raised") && !state.equals("cleared")) {
            throw new IllegalArgumentException("alarm state is raised or cleared, got '" + state + "'");
        }
    }

    public static ObjectNode newDetail() {
        return JSON.createObjectNode();
    }

    public byte[] toJson(Stamp stamp, KioskIdentity kiosk) {
        ObjectNode o = stamp.header(kiosk);
        o.put("alarm", code);
        o.put("severity", severity);
        o.put("state", state);
        o.put("message", message);
        o.set("detail", detail);
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }
}
