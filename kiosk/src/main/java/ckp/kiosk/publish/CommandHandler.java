package ckp.kiosk.publish;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One allow-listed command ({@code ping}, {@code selftest}, {@code config}, {@code denylist}, {@code trust}). Runs on
 * the session's inbound thread, one command at a time; a slow handler delays later commands, never publishing.
 */
@FunctionalInterface
public interface CommandHandler {

    /**
     * @param args    the request's {@code args} object (an empty object when absent)
     * @param payload the request's raw payload, for handlers that parse it themselves (e.g. a deny-list update)
     */
    CommandReply handle(JsonNode args, byte[] payload);
}
