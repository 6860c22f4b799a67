package ckp.kiosk.pass;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every vector of the CKP1 contract, each with its expected outcome. */
class Ckp1VectorsTest {
    static final String RESOURCE = "/ckp/kiosk/pass/ckp1-vectors.json";

    /** The shared contract's copy when the build can see it (surefire sets ckp.shared), else the test copy. */
    static JsonNode vectors() throws IOException {
        Path shared = sharedVectors();
        if (shared != null && Files.isRegularFile(shared)) {
            return new ObjectMapper().readTree(shared.toFile());
        }
        try (InputStream in = Ckp1VectorsTest.class.getResourceAsStream(RESOURCE)) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static Path sharedVectors() {
        String dir = System.getProperty("ckp.shared");
        return dir == null ? null : Path.of(dir, "contract", "ckp1-vectors.json");
    }

    static Ckp1Verifier verifierFor(JsonNode v) throws Exception {
        TrustStore trust = TrustStore.of(Map.of(v.get("kid").asText(),
                TrustStore.parsePublicKey(v.get("publicKeyPem").asText())));
        Set<String> deny = new HashSet<>();
        v.get("denyList").forEach(id -> deny.add(id.asText()));
        return new Ckp1Verifier(trust, new DenyList(0, deny), Duration.ofSeconds(v.get("skewSeconds").asLong()));
    }

    @TestFactory
    Stream<DynamicTest> everyVectorGivesItsExpectedOutcome() throws Exception {
        JsonNode v = vectors();
        Ckp1Verifier verifier = verifierFor(v);
        Instant now = Instant.ofEpochSecond(v.get("now").asLong());
        assertTrue(v.get("vectors").size() >= 20, "the contract ships at least 20 vectors");
        return Stream.iterate(0, i -> i < v.get("vectors").size(), i -> i + 1).map(i -> v.get("vectors").get(i))
                .map(vec -> DynamicTest.dynamicTest(vec.get("name").asText() + " -> " + vec.get("expect").asText(),
                        () -> assertEquals(vec.get("expect").asText(),
                                verifier.verify(vec.get("text").asText(), now, true).outcome().wire(),
                                vec.get("note").asText())));
    }

    @Test
    void theTestCopyOfTheVectorsIsByteForByteTheContractsCopy() throws IOException {
        Path shared = sharedVectors();
        Assumptions.assumeTrue(shared != null && Files.isRegularFile(shared),
                "the shared contract is not beside the repo; only the test copy is checked");
        try (InputStream in = Ckp1VectorsTest.class.getResourceAsStream(RESOURCE)) {
            assertArrayEquals(Files.readAllBytes(shared), in.readAllBytes(),
                    "kiosk/src/test/resources" + RESOURCE + " differs from " + shared + "; copy the contract's file over");
        }
    }
}
