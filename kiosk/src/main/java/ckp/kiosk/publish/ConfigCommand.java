package ckp.kiosk.publish;

import ckp.kiosk.message.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The {@code config} command: reads a documented subset of the settings and changes the two that are safe to change
 * while running ({@code mqtt.drain.rate}, {@code telemetry.interval.seconds}). Changes last until the next start;
 * the config file stays the record. {@code {"args":{}}} reads all, {@code {"args":{"set":{key:value}}}} changes.
 */
public final class ConfigCommand implements CommandHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final List<String> READABLE = List.of("kiosk.id", "kiosk.site", "kiosk.lane", "mqtt.topic.prefix",
            "mqtt.inflight.max", "mqtt.keepalive.seconds", "mqtt.reconnect.max.seconds", "mqtt.drain.rate",
            "telemetry.interval.seconds");
    public static final List<String> SETTABLE = List.of("mqtt.drain.rate", "telemetry.interval.seconds");

    private final MqttConfig config;
    private final Topics topics;
    private final Publisher publisher;
    private final Telemetry telemetry;

    public ConfigCommand(MqttConfig config, Topics topics, Publisher publisher, Telemetry telemetry) {
        this.config = config;
        this.topics = topics;
        this.publisher = publisher;
        this.telemetry = telemetry;
    }

    @Override
    public CommandReply handle(JsonNode args, byte[] payload) {
        JsonNode set = args.get("set");
        if (set != null) {
            if (!set.isObject()) {
                return CommandReply.error("bad-argument", "set must be an object of key: value");
            }
            // Check every change before making any, so a request is applied whole or not at all.
            for (Iterator<Map.Entry<String, JsonNode>> it = set.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String problem = check(e.getKey(), e.getValue());
                if (problem != null) {
                    return CommandReply.error("bad-argument", problem);
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = set.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                switch (e.getKey()) {
                    case "mqtt.drain.rate" -> publisher.setDrainRatePerSecond(e.getValue().asDouble());
                    case "telemetry.interval.seconds" -> telemetry.setInterval(Duration.ofSeconds(e.getValue().asLong()));
                    default -> throw new IllegalStateException("checked above: " + e.getKey());
                }
            }
        }
        return CommandReply.ok(current());
    }

    private static String check(String key, JsonNode v) {
        return switch (key) {
            case "mqtt.drain.rate" -> v.isNumber() && v.asDouble() >= 0.1 && v.asDouble() <= 100_000 ? null
                    : "mqtt.drain.rate must be a number from 0.1 to 100000, got " + v;
            case "telemetry.interval.seconds" -> v.isIntegralNumber() && v.asLong() >= 5 && v.asLong() <= 86_400 ? null
                    : "telemetry.interval.seconds must be an integer from 5 to 86400, got " + v;
            default -> "'" + key + "' cannot be changed remotely; settable: " + SETTABLE;
        };
    }

    private ObjectNode current() {
        ObjectNode o = JSON.createObjectNode();
        o.put("kiosk.id", topics.kiosk());
        o.put("kiosk.site", topics.site());
        o.put("kiosk.lane", topics.lane());
        o.put("mqtt.topic.prefix", config.topicPrefix());
        o.put("mqtt.inflight.max", config.inflightMax());
        o.put("mqtt.keepalive.seconds", config.keepAlive().toSeconds());
        o.put("mqtt.reconnect.max.seconds", config.reconnectMax().toSeconds());
        o.put("mqtt.drain.rate", publisher.drainRatePerSecond());
        o.put("telemetry.interval.seconds", telemetry.interval().toSeconds());
        return o;
    }
}
