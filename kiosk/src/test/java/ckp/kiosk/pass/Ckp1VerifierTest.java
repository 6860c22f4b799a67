package ckp.kiosk.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class Ckp1VerifierTest {
    static final long NOW = 1_700_000_000L;
    static final KeyPair KEY = ed25519();
    static final KeyPair OTHER = ed25519();

    static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private final Ckp1Verifier verifier = new Ckp1Verifier(TrustStore.of(Map.of("k1", KEY.getPublic())),
            new DenyList(3, Set.of("GONE")), Duration.ofSeconds(300));

    private PassOutcome check(String claimsJson) {
        return verifier.verify(PassIssuer.sign(KEY.getPrivate(), claimsJson.getBytes(StandardCharsets.UTF_8)),
                Instant.ofEpochSecond(NOW), true).outcome();
    }

    private static String claims(String extra) {
        return "{\"v\":1,\"id\":\"P1\",\"kid\":\"k1\",\"cls\":\"F\",\"nbf\":" + (NOW - 100) + ",\"exp\":" + (NOW + 100)
                + extra + "}";
    }

    @Test
    void anIssuedPassVerifiesWithItsClaimsDigestAndTheDenyListVersion() {
        PassClaims c = new PassClaims("P-1", "k1", "P", Optional.of("鲁L12345"), Optional.of("ref-9"), NOW - 10, NOW + 10);
        String text = PassIssuer.issue(KEY.getPrivate(), c);
        PassCheck check = verifier.verify(text, Instant.ofEpochSecond(NOW), true);
        assertEquals(PassOutcome.VALID, check.outcome());
        assertEquals(Optional.of(c), check.claims());
        assertEquals(Optional.of(Ckp1Verifier.digest(text)), check.digest());
        assertEquals(16, check.digest().get().length());
        assertEquals(3, check.denyListVersion());
    }

    @Test
    void theValidityWindowEdgesAreInclusiveOfNbfMinusSkewAndExclusiveOfExpPlusSkew() {
        String c = "{\"v\":1,\"id\":\"P1\",\"kid\":\"k1\",\"cls\":\"F\",\"nbf\":" + NOW + ",\"exp\":" + (NOW + 1000) + "}";
        String text = PassIssuer.sign(KEY.getPrivate(), c.getBytes(StandardCharsets.UTF_8));
        assertEquals(PassOutcome.NOT_YET_VALID, verifier.verify(text, Instant.ofEpochSecond(NOW - 301), true).outcome());
        assertEquals(PassOutcome.VALID, verifier.verify(text, Instant.ofEpochSecond(NOW - 300), true).outcome());
        assertEquals(PassOutcome.VALID, verifier.verify(text, Instant.ofEpochSecond(NOW + 1299), true).outcome());
        assertEquals(PassOutcome.EXPIRED, verifier.verify(text, Instant.ofEpochSecond(NOW + 1300), true).outcome());
    }

    @Test
    void extremeNbfAndExpDoNotOverflowIntoTheWrongOutcome() {
        assertEquals(PassOutcome.VALID, check("{\"v\":1,\"id\":\"P1\",\"kid\":\"k1\",\"cls\":\"F\",\"nbf\":"
                + Long.MIN_VALUE + ",\"exp\":" + Long.MAX_VALUE + "}"));
        assertEquals(PassOutcome.NOT_YET_VALID, check("{\"v\":1,\"id\":\"P1\",\"kid\":\"k1\",\"cls\":\"F\",\"nbf\":"
                + (Long.MAX_VALUE - 1) + ",\"exp\":" + Long.MAX_VALUE + "}"));
        assertEquals(PassOutcome.EXPIRED, check("{\"v\":1,\"id\":\"P1\",\"kid\":\"k1\",\"cls\":\"F\",\"nbf\":"
                + Long.MIN_VALUE + ",\"exp\":" + (Long.MIN_VALUE + 1) + "}"));
    }

    @Test
    void anUnsyncedClockFlagsAGenuinePassButNotARevokedOrForgedOne() {
        Instant now = Instant.ofEpochSecond(NOW);
        String good = PassIssuer.sign(KEY.getPrivate(), claims("").getBytes(StandardCharsets.UTF_8));
        String revoked = PassIssuer.sign(KEY.getPrivate(), claims("").replace("P1", "GONE").getBytes(StandardCharsets.UTF_8));
        String forged = PassIssuer.sign(OTHER.getPrivate(), claims("").getBytes(StandardCharsets.UTF_8));
        assertEquals(PassOutcome.CLOCK_UNSYNCED, verifier.verify(good, now, false).outcome());
        assertEquals(PassOutcome.REVOKED, verifier.verify(revoked, now, false).outcome());
        assertEquals(PassOutcome.BAD_SIGNATURE, verifier.verify(forged, now, false).outcome());
    }

    @Test
    void membersOfTheWrongFormAreMalformedEvenWhenSigned() {
        assertEquals(PassOutcome.VALID, check(claims("")));
        assertEquals(PassOutcome.VALID, check(claims(",\"plate\":\"1234567890123456\",\"sub\":\"x\"")));
        assertEquals(PassOutcome.VALID, check(claims(",\"plate\":\"\\ud83d\\ude97\"")), "an escaped surrogate pair is one character");
        assertEquals(PassOutcome.MALFORMED, check(claims(",\"plate\":\"12345678901234567\"")), "17 characters");
        assertEquals(PassOutcome.MALFORMED, check(claims(",\"plate\":5")));
        assertEquals(PassOutcome.MALFORMED, check(claims(",\"plate\":null")));
        assertEquals(PassOutcome.MALFORMED, check(claims(",\"plate\":\"\\ud800\"")), "a lone surrogate is no character");
        assertEquals(PassOutcome.MALFORMED, check(claims(",\"sub\":\"" + "x".repeat(65) + "\"")));
        assertEquals(PassOutcome.MALFORMED, check(claims("").replace("\"F\"", "\"f\"")));
        assertEquals(PassOutcome.MALFORMED, check(claims("").replace("\"k1\"", "\"K1\"")));
        assertEquals(PassOutcome.MALFORMED, check(claims("").replace("\"P1\"", "\"P_1\"")));
        assertEquals(PassOutcome.MALFORMED, check(claims("").replace("\"P1\"", "\"" + "P".repeat(33) + "\"")));
        assertEquals(PassOutcome.MALFORMED, check(claims("").replace("\"v\":1", "\"v\":1.0")), "v is an integer");
        assertEquals(PassOutcome.MALFORMED, check(claims("").replace("\"v\":1", "\"v\":\"1\"")));
        assertEquals(PassOutcome.MALFORMED, check(claims("").replace("\"nbf\":", "\"nbf\":1e3,\"x\":")));
        assertEquals(PassOutcome.MALFORMED, check(claims("").replace("\"exp\":" + (NOW + 100), "\"exp\":99999999999999999999")));
        assertEquals(PassOutcome.MALFORMED, check(claims("").replace(",\"cls\":\"F\"", "")), "cls is required");
    }

    @Test
    void claimsMustBeOneStrictUtf8JsonObject() {
        assertEquals(PassOutcome.VALID, check(" " + claims("") + "\n"), "white space around the object is JSON");
        assertEquals(PassOutcome.VALID, check(claims(",\"zz\":{\"a\":[1,null,true]}")), "unknown members are ignored");
        assertEquals(PassOutcome.MALFORMED, check("[" + claims("") + "]"));
        assertEquals(PassOutcome.MALFORMED, check(claims("") + "{}"), "trailing content");
        assertEquals(PassOutcome.MALFORMED, check(claims(",\"id\":\"P2\"")), "a duplicate member could be read two ways");
        assertEquals(PassOutcome.MALFORMED, check("\uFEFF" + claims("")), "a byte order mark is not JSON");
        assertEquals(PassOutcome.MALFORMED, check(claims("").replace("{\"v\"", "{/*c*/\"v\"")), "no comments");
        assertEquals(PassOutcome.MALFORMED, check(claims("").replace("\"v\":1", "'v':1")), "no single quotes");
        assertEquals(PassOutcome.MALFORMED, check(claims(",\"zz\":NaN")));
        byte[] latin1 = claims(",\"plate\":\"\u00e9\"").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(PassOutcome.MALFORMED, verifier.verify(PassIssuer.sign(KEY.getPrivate(), latin1),
                Instant.ofEpochSecond(NOW), true).outcome(), "claims in Latin-1 are not UTF-8");
        byte[] cesu = claims(",\"plate\":\"X\"").replace("X", "\u0000").getBytes(StandardCharsets.UTF_8);
        cesu = new String(cesu, StandardCharsets.ISO_8859_1).replace("\u0000", "\u00ed\u00a0\u0080")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(PassOutcome.MALFORMED, verifier.verify(PassIssuer.sign(KEY.getPrivate(), cesu),
                Instant.ofEpochSecond(NOW), true).outcome(), "an encoded surrogate (CESU-8) is not UTF-8");
    }

    @Test
    void theChecksRunInTheContractsOrder() {
        // malformed before unknown key: a pass of an unknown issuer with a bad id
        assertEquals(PassOutcome.MALFORMED, check(claims("").replace("\"k1\"", "\"zz\"").replace("\"P1\"", "\"P 1\"")));
        // unknown key before bad signature: signed by someone else under a kid we do not have
        assertEquals(PassOutcome.UNKNOWN_KEY, verifier.verify(PassIssuer.sign(OTHER.getPrivate(),
                claims("").replace("\"k1\"", "\"zz\"").getBytes(StandardCharsets.UTF_8)), Instant.ofEpochSecond(NOW), true).outcome());
        // bad signature before revoked
        assertEquals(PassOutcome.BAD_SIGNATURE, verifier.verify(PassIssuer.sign(OTHER.getPrivate(),
                claims("").replace("P1", "GONE").getBytes(StandardCharsets.UTF_8)), Instant.ofEpochSecond(NOW), true).outcome());
        // revoked before expired
        assertEquals(PassOutcome.REVOKED, check(claims("").replace("P1", "GONE").replace("\"nbf\":" + (NOW - 100), "\"nbf\":" + (NOW - 9000))
                .replace("\"exp\":" + (NOW + 100), "\"exp\":" + (NOW - 5000))));
    }

    @Test
    void theTextLimitIs1024CharactersInAll() {
        // Pad the claims with an unknown member until the text is exactly 1024 characters, then one byte more.
        String base = claims(",\"zz\":\"\"");
        String text = PassIssuer.sign(KEY.getPrivate(), base.getBytes(StandardCharsets.UTF_8));
        int pad = 0;
        while (text.length() < 1024) {
            pad += Math.max(1, (1024 - text.length()) * 2 / 3 - 1);
            text = PassIssuer.sign(KEY.getPrivate(), base.replace("\"zz\":\"\"", "\"zz\":\"" + "a".repeat(pad) + "\"")
                    .getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(text.length() == 1024 || text.length() == 1025, "length " + text.length());
        PassOutcome expected = text.length() == 1024 ? PassOutcome.VALID : PassOutcome.MALFORMED;
        assertEquals(expected, verifier.verify(text, Instant.ofEpochSecond(NOW), true).outcome());
        String longer = PassIssuer.sign(KEY.getPrivate(), base.replace("\"zz\":\"\"", "\"zz\":\"" + "a".repeat(pad + 2)
                + "\"").getBytes(StandardCharsets.UTF_8));
        assertTrue(longer.length() > 1024);
        assertEquals(PassOutcome.MALFORMED, verifier.verify(longer, Instant.ofEpochSecond(NOW), true).outcome());
    }

    @Test
    void aForeignTextHasNoDigestAndFewerThan65BytesIsMalformed() {
        PassCheck foreign = verifier.verify("https://example.org/?id=110101199001011234", Instant.ofEpochSecond(NOW), true);
        assertEquals(PassOutcome.FOREIGN, foreign.outcome());
        assertFalse(foreign.digest().isPresent());
        assertEquals(PassOutcome.FOREIGN, verifier.verify("", Instant.ofEpochSecond(NOW), true).outcome());
        assertEquals(PassOutcome.MALFORMED, verifier.verify("CKP1:", Instant.ofEpochSecond(NOW), true).outcome());
        String exactly65 = "CKP1:" + Base45.encode(new byte[65]);
        String only64 = "CKP1:" + Base45.encode(new byte[64]);
        assertEquals(PassOutcome.MALFORMED, verifier.verify(only64, Instant.ofEpochSecond(NOW), true).outcome());
        assertEquals(PassOutcome.MALFORMED, verifier.verify(exactly65, Instant.ofEpochSecond(NOW), true).outcome(),
                "65 bytes hold a signature, but one zero byte is no JSON object");
    }
}
