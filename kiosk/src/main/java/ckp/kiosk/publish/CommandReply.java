package ckp.kiosk.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Objects;
import java.util.Set;

/**
 * A handler's answer to a command: a result, or an error with a code from the documented set (docs/mqtt.md).
 *
 * @param result    the result object when {@code ok}, else null-node
 * @param errorCode empty when {@code ok}
 */
public record CommandReply(boolean ok, JsonNode result, String errorCode, String message) {
    /** Every error code a response may carry. */
    public static final Set<String> ERROR_CODES = Set.of("malformed", "oversize", "unknown-command", "foreign",
            "bad-response-topic", "bad-argument", "unavailable", "failed");

    public CommandReply {
        Objects.requireNonNull(result);
        Objects.requireNonNull(errorCode);
        Objects.requireNonNull(message);
        if (ok != errorCode.isEmpty()) {
            throw new IllegalArgumentException("a reply has a result or an error code, not both: " + errorCode);
        }
        if (!ok && !ERROR_CODES.contains(errorCode)) {
            throw new IllegalArgumentException("'" + errorCode + "' is not a documented command error code "
                    + ERROR_CODES);
        }
    }

    public static CommandReply ok(JsonNode result) {
        return new CommandReply(true, result, "", "");
    }

    public static CommandReply error(String code, String message) {
        return new CommandReply(false, JsonNodeFactory.instance.nullNode(), code, message);
    }
}
