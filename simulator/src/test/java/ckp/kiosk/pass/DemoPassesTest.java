package ckp.kiosk.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ckp.drivers.camera.Luma;
import ckp.kiosk.lane.Decision;
import ckp.kiosk.lane.DecisionTable;
import ckp.kiosk.scan.DecodedCode;
import ckp.kiosk.scan.QrDecoder;
import ckp.kiosk.screening.TemperatureResult;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The demo's shipped frames, trust store and deny list show each kind of pass with the right decision. */
class DemoPassesTest {
    private static final String DEMO = "/ckp/kiosk/demo/";

    @Test
    void theDemoFramesShowValidExpiredRevokedAndForgedPassesWithTheirDecisions() throws Exception {
        TrustStore trust;
        try (InputStream in = getClass().getResourceAsStream(DEMO + "trust/demo1.pem")) {
            trust = TrustStore.of(Map.of("demo1", TrustStore.parsePublicKey(new String(in.readAllBytes(),
                    StandardCharsets.US_ASCII))));
        }
        Set<String> revoked;
        try (InputStream in = getClass().getResourceAsStream(DEMO + "denylist.txt")) {
            revoked = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank()).map(String::strip).collect(Collectors.toSet());
        }
        Ckp1Verifier verifier = new Ckp1Verifier(trust, new DenyList(0, revoked), Duration.ofSeconds(300));
        // The demo's valid passes run from 2026-01-01 to 2036-01-01; check inside that window, as the demo does.
        Instant now = Instant.parse("2026-11-29T08:00:00Z");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("02-valid-freight.png", "valid pass");
        expected.put("04-plain-url.png", "foreign manual");
        expected.put("05-valid-passenger.png", "valid pass");
        expected.put("06-expired.png", "expired manual");
        expected.put("07-revoked.png", "revoked stop");
        expected.put("08-forged.png", "bad_signature stop");
        Map<String, String> seen = new LinkedHashMap<>();
        QrDecoder decoder = new QrDecoder();
        DecisionTable table = new DecisionTable();
        for (String frame : expected.keySet()) {
            try (InputStream in = getClass().getResourceAsStream(DEMO + "frames/" + frame)) {
                List<DecodedCode> codes = decoder.decode(Luma.of(ImageIO.read(in), 0, 0));
                assertEquals(1, codes.size(), frame);
                PassOutcome outcome = verifier.verify(codes.getFirst().text(), now, true).outcome();
                Decision d = table.decide(outcome, TemperatureResult.Kind.NORMAL).decision();
                seen.put(frame, outcome.wire() + " " + d.wire());
            }
        }
        assertEquals(expected, seen);
    }

    @Test
    void theDemoHc1FrameIsAValidVaccinationPassFromTheDemoSignerAndItsEventFieldsHoldNoName() throws Exception {
        java.security.cert.X509Certificate dsc;
        try (InputStream in = getClass().getResourceAsStream(DEMO + "trust/demo-dsc.pem")) {
            dsc = TrustStore.parseCertificate(in.readAllBytes());
        }
        String text;
        try (InputStream in = getClass().getResourceAsStream(DEMO + "frames/10-hc1-vaccination.png")) {
            List<DecodedCode> codes = new QrDecoder().decode(Luma.of(ImageIO.read(in), 0, 0));
            assertEquals(1, codes.size());
            text = codes.getFirst().text();
        }
        PassVerifier verifier = new PassVerifier(TrustStore.of(Map.of(), List.of(dsc)), DenyList.EMPTY,
                Duration.ofSeconds(300));
        // The demo DSC runs ten years from 2026-11-30; check inside that window, as the demo does.
        PassCheck check = verifier.verify(text, Instant.parse("2027-06-01T08:00:00Z"), true);
        assertEquals(PassOutcome.VALID, check.outcome());
        Hc1Pass pass = check.hc1().orElseThrow();
        assertEquals("v", pass.type());
        assertEquals("XX", pass.country());
        assertEquals(Hc1Verifier.ciDigest("URN:UVCI:01:XX:DEMO0000000001#5"), pass.ciDigest());
        assertEquals(Decision.PASS, new DecisionTable().decide(check.outcome(), TemperatureResult.Kind.NORMAL)
                .decision());
    }
}
