package ckp.kiosk.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.lane.Decision;
import ckp.kiosk.lane.PlateWatch;
import ckp.kiosk.pass.PassClaims;
import ckp.kiosk.site.SiteMessageFeed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules document's format, refused whole when any part breaks it, and which plates its rules cover. */
class PlateWatchRulesTest {
    static final String EXAMPLE = "{\"version\":3,\"issued\":\"2026-11-30T06:00:00Z\",\"plateWatch\":["
            + "{\"prefix\":\"鄂A\",\"decision\":\"manual\"},{\"prefix\":\"湘\",\"decision\":\"manual\"},"
            + "{\"prefix\":\"黑B\",\"decision\":\"stop\"}]}";

    @TempDir
    Path dir;

    static SiteMessageFeed.Parsed<PlateWatchRules> parse(String json) {
        return PlateWatchRules.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    static PlateWatchRules rules(String json) {
        SiteMessageFeed.Parsed<PlateWatchRules> p = parse(json);
        assertTrue(p.content().isPresent(), p.problem());
        return p.content().get();
    }

    private static String doc(String entries) {
        return "{\"version\":5,\"plateWatch\":[" + entries + "]}";
    }

    private static String entry(String prefix, String decision) {
        return "{\"prefix\":\"" + prefix + "\",\"decision\":\"" + decision + "\"}";
    }

    @Test
    void theIssuesExampleIsReadWithItsVersionIssuedTimeAndRules() {
        PlateWatchRules r = rules(EXAMPLE);
        assertEquals(3, r.version());
        assertEquals(Optional.of(Instant.parse("2026-11-30T06:00:00Z")), r.issued());
        assertEquals(List.of(new PlateWatchRule("鄂A", Decision.MANUAL), new PlateWatchRule("湘", Decision.MANUAL),
                new PlateWatchRule("黑B", Decision.STOP)), r.rules());
    }

    @Test
    void everyOneOfTheThirtyOneProvincesIsAPrefixAloneAndWithEveryCityLetterButI() {
        assertEquals(31, PlateWatchRule.PROVINCES.codePointCount(0, PlateWatchRule.PROVINCES.length()));
        PlateWatchRule.PROVINCES.codePoints().forEach(p -> {
            String province = new String(Character.toChars(p));
            assertTrue(PlateWatchRule.problem(province).isEmpty(), province);
            for (char c = 'A'; c <= 'Z'; c++) {
                assertEquals(c != 'I', PlateWatchRule.problem(province + c).isEmpty(), province + c);
            }
        });
    }

    @Test
    void aDocumentThatBreaksAnyRuleIsRefusedWholeWithAReason() {
        List<String> bad = List.of(
                "", "not json", "[]", "{\"plateWatch\":[]}", "{\"version\":0,\"plateWatch\":[]}",
                "{\"version\":\"5\",\"plateWatch\":[]}", "{\"version\":5}", "{\"version\":5,\"plateWatch\":{}}",
                "{\"version\":5,\"plateWatch\":[],\"plateWatch\":[]}", "{\"version\":5,\"plateWatch\":[]} x",
                "{\"version\":5,\"issued\":\"yesterday\",\"plateWatch\":[]}",
                "{\"version\":5,\"issued\":17,\"plateWatch\":[]}",
                doc(entry("鄂A", "manual") + ",7"),
                doc(entry("鄂A", "pass")), doc(entry("鄂A", "Manual")), doc(entry("鄂A", "")),
                doc("{\"prefix\":\"鄂A\"}"), doc("{\"decision\":\"stop\"}"), doc("{\"prefix\":7,\"decision\":\"stop\"}"),
                doc("{\"prefix\":\"鄂A\",\"decision\":\"stop\",\"until\":\"2026-12-01\"}"),
                doc(entry("", "stop")), doc(entry("鄂a", "stop")), doc(entry("鄂I", "stop")), doc(entry("鄂AB", "stop")),
                doc(entry("鄂1", "stop")), doc(entry("鄂Ａ", "stop")), doc(entry("A", "stop")), doc(entry("E", "stop")),
                doc(entry("港", "stop")), doc(entry("澳", "stop")), doc(entry("台", "stop")), doc(entry("使", "stop")),
                doc(entry("领", "stop")), doc(entry("粤Z港", "stop")), doc(entry("北京", "stop")), doc(entry(" 鄂", "stop")),
                doc(entry("鄂A", "stop") + "," + entry("湘", "manual") + "," + entry("鄂A", "manual")));
        for (String b : bad) {
            SiteMessageFeed.Parsed<PlateWatchRules> p = parse(b);
            assertTrue(p.content().isEmpty(), "refused: " + b);
            assertFalse(p.problem().isEmpty(), b);
        }
        assertTrue(parse(doc(entry("港", "stop"))).problem().contains("province"));
        assertTrue(parse(doc(entry("鄂I", "stop"))).problem().contains("not I"));
        assertTrue(parse(doc(entry("鄂A", "pass"))).problem().contains("\"manual\" or \"stop\""));
        assertTrue(parse(doc(entry("鄂A", "stop") + "," + entry("鄂A", "manual"))).problem().contains("plateWatch[1]"));
    }

    @Test
    void everyDistinctPrefixFitsInOneDocumentAndOverAThousandEntriesRefuseIt() {
        List<String> all = new java.util.ArrayList<>();
        PlateWatchRule.PROVINCES.codePoints().forEach(p -> {
            all.add(entry(new String(Character.toChars(p)), "manual"));
            for (char c = 'A'; c <= 'Z'; c++) {
                if (c != 'I') {
                    all.add(entry(new String(Character.toChars(p)) + c, "stop"));
                }
            }
        });
        assertEquals(31 + 31 * 25, all.size(), "31 provinces alone and with 25 city letters each");
        assertEquals(806, rules(doc(String.join(",", all))).rules().size());
        List<String> tooMany = new java.util.ArrayList<>(all);
        tooMany.addAll(all.subList(0, 1001 - all.size()));
        SiteMessageFeed.Parsed<PlateWatchRules> over = parse(doc(String.join(",", tooMany)));
        assertTrue(over.content().isEmpty());
        assertTrue(over.problem().contains("1001"), over.problem());
        assertThrows(IllegalArgumentException.class, () -> new PlateWatchRules(1, Optional.empty(),
                java.util.Collections.nCopies(2, new PlateWatchRule("鄂A", Decision.STOP))));
    }

    @Test
    void unknownMembersBesideTheRulesAreIgnored() {
        assertEquals(1, rules("{\"version\":5,\"note\":\"winter list\",\"plateWatch\":[" + entry("鄂", "stop") + "]}")
                .rules().size());
        assertEquals(0, rules("{\"version\":5,\"plateWatch\":[]}").rules().size(), "an empty list lifts every watch");
    }

    private static Optional<PlateWatchRule> match(PlateWatchRules r, String plate) {
        return PlateOrigin.of(plate).flatMap(r::match);
    }

    @Test
    void aPlateIsCoveredByItsProvincesRuleOrItsCitysAndTheStricterWins() {
        PlateWatchRules r = rules(EXAMPLE);
        assertEquals(Optional.of("鄂A"), match(r, "鄂A12345").map(PlateWatchRule::prefix));
        assertEquals(Optional.of("湘"), match(r, "湘B00001").map(PlateWatchRule::prefix));
        assertEquals(Optional.of(Decision.STOP), match(r, "黑B11111").map(PlateWatchRule::decision));
        for (String free : List.of("鲁L12345", "鄂B54321", "黑A99999", "京A00001", "ABC123", "", "鄂")) {
            assertEquals(Optional.empty(), match(r, free), free);
        }
        assertEquals(Optional.of("湘"), match(r, "湘").map(PlateWatchRule::prefix), "a province-only rule covers it");
        PlateWatchRules both = rules(doc(entry("鄂", "stop") + "," + entry("鄂A", "manual") + "," + entry("湘", "manual")
                + "," + entry("湘B", "manual")));
        assertEquals(Optional.of(new PlateWatchRule("鄂", Decision.STOP)), match(both, "鄂A12345"), "stricter wins");
        assertEquals(Optional.of(new PlateWatchRule("湘B", Decision.MANUAL)), match(both, "湘B00001"),
                "between equal decisions, the city's rule names it more precisely");
    }

    @Test
    void aPlateIsReadLenientlyAsPeopleWriteIt() {
        PlateWatchRules r = rules(EXAMPLE);
        for (String plate : List.of("鄂a12345", "鄂·A12345", "鄂 A12345", " 鄂A12345", "鄂Ａ12345", "鄂ａ12345")) {
            assertEquals(Optional.of("鄂A"), match(r, plate).map(PlateWatchRule::prefix), plate);
        }
    }

    @Test
    void siteAndFileRulesAreBothInForceAndTheStricterWins() throws Exception {
        Path file = Files.writeString(dir.resolve("rules.json"),
                doc(entry("鲁L", "manual") + "," + entry("鄂A", "stop")));
        RulesInForce rules = RulesInForce.withFile(Optional.of(file));
        assertEquals("file", rules.source());
        rules.useSiteRules(rules(EXAMPLE));
        assertEquals("site+file", rules.source());
        assertEquals(5, rules.entries());
        assertEquals(new PlateWatch.Finding(3, Optional.of(new PlateWatch.Hit("鄂A", Decision.STOP, "file"))),
                rules.check(claims("鄂A12345")));
        assertEquals(new PlateWatch.Finding(3, Optional.of(new PlateWatch.Hit("鲁L", Decision.MANUAL, "file"))),
                rules.check(claims("鲁L12345")));
        assertEquals(new PlateWatch.Finding(3, Optional.of(new PlateWatch.Hit("黑B", Decision.STOP, "site"))),
                rules.check(claims("黑B11111")));
        assertEquals(new PlateWatch.Finding(3, Optional.empty()), rules.check(claims(null)));
        assertEquals(new PlateWatch.Finding(3, Optional.empty()), rules.check(Optional.empty()));
        assertEquals("{\"version\":3,\"entries\":5,\"source\":\"site+file\",\"site\":{\"version\":3,\"entries\":3,"
                + "\"issued\":\"2026-11-30T06:00:00Z\"},\"file\":{\"path\":\"" + file + "\",\"version\":5,"
                + "\"entries\":2}}", rules.describe().toString());
        assertEquals("none", RulesInForce.withoutFile().source());
    }

    @Test
    void aRulesFileThatIsNotARulesDocumentStopsTheStartNamingTheKey() throws Exception {
        Path file = Files.writeString(dir.resolve("rules.json"), doc(entry("港", "stop")));
        ConfigException e = assertThrows(ConfigException.class, () -> RulesInForce.withFile(Optional.of(file)));
        assertEquals("rules.file", e.key());
        assertTrue(e.getMessage().contains("province"), e.getMessage());
    }

    private static Optional<PassClaims> claims(String plate) {
        return Optional.of(new PassClaims("P-1", "k1", "F", Optional.ofNullable(plate), Optional.empty(), 0, 10));
    }
}
