package ckp.kiosk.message;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A lifecycle message on the {@code lifecycle} topic (docs/schema/lifecycle.schema.json): the kiosk's own life.
 *
 * @param event   what happened, e.g. {@code started}
 * @param version the kiosk software's version
 */
public record Lifecycle(String event, String version) implements Payload {
    public Lifecycle {
        Objects.requireNonNull(event);
        Objects.requireNonNull(version);
    }

    @Override
    public MessageClass messageClass() {
        return MessageClass.LIFECYCLE;
    }

    @Override
    public Map<String, Object> fields(Stamp stamp) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("event", event);
        o.put("version", version);
        o.put("bootId", stamp.bootId());
        return o;
    }
}
