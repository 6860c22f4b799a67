package ckp.kiosk.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.Settings;
import ckp.kiosk.pass.PassCheck;
import ckp.kiosk.pass.PassClaims;
import ckp.kiosk.pass.PassOutcome;
import ckp.kiosk.screening.TemperatureResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** docs/decisions.md's full table, row by row, against the code; then the site choices. */
class DecisionTableTest {
    private static final Pattern ROW = Pattern.compile(
            "\\| `([a-z_]+)` \\| `([a-z_]+)` \\| \\*\\*([a-z]+)\\*\\* \\| (.*?) \\| (.*?) \\|");

    record Row(PassOutcome pass, TemperatureResult.Kind temperature, Decision decision, List<String> reasons,
               Optional<String> alarm) {
    }

    static Path docs() {
        String root = System.getProperty("ckp.root");
        return root != null ? Path.of(root, "docs", "decisions.md") : Path.of("..", "docs", "decisions.md");
    }

    static List<Row> documentedRows() throws IOException {
        String md = Files.readString(docs(), StandardCharsets.UTF_8);
        String table = md.substring(md.indexOf("## Full table"));
        List<Row> rows = new ArrayList<>();
        for (String line : table.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                rows.add(new Row(PassOutcome.valueOf(m.group(1).toUpperCase(Locale.ROOT)),
                        TemperatureResult.Kind.valueOf(m.group(2).toUpperCase(Locale.ROOT)),
                        Decision.valueOf(m.group(3).toUpperCase(Locale.ROOT)), words(m.group(4)),
                        words(m.group(5)).stream().findFirst()));
            }
        }
        return rows;
    }

    private static List<String> words(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("`([a-z_-]+)`").matcher(cell);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void theDocumentedTableHasEveryCombinationOfPassOutcomeAndTemperatureExactlyOnce() throws IOException {
        List<Row> rows = documentedRows();
        Set<String> seen = new HashSet<>();
        for (Row r : rows) {
            assertTrue(seen.add(r.pass() + "/" + r.temperature()), "twice in docs/decisions.md: " + r);
        }
        assertEquals(PassOutcome.values().length * TemperatureResult.Kind.values().length, rows.size());
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentedRowIsWhatTheCodeDecides() throws IOException {
        DecisionTable table = new DecisionTable();
        return documentedRows().stream().map(r -> DynamicTest.dynamicTest(
                r.pass().wire() + " + " + r.temperature().wire() + " -> " + r.decision().wire(), () -> {
                    DecisionTable.Verdict v = table.decide(r.pass(), r.temperature());
                    assertEquals(r.decision(), v.decision(), "decision");
                    assertEquals(r.reasons(), v.reasons(), "reasons");
                    assertEquals(r.alarm(), v.alarm(), "alarm");
                }));
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentedRowWithTwoPassesInViewIsWhatTheCodeDecides() throws IOException {
        String md = Files.readString(docs(), StandardCharsets.UTF_8);
        String section = md.substring(md.indexOf("## Two passes in view"), md.indexOf("## Site choices"));
        List<Row> rows = new ArrayList<>();
        for (String line : section.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                rows.add(new Row(PassOutcome.valueOf(m.group(1).toUpperCase(Locale.ROOT)),
                        TemperatureResult.Kind.valueOf(m.group(2).toUpperCase(Locale.ROOT)),
                        Decision.valueOf(m.group(3).toUpperCase(Locale.ROOT)), words(m.group(4)),
                        words(m.group(5)).stream().findFirst()));
            }
        }
        assertTrue(rows.size() >= 4, "docs/decisions.md documents rows for two passes in view: " + rows);
        DecisionTable table = new DecisionTable();
        return rows.stream().map(r -> DynamicTest.dynamicTest(
                "two passes, strictest " + r.pass().wire() + " + " + r.temperature().wire() + " -> " + r.decision().wire(), () -> {
                    DecisionTable.Verdict v = table.decide(r.pass(), true, r.temperature());
                    assertEquals(r.decision(), v.decision(), "decision");
                    assertEquals(r.reasons(), v.reasons(), "reasons");
                    assertEquals(r.alarm(), v.alarm(), "alarm");
                }));
    }

    @Test
    void twoValidPassesInViewNeverOpenTheBarrier() {
        DecisionTable.Verdict v = new DecisionTable().decide(PassOutcome.VALID, true, TemperatureResult.Kind.NORMAL);
        assertEquals(Decision.MANUAL, v.decision());
        assertEquals(List.of(DecisionTable.MULTIPLE_PASSES), v.reasons());
    }

    private static DecisionConfig configOf(Map<String, String> values) throws ConfigException {
        return DecisionConfig.from(new Settings(values, DecisionConfig.KEYS, null));
    }

    @Test
    void withNoKeysSetTheConfigIsTheDocumentedDefaults() throws ConfigException {
        assertEquals(DecisionConfig.DEFAULTS, configOf(Map.of()));
        assertEquals(9, DecisionConfig.KEYS.size());
    }

    @Test
    void aSiteCanHoldForeignCodesButTheFeverStillWinsAndReasonsStayComplete() throws ConfigException {
        DecisionTable table = new DecisionTable(configOf(Map.of("decision.on.foreign", "stop")));
        assertEquals(Decision.STOP, table.decide(PassOutcome.FOREIGN, TemperatureResult.Kind.NORMAL).decision());
        assertEquals(Decision.MANUAL, table.decide(PassOutcome.EXPIRED, TemperatureResult.Kind.NORMAL).decision());
        DecisionTable.Verdict v = table.decide(PassOutcome.FOREIGN, TemperatureResult.Kind.UNAVAILABLE);
        assertEquals(Decision.STOP, v.decision());
        assertEquals(List.of("pass_foreign", "temperature_unavailable"), v.reasons());
    }

    @Test
    void aSiteThatTrustsGenuinePassesWhileItsClockCatchesUpPassesThemOnlyWithANormalTemperature()
            throws ConfigException {
        DecisionTable table = new DecisionTable(configOf(Map.of("decision.on.clock.unsynced", "pass")));
        DecisionTable.Verdict v = table.decide(PassOutcome.CLOCK_UNSYNCED, TemperatureResult.Kind.NORMAL);
        assertEquals(Decision.PASS, v.decision());
        assertEquals(List.of("pass_clock_unsynced"), v.reasons(), "the event still says why");
        assertEquals(Decision.STOP, table.decide(PassOutcome.CLOCK_UNSYNCED, TemperatureResult.Kind.FEVER).decision());
    }

    @Test
    void aRevokedPassSentToAnOfficerStillRaisesTheFraudAlarm() throws ConfigException {
        DecisionTable table = new DecisionTable(configOf(Map.of("decision.on.revoked", "manual",
                "decision.on.bad.signature", "manual")));
        for (PassOutcome p : List.of(PassOutcome.REVOKED, PassOutcome.BAD_SIGNATURE)) {
            DecisionTable.Verdict v = table.decide(p, TemperatureResult.Kind.NORMAL);
            assertEquals(Decision.MANUAL, v.decision());
            assertEquals(Optional.of(DecisionTable.FRAUD_ALARM), v.alarm());
        }
    }

    @Test
    void noKeyLetsAForgedRevokedOrUnverifiedPassOpenTheBarrier() {
        for (String key : List.of("decision.on.revoked", "decision.on.bad.signature", "decision.on.unknown.key",
                "decision.on.malformed", "decision.on.foreign", "decision.on.expired", "decision.on.not.yet.valid")) {
            ConfigException e = assertThrows(ConfigException.class, () -> configOf(Map.of(key, "pass")));
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
        assertThrows(ConfigException.class, () -> configOf(Map.of("decision.on.expired", "wave")));
        assertThrows(ConfigException.class, () -> configOf(Map.of("decision.on.valid", "stop")), "valid is not a key");
    }

    private static PassCheck withPlate(PassOutcome outcome, String plate) {
        return new PassCheck(outcome, Optional.of(new PassClaims("P-1", "k1", "F", Optional.ofNullable(plate),
                Optional.empty(), 0, 10)), Optional.of("00"), Optional.empty(), 0);
    }

    /** Rules that watch every plate with this decision, at version 7. */
    private static PlateWatch watching(Decision decision) {
        return claims -> new PlateWatch.Finding(7, claims.flatMap(PassClaims::plate)
                .map(plate -> new PlateWatch.Hit("鄂A", decision, "site")));
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentedRowWithAWatchedPlateIsTheStricterOfTheRowAndTheRule() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Row r : documentedRows()) {
            for (Decision byRule : List.of(Decision.MANUAL, Decision.STOP)) {
                tests.add(DynamicTest.dynamicTest(r.pass().wire() + " + " + r.temperature().wire() + " + watch "
                        + byRule.wire(), () -> {
                    DecisionTable.Verdict v = new DecisionTable(DecisionConfig.DEFAULTS, watching(byRule))
                            .decide(withPlate(r.pass(), "鄂A12345"), false, r.temperature());
                    Decision expected = r.decision() == Decision.STOP || byRule == Decision.STOP ? Decision.STOP
                            : Decision.MANUAL;
                    assertEquals(expected, v.decision(), "decision");
                    List<String> reasons = new ArrayList<>(r.reasons());
                    reasons.add(DecisionTable.PLATE_WATCH);
                    assertEquals(reasons, v.reasons(), "the row's reasons, then plate_watch");
                    assertEquals(r.alarm(), v.alarm(), "alarm");
                    assertEquals(7, v.watch().rulesVersion());
                    assertEquals(Optional.of(new PlateWatch.Hit("鄂A", byRule, "site")), v.watch().hit());
                }));
            }
            tests.add(DynamicTest.dynamicTest(r.pass().wire() + " + " + r.temperature().wire() + " + no plate", () -> {
                DecisionTable.Verdict v = new DecisionTable(DecisionConfig.DEFAULTS, watching(Decision.STOP))
                        .decide(withPlate(r.pass(), null), false, r.temperature());
                assertEquals(r.decision(), v.decision(), "a pass without a plate claim is never matched");
                assertEquals(r.reasons(), v.reasons());
                assertEquals(7, v.watch().rulesVersion());
                assertTrue(v.watch().hit().isEmpty());
            }));
        }
        return tests.stream();
    }

    @Test
    void aCodeWithoutClaimsIsNeverWatchedAndTwoPassesInViewStillNeedAnOfficer() {
        DecisionTable table = new DecisionTable(DecisionConfig.DEFAULTS, watching(Decision.STOP));
        for (PassOutcome noClaims : List.of(PassOutcome.FOREIGN, PassOutcome.MALFORMED, PassOutcome.RECORDED)) {
            DecisionTable.Verdict v = table.decide(new PassCheck(noClaims, Optional.empty(), Optional.empty(),
                    Optional.empty(), 0), false, TemperatureResult.Kind.NORMAL);
            assertTrue(v.watch().hit().isEmpty(), noClaims.wire());
            assertTrue(!v.reasons().contains(DecisionTable.PLATE_WATCH), noClaims.wire());
        }
        DecisionTable.Verdict two = new DecisionTable(DecisionConfig.DEFAULTS, watching(Decision.MANUAL))
                .decide(withPlate(PassOutcome.VALID, "湘B00001"), true, TemperatureResult.Kind.NORMAL);
        assertEquals(Decision.MANUAL, two.decision());
        assertEquals(List.of(DecisionTable.MULTIPLE_PASSES, DecisionTable.PLATE_WATCH), two.reasons());
    }
}
