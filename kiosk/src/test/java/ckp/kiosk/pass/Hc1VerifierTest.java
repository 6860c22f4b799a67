package ckp.kiosk.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HC1 verification against DSCs made with openssl: each outcome, both algorithms, both key usage OID forms. */
class Hc1VerifierTest {
    static final String TEST_OID = "1.3.6.1.4.1.1847.2021.1.1";
    static final String VACCINATION_OID = "1.3.6.1.4.1.1847.2021.1.2";
    static final String OLD_FORM_RECOVERY_OID = "1.3.6.1.4.1.0.1847.2021.1.3";
    static final Duration SKEW = Duration.ofSeconds(300);

    @TempDir
    static Path dir;
    static Hc1TestIssuer es256;
    static Hc1TestIssuer ps256;
    static Hc1TestIssuer testsOnly;
    static Hc1TestIssuer recoveryOldForm;
    static Instant now;

    @BeforeAll
    static void makeSigners() throws Exception {
        es256 = Hc1TestIssuer.create(dir, "es256", false, 30);
        ps256 = Hc1TestIssuer.create(dir, "ps256", true, 30);
        testsOnly = Hc1TestIssuer.create(dir, "tests-only", false, 30, TEST_OID);
        recoveryOldForm = Hc1TestIssuer.create(dir, "recovery-old-form", false, 30, OLD_FORM_RECOVERY_OID,
                VACCINATION_OID);
        // The clock of every check: an hour into the certificates' validity, whatever day the test runs.
        now = es256.certificate.getNotBefore().toInstant().plusSeconds(3600);
    }

    static Hc1Verifier verifier(Hc1TestIssuer... trusted) {
        return verifier(DenyList.EMPTY, trusted);
    }

    static Hc1Verifier verifier(DenyList deny, Hc1TestIssuer... trusted) {
        return new Hc1Verifier(TrustStore.of(Map.of(), List.of(java.util.Arrays.stream(trusted)
                .map(i -> i.certificate).toArray(java.security.cert.X509Certificate[]::new))), deny, SKEW);
    }

    static String pass(Hc1TestIssuer issuer, String type) throws Exception {
        return issuer.issue(Hc1TestIssuer.dcc(type, "URN:UVCI:01:DE:TEST" + type, "DE"), "DE",
                now.getEpochSecond() - 60, now.getEpochSecond() + 86_400);
    }

    @Test
    void anEs256PassFromATrustedSignerIsValidAndTheCheckCarriesOnlyTheEventFields() throws Exception {
        String text = pass(es256, "v");
        PassCheck check = verifier(es256, ps256).verify(text, now, true);
        assertEquals(PassOutcome.VALID, check.outcome());
        assertEquals(Optional.of(PassFormat.HC1), check.format());
        Hc1Pass p = check.hc1().orElseThrow();
        assertEquals("v", p.type());
        assertEquals("DE", p.country());
        assertEquals(TrustStore.signerKid(es256.certificate), p.kid());
        assertEquals(Hc1Verifier.ciDigest("URN:UVCI:01:DE:TESTv"), p.ciDigest());
        assertEquals(Optional.of(Ckp1Verifier.digest(text)), check.digest());
        String everything = check.toString();
        assertFalse(everything.contains("Musterfrau") || everything.contains("MUSTERFRAU")
                || everything.contains("Erika") || everything.contains("1964"), everything);
    }

    @Test
    void aPs256PassFromATrustedSignerIsValid() throws Exception {
        assertEquals(PassOutcome.VALID, verifier(ps256).verify(pass(ps256, "t"), now, true).outcome());
    }

    @Test
    void anUntaggedCoseAndAKidInTheUnprotectedHeaderAreRead() throws Exception {
        byte[] payload = Hc1TestIssuer.cwt(Hc1TestIssuer.dcc("r", "ci-1", "AT"), "AT", now.getEpochSecond() - 60,
                now.getEpochSecond() + 600);
        byte[] prot = Hc1TestIssuer.protectedHeader(CoseSign1.ES256, es256.kid());
        assertEquals(PassOutcome.VALID, verifier(es256).verify(Hc1TestIssuer.text(es256.sign1(prot, payload, false)),
                now, true).outcome());
    }

