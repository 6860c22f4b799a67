package ckp.kiosk.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.fixtures.MessageSchema;
import ckp.kiosk.pass.DenyList;
import ckp.kiosk.pass.PassCheck;
import ckp.kiosk.pass.PassChecker;
import ckp.kiosk.pass.PassOutcome;
import ckp.kiosk.pass.PlatePrivacy;
import ckp.kiosk.pass.TrustStore;
import ckp.kiosk.screening.TemperatureResult;
import ckp.kiosk.message.Stamp;
import ckp.kiosk.store.Uuid7;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Events of HC1 passes (official test cases from src/test/resources/dcc): each outcome matches the event schema, the
 * pass object carries format, type, country, kid and the ci digest, and neither the holder's name nor date of birth nor
 * the certificate identifier reaches the JSON.
 */
class Hc1EventTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<PassOutcome, PassCheck> CHECKS = new EnumMap<>(PassOutcome.class);
    /** What the common/ cases' certificates hold about the holder, none of which may appear in an event. */
    static final List<String> PERSONAL = List.of("Musterfrau", "MUSTERFRAU", "Gabriele", "GABRIELE", "1998-02-26",
            "URN:UVCI", "urn:uvci");
    static String validCi;

    record OfficialCase(String text, X509Certificate signer, Instant clock) {
    }

    static OfficialCase officialCase(String name) throws Exception {
        JsonNode c;
        try (InputStream in = Hc1EventTest.class.getResourceAsStream("/dcc/common/2DCode/raw/" + name + ".json")) {
            c = JSON.readTree(in);
        }
        X509Certificate cert = TrustStore.parseCertificate(Base64.getMimeDecoder().decode(
                c.at("/TESTCTX/CERTIFICATE").textValue()));
        return new OfficialCase(c.get("PREFIX").textValue(), cert,
                Instant.parse(c.at("/TESTCTX/VALIDATIONCLOCK").textValue()));
    }

    static PassCheck check(OfficialCase c, DenyList deny, boolean synced) {
        ClockStatus clock = ClockStatus.fixed(Clock.fixed(c.clock(), ZoneOffset.UTC), synced);
        return new PassChecker(false, TrustStore.of(Map.of(), List.of(c.signer())), Optional.empty(), deny,
                Duration.ofSeconds(300), clock, Optional.empty()).check(c.text());
    }

    static void put(PassOutcome expected, PassCheck check) {
        assertEquals(expected, check.outcome(), "the fixture for " + expected);
        CHECKS.put(expected, check);
    }

    @BeforeAll
    static void checkOneOfficialPassOfEachOutcome() throws Exception {
        OfficialCase valid = officialCase("CO1");
        PassCheck validCheck = check(valid, DenyList.EMPTY, true);
        put(PassOutcome.VALID, validCheck);
        put(PassOutcome.REVOKED, check(valid, new DenyList(4, Set.of(validCheck.hc1().orElseThrow().ciDigest())),
                true));
        put(PassOutcome.CLOCK_UNSYNCED, check(valid, DenyList.EMPTY, false));
        put(PassOutcome.KEY_USAGE_MISMATCH, check(officialCase("CO6"), DenyList.EMPTY, true));
        put(PassOutcome.BAD_SIGNATURE, check(officialCase("CO5"), DenyList.EMPTY, true));
        put(PassOutcome.EXPIRED, check(officialCase("CO17"), DenyList.EMPTY, true));
        put(PassOutcome.NOT_YET_VALID, check(officialCase("CO16"), DenyList.EMPTY, true));
        put(PassOutcome.UNKNOWN_KEY, check(officialCase("CO22"), DenyList.EMPTY, true));
        put(PassOutcome.MALFORMED, check(officialCase("Z1"), DenyList.EMPTY, true));
        put(PassOutcome.FOREIGN, check(officialCase("H2"), DenyList.EMPTY, true));
    }

    static byte[] event(PassCheck check, TemperatureResult.Kind kind, boolean multiplePasses, long seq) {
        TemperatureResult t = kind == TemperatureResult.Kind.NORMAL
                ? new TemperatureResult(kind, OptionalDouble.of(36.6), OptionalDouble.of(22.5), 3, 0.1, "")
                : new TemperatureResult(kind, OptionalDouble.empty(), OptionalDouble.empty(), 0, 0, "fault");
        CheckpointEvent e = new CheckpointEvent(check, t, new DecisionTable().decide(check.outcome(), multiplePasses,
                kind), 1_000_000, 2_000_000, 3_000_000);
        Stamp stamp = new Stamp(Uuid7.at(1_700_000_000_000L + seq), seq, Instant.ofEpochSecond(1_700_000_000L), true,
                "boot-1");
        return json(stamp, e.payload(PlatePrivacy.MASKED));
    }

    @Test
    void everyHc1EventMatchesTheSchemaAndHoldsNothingPersonal() {
        long seq = 1;
        for (PassCheck check : CHECKS.values()) {
            for (TemperatureResult.Kind kind : List.of(TemperatureResult.Kind.NORMAL, TemperatureResult.Kind.UNAVAILABLE)) {
                for (boolean multiple : new boolean[] {false, true}) {
                    byte[] json = event(check, kind, multiple, seq++);
                    MessageSchema.EVENT.assertValid(json);
                    String text = new String(json, StandardCharsets.UTF_8);
                    for (String personal : PERSONAL) {
                        assertFalse(text.contains(personal), check.outcome() + " leaks " + personal + ": " + text);
                    }
                }
            }
        }
    }

    @Test
    void theEventsPassObjectCarriesFormatTypeCountryKidAndTheCiDigest() throws Exception {
        JsonNode pass = JSON.readTree(event(CHECKS.get(PassOutcome.VALID), TemperatureResult.Kind.NORMAL, false, 1))
                .get("pass");
        assertEquals("valid", pass.get("result").textValue());
        assertEquals("HC1", pass.get("format").textValue());
        assertEquals("v", pass.get("type").textValue());
        assertEquals("AT", pass.get("country").textValue());
        assertEquals(CHECKS.get(PassOutcome.VALID).hc1().orElseThrow().kid(), pass.get("kid").textValue());
        assertTrue(pass.get("ciDigest").textValue().matches("[0-9a-f]{32}"));
        assertTrue(pass.get("id").isNull() && pass.get("cls").isNull() && pass.get("plate").isNull());
        JsonNode malformed = JSON.readTree(event(CHECKS.get(PassOutcome.MALFORMED), TemperatureResult.Kind.NORMAL,
                false, 2)).get("pass");
        assertEquals("HC1", malformed.get("format").textValue());
        assertTrue(malformed.get("type").isNull() && malformed.get("ciDigest").isNull());
        JsonNode foreign = JSON.readTree(event(CHECKS.get(PassOutcome.FOREIGN), TemperatureResult.Kind.NORMAL,
                false, 3)).get("pass");
        assertTrue(foreign.get("format").isNull(), "HC2: is no pass format");
    }

    @Test
    void aKeyUsageMismatchIsCheckedByHandAndARevokedHc1PassRaisesTheFraudAlarm() throws Exception {
        DecisionTable.Verdict mismatch = new DecisionTable().decide(PassOutcome.KEY_USAGE_MISMATCH,
                TemperatureResult.Kind.NORMAL);
        assertEquals(Decision.MANUAL, mismatch.decision());
        assertEquals(List.of("pass_key_usage_mismatch"), mismatch.reasons());
        assertTrue(mismatch.alarm().isEmpty());
        PassCheck revoked = CHECKS.get(PassOutcome.REVOKED);
        CheckpointEvent e = new CheckpointEvent(revoked, new TemperatureResult(TemperatureResult.Kind.NORMAL,
                OptionalDouble.of(36.6), OptionalDouble.of(22.5), 3, 0.1, ""),
                new DecisionTable().decide(PassOutcome.REVOKED, TemperatureResult.Kind.NORMAL), 0, 0, 0);
        Stamp stamp = new Stamp(Uuid7.at(1_700_000_000_000L), 1, Instant.ofEpochSecond(1_700_000_000L), true, "b");
        byte[] alarm = json(stamp, e.fraudAlarm(Uuid7.at(1_700_000_000_000L)));
        MessageSchema.ALARM.assertValid(alarm);
        assertEquals(revoked.hc1().orElseThrow().kid(), JSON.readTree(alarm).at("/detail/kid").textValue());
    }

    /** The message as the store writes it. */
    private static byte[] json(Stamp stamp, ckp.kiosk.message.Payload payload) {
        return ckp.kiosk.store.PayloadJson.encode(new ckp.kiosk.message.Topics("ckp/v1", "g15-north", "lane3", "k-07"),
                stamp, payload);
    }
}
