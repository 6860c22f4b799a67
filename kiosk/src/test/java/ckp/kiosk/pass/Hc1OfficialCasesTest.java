package ckp.kiosk.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The official EU DCC test cases (dgc-testdata) against the verifier, scored as {@code kiosk/bin/dcc-score} scores
 * them: the copied cases one by one (src/test/resources/dcc), then the whole suite in {@code ../shared/testdata/dcc}
 * against the goals.
 */
class Hc1OfficialCasesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SKEW = Duration.ofSeconds(300);

    /** Each scored key of EXPECTEDRESULTS, its kind, and the verifier step it is compared with. */
    static final Map<String, Hc1Verifier.Step> SCORED = new LinkedHashMap<>();
    static final Map<String, String> KIND = Map.of("EXPECTEDUNPREFIX", "decoding", "EXPECTEDB45DECODE", "decoding",
            "EXPECTEDCOMPRESSION", "decoding", "EXPECTEDDECODE", "decoding", "EXPECTEDVERIFY", "verify",
            "EXPECTEDKEYUSAGE", "keyusage", "EXPECTEDEXPIRATIONCHECK", "expiration");

    static {
        SCORED.put("EXPECTEDUNPREFIX", Hc1Verifier.Step.PREFIX);
        SCORED.put("EXPECTEDB45DECODE", Hc1Verifier.Step.BASE45);
        SCORED.put("EXPECTEDCOMPRESSION", Hc1Verifier.Step.ZLIB);
        SCORED.put("EXPECTEDDECODE", Hc1Verifier.Step.CBOR);
        SCORED.put("EXPECTEDVERIFY", Hc1Verifier.Step.SIGNATURE);
        SCORED.put("EXPECTEDKEYUSAGE", Hc1Verifier.Step.KEY_USAGE);
        SCORED.put("EXPECTEDEXPIRATIONCHECK", Hc1Verifier.Step.VALIDITY);
    }

    /**
     * The cases where a member state's expectation and the verifier's rule differ, each with the reason (docs/passes.md
     * lists them); the test holds that they still differ, so a change of rule is noticed.
     */
    static final Map<String, String> KNOWN_DISAGREEMENTS = Map.of(
            "IS/2DCode/raw/3.json", "its DSC's only extended key usage is ICAO's document signer OID; the hcert "
                    + "specification lets a DSC without any DCC key usage sign every type, IS expects a refusal",
            "PL/1.3.0/2DCode/raw/6.json", "signed by a DSC other than the case's certificate: the signature does not "
                    + "verify, so no key usage is checked; PL expects the context certificate's key usage to pass");

    /** One case's scored keys that the verifier disagrees with, e.g. {@code EXPECTEDVERIFY expected true}. */
    static List<String> disagreements(JsonNode testCase) throws GeneralSecurityException {
        JsonNode ctx = testCase.path("TESTCTX");
        List<X509Certificate> certs = new ArrayList<>();
        if (ctx.path("CERTIFICATE").isTextual() && !ctx.path("CERTIFICATE").textValue().isEmpty()) {
            certs.add(TrustStore.parseCertificate(Base64.getMimeDecoder().decode(ctx.get("CERTIFICATE").textValue())));
        }
        Hc1Verifier verifier = new Hc1Verifier(TrustStore.of(Map.of(), certs), DenyList.EMPTY, SKEW);
        Hc1Verifier.Result r = verifier.inspect(testCase.get("PREFIX").textValue(),
                clock(ctx.path("VALIDATIONCLOCK").asText()), true);
        List<String> wrong = new ArrayList<>();
        JsonNode expected = testCase.get("EXPECTEDRESULTS");
        for (Map.Entry<String, Hc1Verifier.Step> e : SCORED.entrySet()) {
            JsonNode want = expected.get(e.getKey());
            if (want != null && want.isBoolean()) {
                boolean got = r.steps().getOrDefault(e.getValue(), false);
                if (got != want.booleanValue()) {
                    wrong.add(e.getKey() + " expected " + want.booleanValue() + " (outcome " + r.check().outcome().wire()
                            + ")");
                }
            }
        }
        return wrong;
    }

    /** The suite's clock: ISO with at most 9 fraction digits; without a zone it is UTC, {@code +0200} is +02:00. */
    static Instant clock(String value) {
        Matcher m = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})(\\.\\d{1,9})?\\d*(Z|[+-]\\d{2}:?\\d{2})?")
                .matcher(value.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a VALIDATIONCLOCK: " + value);
        }
        String zone = m.group(3) == null ? "Z" : m.group(3).length() == 5
                ? m.group(3).substring(0, 3) + ":" + m.group(3).substring(3) : m.group(3);
        return OffsetDateTime.parse(m.group(1) + (m.group(2) == null ? "" : m.group(2)) + zone).toInstant();
    }

    static boolean isCase(JsonNode n) {
        return n != null && n.isObject() && n.path("PREFIX").isTextual() && n.path("EXPECTEDRESULTS").isObject();
    }

    static List<Path> jsonFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCopiedCaseAgreesOrIsADocumentedDisagreement() throws IOException, URISyntaxException {
        Path dir = Path.of(Hc1OfficialCasesTest.class.getResource("/dcc").toURI());
        List<Path> files = jsonFiles(dir);
        assertTrue(files.size() >= 50, "the copied cases are in src/test/resources/dcc: " + files.size());
        return files.stream().map(f -> DynamicTest.dynamicTest(dir.relativize(f).toString(), () -> {
            String name = dir.relativize(f).toString();
            List<String> wrong = disagreements(JSON.readTree(f.toFile()));
            if (KNOWN_DISAGREEMENTS.containsKey(name)) {
                assertEquals(1, wrong.size(), name + " was a documented disagreement ("
                        + KNOWN_DISAGREEMENTS.get(name) + "); now: " + wrong);
            } else {
                assertEquals(List.of(), wrong, name);
            }
        }));
    }

    @Test
    void theWholeOfficialSuiteAgreesInAtLeast96PercentOverallAnd80PercentPerKind() throws Exception {
        String root = System.getProperty("ckp.root");
        Path dir = (root != null ? Path.of(root) : Path.of("..")).resolve("../shared/testdata/dcc").normalize();
        assertTrue(Files.isDirectory(dir), "the official suite belongs at " + dir.toAbsolutePath()
                + " (../shared/testdata/dcc from the repository root)");
        int scored = 0;
        int agreeing = 0;
        Map<String, int[]> perKind = new LinkedHashMap<>();
        List<String> report = new ArrayList<>();
        for (Path f : jsonFiles(dir)) {
            JsonNode c = JSON.readTree(f.toFile());
            if (!isCase(c)) {
                continue;
            }
            List<String> wrong = disagreements(c);
            boolean anyScored = false;
            for (String key : SCORED.keySet()) {
                if (c.get("EXPECTEDRESULTS").path(key).isBoolean()) {
                    anyScored = true;
                }
            }
            if (!anyScored) {
                continue;
            }
            scored++;
            agreeing += wrong.isEmpty() ? 1 : 0;
            for (String kind : List.of("decoding", "verify", "keyusage", "expiration")) {
                boolean has = SCORED.keySet().stream().anyMatch(k -> KIND.get(k).equals(kind)
                        && c.get("EXPECTEDRESULTS").path(k).isBoolean());
                if (has) {
                    int[] counts = perKind.computeIfAbsent(kind, k -> new int[2]);
                    counts[1]++;
                    if (wrong.stream().noneMatch(w -> KIND.get(w.substring(0, w.indexOf(' '))).equals(kind))) {
                        counts[0]++;
                    }
                }
            }
            if (!wrong.isEmpty()) {
                report.add(dir.relativize(f) + ": " + wrong);
            }
        }
        System.out.printf("dcc suite: %d/%d cases agree; per kind %s; disagreements %s%n", agreeing, scored,
                perKind.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()[0] + "/" + e.getValue()[1])
                        .toList(), report);
        assertTrue(scored >= 570, "scored " + scored + " cases");
        assertTrue(agreeing >= 0.96 * scored, agreeing + "/" + scored + " agree: " + report);
        perKind.forEach((kind, counts) -> assertTrue(counts[0] >= 0.80 * counts[1],
                kind + ": " + counts[0] + "/" + counts[1]));
    }
}