    @Test
    void aChangedPayloadIsABadSignatureAndAnUntrustedSignerAnUnknownKey() throws Exception {
        byte[] prot = Hc1TestIssuer.protectedHeader(CoseSign1.ES256, es256.kid());
        byte[] signed = Hc1TestIssuer.cwt(Hc1TestIssuer.dcc("v", "ci-1", "DE"), "DE", now.getEpochSecond(),
                now.getEpochSecond() + 600);
        byte[] shown = Hc1TestIssuer.cwt(Hc1TestIssuer.dcc("v", "ci-2", "DE"), "DE", now.getEpochSecond(),
                now.getEpochSecond() + 600);
        String forged = Hc1TestIssuer.text(Hc1TestIssuer.coseBytes(prot, shown,
                es256.sign(CoseSign1.toBeSigned(prot, signed)), true));
        Hc1Verifier.Result r = verifier(es256).inspect(forged, now, true);
        assertEquals(PassOutcome.BAD_SIGNATURE, r.check().outcome());
        assertEquals(false, r.steps().get(Hc1Verifier.Step.SIGNATURE));
        assertEquals(PassOutcome.UNKNOWN_KEY, verifier(ps256).verify(pass(es256, "v"), now, true).outcome());
    }

    @Test
    void anExpiredPassAPassIssuedInTheFutureAndASignerOutOfItsDatesAreRejected() throws Exception {
        long t = now.getEpochSecond();
        ObjectNode dcc = Hc1TestIssuer.dcc("t", "ci-3", "FR");
        assertEquals(PassOutcome.EXPIRED, verifier(es256).verify(es256.issue(dcc, "FR", t - 9000, t - 301), now,
                true).outcome());
        assertEquals(PassOutcome.VALID, verifier(es256).verify(es256.issue(dcc, "FR", t - 9000, t - 299), now,
                true).outcome(), "within the skew");
        assertEquals(PassOutcome.NOT_YET_VALID, verifier(es256).verify(es256.issue(dcc, "FR", t + 301, t + 9000), now,
                true).outcome());
        Instant afterSigner = es256.certificate.getNotAfter().toInstant().plusSeconds(3600);
        assertEquals(PassOutcome.EXPIRED, verifier(es256).verify(es256.issue(dcc, "FR", t, Long.MAX_VALUE / 2),
                afterSigner, true).outcome());
        assertEquals(PassOutcome.CLOCK_UNSYNCED, verifier(es256).verify(es256.issue(dcc, "FR", t - 9000, t - 301),
                now, false).outcome());
    }

    @Test
    void aSignerWithDccKeyUsagesSignsOnlyThoseTypesInEitherOidForm() throws Exception {
        assertEquals(PassOutcome.VALID, verifier(testsOnly).verify(pass(testsOnly, "t"), now, true).outcome());
        assertEquals(PassOutcome.KEY_USAGE_MISMATCH, verifier(testsOnly).verify(pass(testsOnly, "v"), now, true)
                .outcome());
        assertEquals(PassOutcome.VALID, verifier(recoveryOldForm).verify(pass(recoveryOldForm, "r"), now, true)
                .outcome());
        assertEquals(PassOutcome.VALID, verifier(recoveryOldForm).verify(pass(recoveryOldForm, "v"), now, true)
                .outcome());
        assertEquals(PassOutcome.KEY_USAGE_MISMATCH, verifier(recoveryOldForm).verify(pass(recoveryOldForm, "t"), now,
                true).outcome());
        assertEquals(PassOutcome.VALID, verifier(es256).verify(pass(es256, "r"), now, true).outcome(),
                "no DCC key usage: every type");
    }

