package ckp.kiosk.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The published {@code event} message's schema, docs/schema/event.schema.json, as a test assertion: every test that
 * makes an event payload checks it here (the lane's tests can too: {@code EventSchema.EVENT.assertValid(payload)}).
 */
public final class EventSchema {
    public static final EventSchema EVENT = load("event.schema.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonSchema schema;

    private EventSchema(JsonSchema schema) {
        this.schema = schema;
    }

    static Path schemaDir() {
        String root = System.getProperty("ckp.root");
        return root != null ? Path.of(root, "docs", "schema") : Path.of("..", "docs", "schema");
    }

    private static EventSchema load(String name) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = Files.newInputStream(schemaDir().resolve(name))) {
            return new EventSchema(factory.getSchema(in, config));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read docs/schema/" + name, e);
        }
    }

    /** The schema's complaints about a payload, sorted; empty when it is valid. */
    public Set<String> problems(byte[] payload) {
        try {
            JsonNode node = JSON.readTree(payload);
            Set<String> out = new TreeSet<>();
            for (ValidationMessage m : schema.validate(node)) {
                out.add(m.getMessage());
            }
            return out;
        } catch (IOException e) {
            return Set.of("not JSON: " + e.getMessage());
        }
    }

    public void assertValid(byte[] payload) {
        assertEquals(Set.of(), problems(payload), new String(payload, java.nio.charset.StandardCharsets.UTF_8));
    }
}
