package ckp.kiosk.lane;

import ckp.kiosk.fixtures.MessageSchema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.config.KioskIdentity;
import ckp.kiosk.pass.DenyList;
import ckp.kiosk.pass.PassCheck;
import ckp.kiosk.pass.PassChecker;
import ckp.kiosk.pass.PassClaims;
import ckp.kiosk.pass.PassIssuer;
import ckp.kiosk.pass.PassOutcome;
import ckp.kiosk.pass.PlatePrivacy;
import ckp.kiosk.pass.SaltedHash;
import ckp.kiosk.pass.TrustStore;
import ckp.kiosk.screening.TemperatureResult;
import ckp.kiosk.message.Payload;
import ckp.kiosk.message.Stamp;
import ckp.kiosk.message.Topics;
import ckp.kiosk.store.PayloadJson;
import ckp.kiosk.store.Uuid7;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The event JSON for every pass outcome, temperature result, plate privacy and with or without several passes in view,
 * validated against its schema.
 */
class CheckpointEventTest {
    static final long NOW = 1_700_000_000L;
    static final KioskIdentity KIOSK = new KioskIdentity("k-07", "g15-north", "lane3");
    static final SaltedHash SALT = new SaltedHash("0123456789abcdef-site-salt".getBytes(StandardCharsets.US_ASCII));
    static final String PLATE = "鲁L12345";
    static final Map<PassOutcome, PassCheck> CHECKS = new EnumMap<>(PassOutcome.class);
    static final Map<PassOutcome, String> TEXTS = new EnumMap<>(PassOutcome.class);