    @Test
    void theDenyListRevokesByTheDigestOfTheCertificateIdentifier() throws Exception {
        DenyList deny = new DenyList(3, Set.of(Hc1Verifier.ciDigest("URN:UVCI:01:DE:TESTv")));
        PassCheck check = verifier(deny, es256).verify(pass(es256, "v"), now, true);
        assertEquals(PassOutcome.REVOKED, check.outcome());
        assertEquals(3, check.denyListVersion());
        assertEquals(PassOutcome.VALID, verifier(deny, es256).verify(pass(es256, "t"), now, true).outcome());
    }

    @Test
    void aCompressionBombIsMalformedAtTheZlibStep() {
        byte[] zeros = new byte[40 * Hc1Verifier.MAX_INFLATED_BYTES];
        String text = Hc1TestIssuer.text(zeros);
        assertTrue(text.length() <= Hc1Verifier.MAX_TEXT_CHARS, "the bomb fits in a QR code: " + text.length());
        Hc1Verifier.Result r = verifier(es256).inspect(text, now, true);
        assertEquals(PassOutcome.MALFORMED, r.check().outcome());
        assertEquals(false, r.steps().get(Hc1Verifier.Step.ZLIB));
    }

    @Test
    void eachBrokenLayerIsMalformedAtItsOwnStep() throws Exception {
        Hc1Verifier v = verifier(es256);
        assertEquals(Map.of(Hc1Verifier.Step.PREFIX, false), v.inspect("HC2:6BFOXN", now, true).steps());
        assertEquals(PassOutcome.FOREIGN, v.inspect("HC2:6BFOXN", now, true).check().outcome());
        assertEquals(false, v.inspect("HC1:abc", now, true).steps().get(Hc1Verifier.Step.BASE45));
        byte[] cose = Hc1TestIssuer.coseBytes(Hc1TestIssuer.protectedHeader(-7, es256.kid()), new byte[] {1},
                new byte[64], true);
        String notCompressed = Hc1Verifier.PREFIX + Base45.encode(cose);
        assertEquals(false, v.inspect(notCompressed, now, true).steps().get(Hc1Verifier.Step.ZLIB));
        Hc1Verifier.Result notAMap = v.inspect(Hc1TestIssuer.text(cose), now, true);
        assertEquals(false, notAMap.steps().get(Hc1Verifier.Step.CBOR));
        assertEquals(PassOutcome.MALFORMED, notAMap.check().outcome());
        byte[] noHcert = Hc1TestIssuer.coseBytes(Hc1TestIssuer.protectedHeader(-7, es256.kid()),
                Hc1TestIssuer.protectedHeader(1, new byte[] {1}), new byte[64], true);
        assertEquals(false, v.inspect(Hc1TestIssuer.text(noHcert), now, true).steps().get(Hc1Verifier.Step.CBOR),
                "a CWT without a certificate under hcert has not decoded to a DCC");
        ObjectNode noType = Hc1TestIssuer.dcc("v", "ci-1", "DE");
        noType.remove("v");
        Hc1Verifier.Result r = v.inspect(es256.issue(noType, "DE", now.getEpochSecond(), now.getEpochSecond() + 60),
                now, true);
        assertEquals(true, r.steps().get(Hc1Verifier.Step.CBOR));
        assertEquals(false, r.steps().get(Hc1Verifier.Step.CLAIMS));
        assertEquals(PassOutcome.MALFORMED, r.check().outcome());
        assertTrue(r.check().hc1().isEmpty());
    }

    @Test
    void anotherTagOrTrailingBytesAreNotACoseSign1() throws Exception {
        byte[] good = Hc1TestIssuer.coseBytes(new byte[0], new byte[0], new byte[0], false);
        assertTrue(CoseSign1.parse(good).isPresent());
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
        assertTrue(CoseSign1.parse(trailing).isEmpty());
        byte[] tagged98 = new byte[good.length + 2];
        tagged98[0] = (byte) 0xD8;
        tagged98[1] = 98;
        System.arraycopy(good, 0, tagged98, 2, good.length);
        assertTrue(CoseSign1.parse(tagged98).isEmpty());
    }
}
