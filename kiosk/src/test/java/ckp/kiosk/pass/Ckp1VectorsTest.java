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
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every vector of the CKP1 contract, each with its expected outcome. */
class Ckp1VectorsTest {
    static final String RESOURCE = "/ckp/kiosk/pass/ckp1-vectors.json";

    /** The shared contract's vectors (surefire sets ckp.shared to ../shared); a missing file fails the test. */
    static JsonNode vectors() throws IOException {
        return new ObjectMapper().readTree(sharedVectors().toFile());
    }

    /** The contract's file, which must exist: in CI a missing ../shared is a broken checkout, not a reason to skip. */
    static Path sharedVectors() {
        Path file = Path.of(System.getProperty("ckp.shared", "../shared"), "contract", "ckp1-vectors.json");
        assertTrue(Files.isRegularFile(file), "the CKP1 contract vectors are not at " + file.toAbsolutePath()
                + " (check out the shared folder beside the repo, or set -Dckp.shared to it)");
        return file;
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
        try (InputStream in = Ckp1VectorsTest.class.getResourceAsStream(RESOURCE)) {
            assertArrayEquals(Files.readAllBytes(shared), in.readAllBytes(),
                    "kiosk/src/test/resources" + RESOURCE + " differs from " + shared + "; copy the contract's file over");
        }
    }
}
