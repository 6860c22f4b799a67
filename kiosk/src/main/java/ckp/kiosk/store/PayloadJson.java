package ckp.kiosk.store;

import ckp.kiosk.message.Payload;
import ckp.kiosk.message.Stamp;
import ckp.kiosk.message.Topics;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * Writes a {@link Payload} as the JSON the kiosk publishes: the stamp's header naming the sender, then the payload's
 * fields. The one place a message becomes bytes, so every class of message starts the same way.
 */
public final class PayloadJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PayloadJson() {
    }

    public static byte[] encode(Topics sender, Stamp stamp, Payload payload) {
        Map<String, Object> o = stamp.header(sender);
        o.putAll(payload.fields(stamp));
        try {
            return JSON.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a " + payload.messageClass().wire() + " payload holds a field JSON "
                    + "cannot write (" + e.getOriginalMessage() + "); fields are strings, numbers, booleans, null, "
                    + "maps and lists", e);
        }
    }
}