    @BeforeAll
    static void checkOnePassOfEachOutcome() throws Exception {
        KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        ClockStatus synced = ClockStatus.fixed(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC), true);
        ClockStatus unsynced = ClockStatus.fixed(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC), false);
        TrustStore trust = TrustStore.of(Map.of("k1", key.getPublic()));
        DenyList deny = new DenyList(0, Set.of("GONE"));
        PassChecker verify = new PassChecker(false, trust, Optional.empty(), deny, Duration.ofSeconds(300), synced,
                Optional.of(SALT));
        PassChecker clockless = new PassChecker(false, trust, Optional.empty(), deny, Duration.ofSeconds(300),
                unsynced, Optional.of(SALT));
        PassChecker record = new PassChecker(true, trust, Optional.empty(), deny, Duration.ofSeconds(300), synced,
                Optional.of(SALT));
        String valid = pass(key, "P1", "k1", NOW - 10, NOW + 10);
        put(PassOutcome.VALID, verify, valid);
        put(PassOutcome.EXPIRED, verify, pass(key, "P2", "k1", NOW - 9000, NOW - 5000));
        put(PassOutcome.NOT_YET_VALID, verify, pass(key, "P3", "k1", NOW + 5000, NOW + 9000));
        put(PassOutcome.BAD_SIGNATURE, verify, pass(other, "P4", "k1", NOW - 10, NOW + 10));
        put(PassOutcome.UNKNOWN_KEY, verify, pass(other, "P5", "zz", NOW - 10, NOW + 10));
        put(PassOutcome.REVOKED, verify, pass(key, "GONE", "k1", NOW - 10, NOW + 10));
        put(PassOutcome.MALFORMED, verify, "CKP1:" + valid.substring(5, 40));
        put(PassOutcome.FOREIGN, verify, "https://example.org/?plate=" + PLATE);
        put(PassOutcome.CLOCK_UNSYNCED, clockless, valid);
        put(PassOutcome.RECORDED, record, "110101199001011234");
    }

    private static String pass(KeyPair key, String id, String kid, long nbf, long exp) {
        return PassIssuer.issue(key.getPrivate(), new PassClaims(id, kid, "F", Optional.of(PLATE), Optional.empty(), nbf, exp));
    }

    private static void put(PassOutcome expected, PassChecker checker, String text) {
        PassCheck c = checker.check(text);
        assertEquals(expected, c.outcome(), "the fixture for " + expected);
        CHECKS.put(expected, c);
        TEXTS.put(expected, text);
    }

    static TemperatureResult temperature(TemperatureResult.Kind kind) {
        return switch (kind) {
            case NORMAL -> new TemperatureResult(kind, OptionalDouble.of(36.6), OptionalDouble.of(22.5), 3, 0.1, "");
            case FEVER -> new TemperatureResult(kind, OptionalDouble.of(38.4), OptionalDouble.of(22.5), 3, 0.2, "");
            case RETEST -> new TemperatureResult(kind, OptionalDouble.of(36.9), OptionalDouble.of(22.5), 3, 0.9, "");
            case OUT_OF_ENVELOPE -> new TemperatureResult(kind, OptionalDouble.empty(), OptionalDouble.of(41.0), 0, 0, "ambient");
            case INVALID, UNAVAILABLE -> new TemperatureResult(kind, OptionalDouble.empty(), OptionalDouble.empty(), 0, 0, "fault");
        };
    }

    @Test
    void everyEventOfEveryOutcomeResultAndPlatePrivacyMatchesTheSchema() {
        DecisionTable table = new DecisionTable();
        int n = 0;
        long seq = 1;
        for (PlatePrivacy privacy : List.of(PlatePrivacy.MASKED, PlatePrivacy.CLEAR, PlatePrivacy.hashed(SALT))) {
            for (PassCheck check : CHECKS.values()) {
                for (TemperatureResult.Kind kind : TemperatureResult.Kind.values()) {
                  for (boolean multiplePasses : new boolean[] {false, true}) {
                    CheckpointEvent e = new CheckpointEvent(check, temperature(kind), table.decide(check.outcome(), multiplePasses, kind),
                            12_345_678, 1_500_000_000, 1_800_000_000);
                    Stamp stamp = new Stamp(Uuid7.at(NOW * 1000 + seq), seq++, Instant.ofEpochSecond(NOW, 123_000_000),
                            kind != TemperatureResult.Kind.RETEST, "boot-1");
                    MessageSchema.EVENT.assertValid(json(stamp, e.payload(privacy)));
                    n++;
                  }
                }
            }
        }
        assertEquals(3 * 10 * 6 * 2, n);
    }

    @Test
    void anEventCarriesThePassTheTemperatureTheDecisionAndTimingsButNeverTheRawText() throws Exception {
        PassCheck check = CHECKS.get(PassOutcome.VALID);
        CheckpointEvent e = new CheckpointEvent(check, temperature(TemperatureResult.Kind.NORMAL),
                new DecisionTable().decide(PassOutcome.VALID, TemperatureResult.Kind.NORMAL), 12_345_678, 1_500_000_000,
                1_800_000_000);
        byte[] json = json(new Stamp(Uuid7.at(NOW * 1000), 7, Instant.ofEpochSecond(NOW), true, "b"),
                e.payload(PlatePrivacy.MASKED));
        JsonNode o = new ObjectMapper().readTree(json);
        assertEquals("valid", o.at("/pass/result").asText());
        assertEquals("P1", o.at("/pass/id").asText());
        assertEquals("F", o.at("/pass/cls").asText());
        assertEquals("k1", o.at("/pass/kid").asText());
        assertEquals("鲁L***45", o.at("/pass/plate").asText());
        assertEquals("masked", o.at("/pass/platePrivacy").asText());
        assertEquals(check.digest().orElseThrow(), o.at("/pass/digest").asText());
        assertEquals("normal", o.at("/temperature/result").asText());
        assertEquals(36.6, o.at("/temperature/celsius").asDouble());
        assertEquals("pass", o.at("/decision").asText());
        assertEquals(0, o.at("/reasons").size());
        assertTrue(o.at("/alarm").isNull());
        assertEquals(12.35, o.at("/timings/decodeMs").asDouble());
        assertEquals(1500.0, o.at("/timings/measureMs").asDouble());
        assertEquals(1800.0, o.at("/timings/totalMs").asDouble());
    }

    @Test
    void aNegativeTimingIsRecordedAsZeroAndTheEventKept() throws Exception {
        CheckpointEvent e = new CheckpointEvent(CHECKS.get(PassOutcome.VALID), temperature(TemperatureResult.Kind.NORMAL),
                new DecisionTable().decide(PassOutcome.VALID, TemperatureResult.Kind.NORMAL), -5, 2_000_000, -1);
        byte[] json = json(new Stamp(Uuid7.at(NOW * 1000), 1, Instant.ofEpochSecond(NOW), true, "b"),
                e.payload(PlatePrivacy.MASKED));
        MessageSchema.EVENT.assertValid(json);
        JsonNode o = new ObjectMapper().readTree(json);
        assertEquals(0.0, o.at("/timings/decodeMs").asDouble());
        assertEquals(2.0, o.at("/timings/measureMs").asDouble());
        assertEquals(0.0, o.at("/timings/totalMs").asDouble());
    }

    @Test
    void noEventHoldsTheScannedTextOrAPlateItMustNotShow() {
        List<String> leaks = new ArrayList<>();
        for (PlatePrivacy privacy : List.of(PlatePrivacy.MASKED, PlatePrivacy.hashed(SALT))) {
            for (Map.Entry<PassOutcome, PassCheck> c : CHECKS.entrySet()) {
                CheckpointEvent e = new CheckpointEvent(c.getValue(), temperature(TemperatureResult.Kind.NORMAL),
                        new DecisionTable().decide(c.getKey(), TemperatureResult.Kind.NORMAL), 0, 0, 0);
                String json = new String(json(new Stamp(Uuid7.at(NOW * 1000), 1, Instant.ofEpochSecond(NOW), true,
                        "b"), e.payload(privacy)), StandardCharsets.UTF_8);
                String text = TEXTS.get(c.getKey());
                if (json.contains(text) || json.contains(text.substring(Math.min(5, text.length())))
                        || json.contains("12345") || json.contains("110101199001011234")) {
                    leaks.add(c.getKey() + "/" + privacy.mode() + ": " + json);
                }
            }
        }
        assertEquals(List.of(), leaks);
    }

    @Test
    void aRevokedPassRaisesAFraudAlarmThatNamesItsEvent() throws Exception {
        PassCheck revoked = CHECKS.get(PassOutcome.REVOKED);
        CheckpointEvent e = new CheckpointEvent(revoked, temperature(TemperatureResult.Kind.NORMAL),
                new DecisionTable().decide(PassOutcome.REVOKED, TemperatureResult.Kind.NORMAL), 0, 0, 0);
        java.util.UUID eventId = Uuid7.at(NOW * 1000);
        JsonNode alarm = new ObjectMapper().readTree(json(
                new Stamp(Uuid7.at(NOW * 1000 + 1), 1, Instant.ofEpochSecond(NOW), true, "b"), e.fraudAlarm(eventId)));
        assertEquals("fraud-suspected", alarm.get("alarm").asText());
        assertEquals(eventId.toString(), alarm.get("detail").get("event").asText());
        assertEquals("revoked", alarm.get("detail").get("passResult").asText());
        assertEquals("GONE", alarm.get("detail").get("passId").asText());
        assertEquals("stop", alarm.get("detail").get("decision").asText());
        assertFalse(alarm.toString().contains(PLATE));
        MessageSchema.ALARM.assertValid(alarm.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSchemaRefusesEventsThatBreakTheContract() {
        String good = new String(json(new Stamp(Uuid7.at(NOW * 1000), 1, Instant.ofEpochSecond(NOW), true, "b"),
                new CheckpointEvent(CHECKS.get(PassOutcome.VALID), temperature(TemperatureResult.Kind.NORMAL),
                        new DecisionTable().decide(PassOutcome.VALID, TemperatureResult.Kind.NORMAL), 0, 0, 0)
                        .payload(PlatePrivacy.MASKED)), StandardCharsets.UTF_8);
        MessageSchema.EVENT.assertValid(good.getBytes(StandardCharsets.UTF_8));
        List<String> broken = List.of(
                good.replace("\"decision\":\"pass\"", "\"decision\":\"wave\""),
                good.replace("\"pass\":{", "\"pass\":{\"text\":\"CKP1:raw\","),
                good.replace("\"result\":\"valid\"", "\"result\":\"recorded\""),
                good.replace("\"decision\":\"pass\"", "\"decision\":\"stop\""),
                good.replace("\"alarm\":null", "\"alarm\":\"fraud-suspected\""),
                good.replace("\"seq\":1", "\"seq\":0"));
        for (String b : broken) {
            assertFalse(MessageSchema.EVENT.problems(b.getBytes(StandardCharsets.UTF_8)).isEmpty(), b);
        }
    }

    @Test
    void aWatchedPlateShowsItsRuleAndPrefixOnlyAsFarAsPlatePrivacyShowsThePlate() throws Exception {
        PassCheck check = new PassCheck(PassOutcome.VALID, Optional.of(new PassClaims("W-1", "k1", "F",
                Optional.of("鄂A12345"), Optional.empty(), NOW - 10, NOW + 10)), Optional.of("0011223344556677"),
                Optional.empty(), 0);
        PlateWatch rules = claims -> new PlateWatch.Finding(9, Optional.of(new PlateWatch.Hit("鄂A", Decision.MANUAL,
                "site")));
        DecisionTable.Verdict verdict = new DecisionTable(DecisionConfig.DEFAULTS, rules).decide(check, false,
                TemperatureResult.Kind.NORMAL);
        Map<PlatePrivacy.Mode, String> prefixes = new EnumMap<>(PlatePrivacy.Mode.class);
        for (PlatePrivacy privacy : List.of(PlatePrivacy.CLEAR, PlatePrivacy.MASKED, PlatePrivacy.hashed(SALT))) {
            byte[] json = json(new Stamp(Uuid7.at(NOW * 1000), 1, Instant.ofEpochSecond(NOW), true, "b"),
                    new CheckpointEvent(check, temperature(TemperatureResult.Kind.NORMAL), verdict, 0, 0, 0)
                            .payload(privacy));
            MessageSchema.EVENT.assertValid(json);
            JsonNode o = new ObjectMapper().readTree(json);
            assertEquals("manual", o.get("decision").asText());
            assertEquals("[\"plate_watch\"]", o.get("reasons").toString());
            assertEquals(9, o.at("/plateWatch/rulesVersion").asLong());
            assertEquals("manual", o.at("/plateWatch/decision").asText());
            assertEquals("site", o.at("/plateWatch/source").asText());
            prefixes.put(privacy.mode(), o.at("/plateWatch/prefix").isNull() ? null : o.at("/plateWatch/prefix").asText());
            if (privacy.mode() != PlatePrivacy.Mode.CLEAR) {
                assertFalse(new String(json, StandardCharsets.UTF_8).contains("鄂A12345"), privacy.mode().wire());
            }
        }
        assertEquals("鄂A", prefixes.get(PlatePrivacy.Mode.CLEAR));
        assertEquals("鄂A", prefixes.get(PlatePrivacy.Mode.MASKED), "the masked plate 鄂A***45 shows as much");
        assertEquals(null, prefixes.get(PlatePrivacy.Mode.HASHED), "a hashed plate's origin is not published");
    }

    @Test
    void anUnwatchedEventCarriesTheRulesVersionAndNoMatch() throws Exception {
        PassCheck check = CHECKS.get(PassOutcome.VALID);
        DecisionTable.Verdict verdict = new DecisionTable(DecisionConfig.DEFAULTS,
                claims -> new PlateWatch.Finding(4, Optional.empty())).decide(check, false, TemperatureResult.Kind.NORMAL);
        JsonNode o = new ObjectMapper().readTree(json(new Stamp(Uuid7.at(NOW * 1000), 1, Instant.ofEpochSecond(NOW),
                true, "b"), new CheckpointEvent(check, temperature(TemperatureResult.Kind.NORMAL), verdict, 0, 0, 0)
                .payload(PlatePrivacy.MASKED)));
        assertEquals("pass", o.get("decision").asText());
        assertEquals("{\"rulesVersion\":4,\"prefix\":null,\"decision\":null,\"source\":null}",
                o.get("plateWatch").toString());
    }

    /** The message as the store writes it, for the kiosk {@link #KIOSK}. */
    private static byte[] json(Stamp stamp, Payload payload) {
        return PayloadJson.encode(new Topics("ckp/v1", KIOSK.site(), KIOSK.lane(), KIOSK.id()), stamp, payload);
    }
}
