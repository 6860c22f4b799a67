package ckp.kiosk.message;

import java.util.Map;

/**
 * The body of one message the kiosk commits and publishes: its class (which gives its topic) and its fields after the
 * common header. Field values are JSON-shaped: {@code String}, a {@code Number}, {@code Boolean}, {@code null}, or a
 * {@code Map<String, ?>} or {@code List<?>} of those; the store writes them as JSON in the given order.
 */
public interface Payload {
    MessageClass messageClass();

    /**
     * The fields that follow {@link Stamp#header}, in order.
     *
     * @param stamp the message's identity, for fields that depend on it (its time, the boot id)
     */
    Map<String, Object> fields(Stamp stamp);
}
