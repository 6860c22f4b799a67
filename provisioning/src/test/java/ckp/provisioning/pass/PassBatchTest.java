package ckp.provisioning.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.pass.DenyList;
import ckp.kiosk.pass.TrustStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code kioskctl pass verify --jsonl}: official HC1 cases in, one answer per line out, in order. */
class PassBatchTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode officialCase(String name) throws Exception {
        try (InputStream in = PassBatchTest.class.getResourceAsStream("/dcc/common/2DCode/raw/" + name + ".json")) {
            return JSON.readTree(in);
        }
    }

    /** The line the scorer writes for a case: its text, its certificate, its clock. */
    static String line(JsonNode c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("text", c.get("PREFIX").textValue());
        o.putArray("trust").add(c.at("/TESTCTX/CERTIFICATE").textValue());
        o.put("now", c.at("/TESTCTX/VALIDATIONCLOCK").textValue());
        return o.toString();
    }

    static List<JsonNode> run(String input, int[] status) throws Exception {
        StringWriter out = new StringWriter();
        status[0] = new PassBatch(TrustStore.of(Map.of()), DenyList.EMPTY, Duration.ofSeconds(300), null)
                .run(new BufferedReader(new StringReader(input)), new PrintWriter(out));
        List<JsonNode> answers = new ArrayList<>();
        for (String l : out.toString().split("\n")) {
            answers.add(JSON.readTree(l));
        }
        return answers;
    }

    @Test
    void eachLineGetsOneAnswerInOrderWithTheOutcomePassFieldsAndSteps() throws Exception {
        String input = line(officialCase("CO1")) + "\n" + line(officialCase("CO6")) + "\n" + line(officialCase("Z2"))
                + "\n" + line(officialCase("H3")) + "\n";
        int[] status = new int[1];
        List<JsonNode> answers = run(input, status);
        assertEquals(0, status[0]);
        assertEquals(4, answers.size());
        JsonNode valid = answers.get(0);
        assertEquals("valid", valid.get("outcome").textValue());
        assertEquals("HC1", valid.get("format").textValue());
        assertEquals("v", valid.get("type").textValue());
        assertEquals("AT", valid.get("country").textValue());
        assertTrue(valid.get("ciDigest").textValue().matches("[0-9a-f]{32}"));
        assertTrue(valid.at("/steps/signature").booleanValue() && valid.at("/steps/validity").booleanValue());
        assertEquals("key_usage_mismatch", answers.get(1).get("outcome").textValue());
        assertFalse(answers.get(1).at("/steps/keyUsage").booleanValue());
        assertEquals("malformed", answers.get(2).get("outcome").textValue());
        assertFalse(answers.get(2).at("/steps/zlib").booleanValue());
        assertEquals("foreign", answers.get(3).get("outcome").textValue());
        assertFalse(answers.get(3).at("/steps/prefix").booleanValue());
        for (JsonNode a : answers) {
            assertFalse(a.toString().contains("Musterfrau") || a.toString().contains("1998-02-26"), a.toString());
        }
    }

    @Test
    void aLineThatCannotBeReadIsAnsweredWithItsProblemAndTheRunGoesOn() throws Exception {
        String input = "not json\n{\"text\": 5}\n{\"text\":\"HC1:x\",\"trust\":[\"@@\"]}\n{\"text\":\"HC1:x\",\"now\":\"soon\"}\n"
                + line(officialCase("CO1")) + "\n";
        int[] status = new int[1];
        List<JsonNode> answers = run(input, status);
        assertEquals(PassCommand.NOT_VALID, status[0]);
        assertEquals(5, answers.size());
        for (int i = 0; i < 4; i++) {
            assertTrue(answers.get(i).get("outcome").isNull(), answers.get(i).toString());
            assertEquals(i + 1, answers.get(i).get("line").intValue());
            assertFalse(answers.get(i).get("error").textValue().isEmpty());
        }
        assertEquals("valid", answers.get(4).get("outcome").textValue());
    }

    @Test
    void jsonlTakesNoTextOnTheCommandLine() {
        PassCommandTest.Run r = PassCommandTest.kioskctl("pass", "verify", "--jsonl", "HC1:ABC");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("standard input"), r.err());
    }
}
