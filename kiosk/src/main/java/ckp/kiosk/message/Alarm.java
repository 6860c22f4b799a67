package ckp.kiosk.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One alarm as published on the {@code alarm} topic (docs/schema/alarm.schema.json): something an operator must look
 * at. Every stage raises its alarms as this one record, so all alarms share one form:
 * {@code {header..., "bootId", "alarm", "severity", "state", "message", "detail": {...}}}.
 *
 * @param message one sentence for the operator
 * @param detail  the code's own figures, JSON-shaped (see {@link Payload})
 */
public record Alarm(AlarmCode code, AlarmState state, String message, Map<String, Object> detail) implements Payload {
    public Alarm {
        Objects.requireNonNull(code);
        Objects.requireNonNull(state);
        Objects.requireNonNull(message);
        detail = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(detail)));
    }

    public static Alarm raised(AlarmCode code, String message, Map<String, ?> detail) {
        return new Alarm(code, AlarmState.RAISED, message, new LinkedHashMap<>(detail));
    }

    public static Alarm cleared(AlarmCode code, String message, Map<String, ?> detail) {
        return new Alarm(code, AlarmState.CLEARED, message, new LinkedHashMap<>(detail));
    }

    public Severity severity() {
        return code.severity();
    }

    @Override
    public MessageClass messageClass() {
        return MessageClass.ALARM;
    }

    @Override
    public Map<String, Object> fields(Stamp stamp) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("bootId", stamp.bootId());
        o.put("alarm", code.wire());
        o.put("severity", severity().wire());
        o.put("state", state.wire());
        o.put("message", message);
        o.put("detail", detail);
        return o;
    }
}
