package ckp.kiosk.publish;

import ckp.kiosk.message.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * Remote commands, MQTT v5 request/response: a request arrives on {@code {base}/cmd/<name>}, the answer goes to the
 * request's response topic with its correlation data. Only allow-listed names are run; everything else — malformed
 * JSON, an unknown name, more than 64 KiB, a request meant for another kiosk — gets an error response and changes
 * nothing. See docs/mqtt.md for the formats.
 */
public final class Commands {
    private static final TaggedLogger LOG = Logger.tag("publish");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Larger requests are refused unread: no command needs more, and a kiosk has little memory to spare. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    /** The only command names the kiosk will ever run. */
    public static final Set<String> ALLOWED = Set.of("ping", "selftest", "config", "denylist", "trust", "rules");
    private static final int MAX_RESPONSE_TOPIC_LENGTH = 512;

    private final Topics topics;
    private final Publisher publisher;
    private final Supplier<Instant> now;
    private final Map<String, CommandHandler> handlers = new ConcurrentHashMap<>();

    public Commands(Topics topics, Publisher publisher, Supplier<Instant> now) {
        this.topics = topics;
        this.publisher = publisher;
        this.now = now;
        handlers.put("ping", (args, payload) -> CommandReply.ok(JSON.createObjectNode().put("pong", true)
                .put("time", now.get().toString()).put("connected", publisher.connected())
                .put("bdSeq", publisher.bdSeq())));
    }

    /** Plugs a stage's handler in under an allow-listed name (replacing the one there). */
    public Commands register(String name, CommandHandler handler) {
        if (!ALLOWED.contains(name)) {
            throw new IllegalArgumentException("'" + name + "' is not an allow-listed command " + ALLOWED);
        }
        handlers.put(name, handler);
        return this;
    }

    /** Subscribes to this kiosk's command topic (on every connection). */
    public void attach() {
        publisher.subscribe(topics.commands(), this::accept);
    }

    /** Handles one request; runs on the session's inbound thread. */
    public void accept(InboundMessage m) {
        String name = m.topic().substring(m.topic().lastIndexOf('/') + 1);
        Optional<String> responseTopic = m.responseTopic();
        String replyTo = topics.reply();
        CommandReply reply;
        String requestId = null;
        if (responseTopic.isPresent() && !usableResponseTopic(responseTopic.get())) {
            reply = CommandReply.error("bad-response-topic", "the response topic must lie in the reply subtree "
                    + topics.replySubtree() + "... (at most " + MAX_RESPONSE_TOPIC_LENGTH + " characters, no + or #, "
                    + "no empty level); answering on " + replyTo);
        } else {
            if (responseTopic.isPresent()) {
                replyTo = responseTopic.get();
            }
            if (!m.topic().startsWith(topics.base() + "/cmd/")) {
                reply = CommandReply.error("foreign", "the command topic " + m.topic() + " is not this kiosk's");
            } else if (m.payload().length > MAX_PAYLOAD_BYTES) {
                reply = CommandReply.error("oversize", "the request has " + m.payload().length + " bytes; at most "
                        + MAX_PAYLOAD_BYTES + " are read");
            } else {
                JsonNode request = parse(m.payload());
                if (request != null && request.path("requestId").isTextual()) {
                    requestId = request.get("requestId").asText();
                }
                reply = run(name, request, m.payload());
            }
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("command", name);
        out.put("kiosk", topics.kiosk());
        if (requestId != null) {
            out.put("requestId", requestId);
        }
        out.put("time", now.get().toString());
        out.put("ok", reply.ok());
        if (reply.ok()) {
            out.set("result", reply.result());
        } else {
            out.putObject("error").put("code", reply.errorCode()).put("message", reply.message());
            LOG.warn("command {} refused: {} ({})", name, reply.errorCode(), reply.message());
        }
        publisher.respond(new OutgoingMessage(replyTo, out.toString().getBytes(StandardCharsets.UTF_8), 1, false,
                Optional.empty(), m.correlationData()));
    }

    private CommandReply run(String name, JsonNode request, byte[] payload) {
        if (request == null || !request.isObject()) {
            return CommandReply.error("malformed", "the request must be a JSON object, e.g. {\"args\":{}}");
        }
        JsonNode target = request.get("kiosk");
        if (target != null && !(target.isTextual() && target.asText().equals(topics.kiosk()))) {
            return CommandReply.error("foreign", "the request is for kiosk " + target + ", this is "
                    + topics.kiosk());
        }
        JsonNode args = request.has("args") ? request.get("args") : JSON.createObjectNode();
        if (!args.isObject()) {
            return CommandReply.error("malformed", "args must be a JSON object");
        }
        if (!ALLOWED.contains(name)) {
            return CommandReply.error("unknown-command", "'" + name + "' is not a command; allowed: "
                    + String.join(", ", new java.util.TreeSet<>(ALLOWED)));
        }
        CommandHandler h = handlers.get(name);
        if (h == null) {
            return CommandReply.error("unavailable", "'" + name + "' is not available on this kiosk build");
        }
        try {
            return h.handle(args, payload);
        } catch (RuntimeException e) {
            LOG.error(e, "command {} failed", name);
            return CommandReply.error("failed", "the " + name + " command failed: " + e.getMessage());
        }
    }

    /**
     * Only the documented reply subtree, {@code {prefix}/reply/...}: never a kiosk's own topics (its events, status,
     * commands), another kiosk's, or a site topic such as the deny list — a reply published there would be read as
     * what that topic carries.
     */
    private boolean usableResponseTopic(String t) {
        if (t.length() > MAX_RESPONSE_TOPIC_LENGTH || !t.startsWith(topics.replySubtree())
                || t.length() == topics.replySubtree().length()) {
            return false;
        }
        for (String level : t.substring(topics.replySubtree().length()).split("/", -1)) {
            if (level.isEmpty() || level.contains("+") || level.contains("#") || level.indexOf('\0') >= 0) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode parse(byte[] payload) {
        try {
            return JSON.readTree(new String(payload, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        }
    }
}
