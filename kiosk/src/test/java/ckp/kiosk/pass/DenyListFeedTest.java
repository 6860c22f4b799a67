package ckp.kiosk.pass;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.fixtures.TestSiteAuthority;
import ckp.kiosk.site.SiteAuthority;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DenyListFeedTest {
    private static final TestSiteAuthority SITE = new TestSiteAuthority("site1");
    private static final SiteAuthority AUTHORITY = SiteAuthority.of(Map.of("site1", SITE.keys().getPublic()));

    @TempDir
    Path dir;

    /** A deny list as the central side sends it: signed by the site authority. */
    private static byte[] message(String json) {
        return SITE.signedBytes(json);
    }

    private static byte[] unsigned(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static DenyListFeed open(Path cache, java.util.function.Consumer<DenyList> onChange) {
        return DenyListFeed.open(cache, AUTHORITY, onChange, u -> { });
    }

    @Test
    void aNewerVersionReplacesTheListAndIsCachedAnOlderOrEqualOneIsNot() throws Exception {
        Path cache = dir.resolve("denylist.json");
        List<DenyList> seen = new ArrayList<>();
        DenyListFeed feed = open(cache, seen::add);
        assertEquals(DenyList.EMPTY, feed.current());

        byte[] v5 = message("{\"version\":5,\"issued\":\"2026-11-29T07:00:00Z\",\"ids\":[\"P1\",\"P2\"]}");
        assertEquals(DenyListFeed.Result.APPLIED, feed.accept(v5).result());
        assertEquals(new DenyList(5, Set.of("P1", "P2")), feed.current());
        assertArrayEquals(v5, Files.readAllBytes(cache), "the signed message is cached, signature and all");

        assertEquals(DenyListFeed.Result.UNCHANGED, feed.accept(v5).result(), "a redelivered retained message");
        DenyListFeed.Update stale = feed.accept(message("{\"version\":4,\"ids\":[]}"));
        assertEquals(DenyListFeed.Result.STALE, stale.result());
        assertEquals(4, stale.version());
        assertEquals(5, feed.current().version());

        assertEquals(DenyListFeed.Result.APPLIED, feed.accept(message("{\"version\":6,\"ids\":[\"P3\"]}")).result());
        assertEquals(Set.of("P3"), feed.current().ids(), "a newer list replaces, it does not add");
        assertEquals(List.of(DenyList.EMPTY, new DenyList(5, Set.of("P1", "P2")), new DenyList(6, Set.of("P3"))), seen);
    }

    @Test
    void theCachedListIsInUseAfterARestartBeforeTheBrokerIsReached() {
        Path cache = dir.resolve("denylist.json");
        open(cache, l -> { }).accept(message("{\"version\":9,\"ids\":[\"GONE\"]}"));

        List<DenyList> seen = new ArrayList<>();
        DenyListFeed restarted = open(cache, seen::add);

        assertEquals(new DenyList(9, Set.of("GONE")), restarted.current());
        assertEquals(List.of(new DenyList(9, Set.of("GONE"))), seen, "handed over at once, before any message");
        assertEquals(DenyListFeed.Result.STALE, restarted.accept(message("{\"version\":8,\"ids\":[]}")).result(),
                "an older retained list on the broker does not roll the kiosk back");
    }

    @Test
    void badMessagesAreRefusedWithAReasonAndTheListInUseIsKept() {
        DenyListFeed feed = open(dir.resolve("denylist.json"), l -> { });
        feed.accept(message("{\"version\":2,\"ids\":[\"KEEP\"]}"));
        List<String> bad = List.of("", "not json", "[]", "{\"ids\":[]}", "{\"version\":0,\"ids\":[]}",
                "{\"version\":-3,\"ids\":[]}", "{\"version\":3.5,\"ids\":[]}", "{\"version\":\"3\",\"ids\":[]}",
                "{\"version\":3}", "{\"version\":3,\"ids\":\"P1\"}", "{\"version\":3,\"ids\":[\"P 1\"]}",
                "{\"version\":3,\"ids\":[7]}", "{\"version\":3,\"ids\":[],\"ids\":[]}", "{\"version\":3,\"ids\":[]} x",
                "{\"version\":99999999999999999999,\"ids\":[]}");
        for (String b : bad) {
            DenyListFeed.Update u = feed.accept(b.isEmpty() ? new byte[0] : message(b));
            DenyListFeed.Result expected = b.isEmpty() ? DenyListFeed.Result.CLEARED : DenyListFeed.Result.INVALID;
            assertEquals(expected, u.result(), b);
            assertFalse(u.detail().isEmpty(), b);
            assertEquals(new DenyList(2, Set.of("KEEP")), feed.current(), b);
        }
        assertEquals(DenyListFeed.Result.INVALID, feed.accept(SITE.signPayload(new byte[] {'{', (byte) 0xC3, '}'})).result(), "not UTF-8");
        assertEquals(DenyListFeed.Result.APPLIED,
                feed.accept(message("{\"version\":3,\"ids\":[],\"site\":\"g15\",\"note\":{}}")).result(),
                "unknown members are ignored");
    }

    @Test
    void theTopicIsTheSitesDenylistUnderThePrefix() {
        assertEquals("ckp/v1/g15-north/denylist", DenyListFeed.topic("ckp/v1", "g15-north"));
    }

    @Test
    void aCorruptCacheIsReportedAndTheFeedStartsEmpty() throws Exception {
        Path cache = dir.resolve("denylist.json");
        Files.writeString(cache, "{\"version\":7,\"ids\":[");
        assertEquals(DenyList.EMPTY, open(cache, l -> { }).current());
    }

    @Test
    void theBrokersListAndTheFilesListAreBothInForce() throws Exception {
        KeyPair key = Ckp1VerifierTest.ed25519();
        Path file = dir.resolve("deny.txt");
        Files.writeString(file, "# local\nFROM-FILE\nnot an id!\n\n");
        ClockStatus clock = ClockStatus.fixed(Clock.fixed(Instant.ofEpochSecond(Ckp1VerifierTest.NOW), ZoneOffset.UTC), true);
        PassChecker checker = new PassChecker(false, TrustStore.of(Map.of("k1", key.getPublic())), Optional.empty(),
                DenyList.load(file), Duration.ofSeconds(300), clock, Optional.empty());
        DenyListFeed feed = open(dir.resolve("denylist.json"), checker::useTopicDenyList);
        feed.accept(message("{\"version\":12,\"ids\":[\"FROM-TOPIC\"]}"));

        for (String id : List.of("FROM-FILE", "FROM-TOPIC", "CLEAN")) {
            PassCheck c = checker.check(PassIssuer.issue(key.getPrivate(), new PassClaims(id, "k1", "F",
                    Optional.empty(), Optional.empty(), Ckp1VerifierTest.NOW - 10, Ckp1VerifierTest.NOW + 10)));
            assertEquals(id.equals("CLEAN") ? PassOutcome.VALID : PassOutcome.REVOKED, c.outcome(), id);
            assertEquals(12, c.denyListVersion());
        }
        assertTrue(checker.denyList().ids().containsAll(Set.of("FROM-FILE", "FROM-TOPIC")));
        assertEquals(2, checker.denyList().ids().size(), "the line that is no pass id was skipped");
    }

    @Test
    void anUnsignedListWithAHugeVersionIsRefusedAndNeverTouchesTheCachedVersion() throws Exception {
        Path cache = dir.resolve("denylist.json");
        List<DenyListFeed.Update> outcomes = new ArrayList<>();
        DenyListFeed feed = DenyListFeed.open(cache, AUTHORITY, l -> { }, outcomes::add);
        byte[] v7 = message("{\"version\":7,\"ids\":[\"REVOKED-1\"]}");
        feed.accept(v7);

        DenyListFeed.Update u = feed.accept(unsigned("{\"version\":9223372036854775807,\"ids\":[]}"));

        assertEquals(DenyListFeed.Result.UNTRUSTED, u.result());
        assertTrue(u.detail().contains("not signed"), u.detail());
        assertTrue(u.refused());
        assertEquals(new DenyList(7, Set.of("REVOKED-1")), feed.current(), "the list in force stays");
        assertArrayEquals(v7, Files.readAllBytes(cache), "the cache is not touched");
        assertEquals(new DenyList(7, Set.of("REVOKED-1")), open(cache, l -> { }).current(), "nor after a restart");
        assertEquals(DenyListFeed.Result.APPLIED, feed.accept(message("{\"version\":8,\"ids\":[]}")).result(),
                "the next real list is not refused as older");
        assertEquals(List.of(DenyListFeed.Result.APPLIED, DenyListFeed.Result.UNTRUSTED, DenyListFeed.Result.APPLIED),
                outcomes.stream().map(DenyListFeed.Update::result).toList(), "every outcome is reported");
    }

    @Test
    void aSignedListWithAHugeVersionFromATrustedKeyIsLegitimate() {
        DenyListFeed feed = open(dir.resolve("denylist.json"), l -> { });
        assertEquals(DenyListFeed.Result.APPLIED,
                feed.accept(message("{\"version\":9223372036854775807,\"ids\":[\"X\"]}")).result());
        assertEquals(Long.MAX_VALUE, feed.current().version());
    }

    @Test
    void everyHostileSignatureIsRefusedWithItsReasonAndTheListInForceStays() throws Exception {
        DenyListFeed feed = open(dir.resolve("denylist.json"), l -> { });
        feed.accept(message("{\"version\":2,\"ids\":[\"KEEP\"]}"));
        String list = "{\"version\":1000,\"ids\":[]}";
        TestSiteAuthority stranger = new TestSiteAuthority("site1");
        TestSiteAuthority unknown = new TestSiteAuthority("other");
        String good = SITE.sign(list);
        String[] parts = good.split("\\.");
        char last = parts[2].charAt(parts[2].length() - 1);
        String flipped = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 85) + (last == 'A' ? 'Q' : 'A');
        String otherPayload = parts[0] + "." + SITE.sign("{\"version\":1001,\"ids\":[]}").split("\\.")[1]
                + "." + parts[2];
        java.util.Map<String, String> hostile = new java.util.LinkedHashMap<>();
        hostile.put("unsigned JSON", list);
        hostile.put("unknown kid", unknown.sign(list));
        hostile.put("another key under a trusted kid", stranger.sign(list));
        hostile.put("signature of other bytes", flipped);
        hostile.put("payload swapped under a signature", otherPayload);
        hostile.put("alg none", SITE.signRaw("{\"alg\":\"none\",\"kid\":\"site1\"}", list));
        hostile.put("alg HS256", SITE.signRaw("{\"alg\":\"HS256\",\"kid\":\"site1\"}", list));
        hostile.put("alg Ed25519 (not the JOSE name)", SITE.signRaw("{\"alg\":\"Ed25519\",\"kid\":\"site1\"}", list));
        hostile.put("no kid", SITE.signRaw("{\"alg\":\"EdDSA\"}", list));
        hostile.put("kid not a string", SITE.signRaw("{\"alg\":\"EdDSA\",\"kid\":7}", list));
        hostile.put("kid with a path", SITE.signRaw("{\"alg\":\"EdDSA\",\"kid\":\"../site1\"}", list));
        hostile.put("kid with a leading dot", SITE.signRaw("{\"alg\":\"EdDSA\",\"kid\":\".site1\"}", list));
        hostile.put("typ not a string", SITE.signRaw("{\"alg\":\"EdDSA\",\"kid\":\"site1\",\"typ\":1}", list));
        hostile.put("crit", SITE.signRaw("{\"alg\":\"EdDSA\",\"kid\":\"site1\",\"crit\":[\"exp\"],\"exp\":1}", list));
        hostile.put("b64 false", SITE.signRaw("{\"alg\":\"EdDSA\",\"kid\":\"site1\",\"b64\":false}", list));
        hostile.put("duplicate alg", SITE.signRaw("{\"alg\":\"none\",\"alg\":\"EdDSA\",\"kid\":\"site1\"}", list));
        hostile.put("header not an object", SITE.signRaw("[\"EdDSA\"]", list));
        hostile.put("header not JSON", SITE.signRaw("alg=EdDSA", list));
        hostile.put("typ of another kind", SITE.signRaw("{\"alg\":\"EdDSA\",\"kid\":\"site1\",\"typ\":\"ckp-rules+jws\"}", list));
        hostile.put("header over 4 KiB", SITE.signRaw("{\"alg\":\"EdDSA\",\"kid\":\"site1\",\"x\":\""
                + "a".repeat(4096) + "\"}", list));
        hostile.put("two parts", parts[0] + "." + parts[1]);
        hostile.put("four parts", good + "." + parts[2]);
        hostile.put("padding", parts[0] + "=." + parts[1] + "." + parts[2]);
        hostile.put("standard base64 alphabet", parts[0] + "." + parts[1] + "." + "+" + parts[2].substring(1));
        hostile.put("two trailing line breaks", good + "\n\n");
        hostile.put("trailing space", good + " ");
        hostile.put("leading space", " " + good);
        hostile.put("signature too short", parts[0] + "." + parts[1] + "." + parts[2].substring(0, 84));
        hostile.put("stray bits in the signature", parts[0] + "." + parts[1] + "." + parts[2].substring(0, 85)
                + (char) (last == 'B' ? 'C' : 'B'));
        hostile.put("empty parts", "..");
        for (var e : hostile.entrySet()) {
            DenyListFeed.Update u = feed.accept(e.getValue().getBytes(StandardCharsets.UTF_8));
            assertEquals(DenyListFeed.Result.UNTRUSTED, u.result(), e.getKey() + ": " + u.detail());
            assertFalse(u.detail().isBlank(), e.getKey());
            assertEquals(new DenyList(2, Set.of("KEEP")), feed.current(), e.getKey());
        }
        assertEquals(DenyListFeed.Result.APPLIED, feed.accept(good.getBytes(StandardCharsets.US_ASCII)).result(),
                "the genuine message itself is accepted");
        assertEquals(DenyListFeed.Result.APPLIED, feed.accept(SITE.signRaw(
                "{\"alg\":\"EdDSA\",\"kid\":\"site1\",\"typ\":\"ckp-denylist+jws\",\"b64\":true}",
                "{\"version\":1001,\"ids\":[]}").getBytes(StandardCharsets.US_ASCII)).result(),
                "the deny list typ and b64:true are fine");
        assertEquals(DenyListFeed.Result.APPLIED, feed.accept(SITE.signRaw(
                "{\"typ\":\"JWT\",\"alg\":\"EdDSA\",\"kid\":\"site1\"}",
                "{\"version\":1002,\"ids\":[]}").getBytes(StandardCharsets.US_ASCII)).result(),
                "a generic typ, as JOSE libraries write it, is ignored");
        assertEquals(DenyListFeed.Result.APPLIED, feed.accept((SITE.sign("{\"version\":1003,\"ids\":[]}") + "\n")
                .getBytes(StandardCharsets.US_ASCII)).result(), "one line break after the JWS, as a shell hands it over");
    }

    @Test
    void theReasonNamesWhatWasWrong() {
        DenyListFeed feed = open(dir.resolve("denylist.json"), l -> { });
        String list = "{\"version\":3,\"ids\":[]}";
        assertTrue(feed.accept(unsigned(list)).detail().contains("not signed"));
        assertTrue(feed.accept(new TestSiteAuthority("nokey").signedBytes(list)).detail().contains("unknown kid 'nokey'"));
        assertTrue(feed.accept(new TestSiteAuthority("site1").signedBytes(list)).detail().contains("bad signature"));
        assertTrue(feed.accept(SITE.signRaw("{\"alg\":\"RS256\",\"kid\":\"site1\"}", list)
                .getBytes(StandardCharsets.US_ASCII)).detail().contains("alg"));
        assertTrue(feed.accept(SITE.signRaw("{\"alg\":\"EdDSA\",\"kid\":\"site1\",\"crit\":[\"b64\"],\"b64\":false}",
                list).getBytes(StandardCharsets.US_ASCII)).detail().contains("crit"));
        DenyListFeed none = DenyListFeed.open(dir.resolve("other.json"), SiteAuthority.NONE, l -> { }, u -> { });
        assertTrue(none.accept(message(list)).detail().contains("no site.trust.dir"));
    }

    @Test
    void theSameVersionWithOtherIdsIsRefusedWithAReasonTheSameIdsAreUnchanged() {
        DenyListFeed feed = open(dir.resolve("denylist.json"), l -> { });
        feed.accept(message("{\"version\":4,\"ids\":[\"A\",\"B\"]}"));
        DenyListFeed.Update same = feed.accept(message("{\"ids\":[\"B\",\"A\"],\"version\":4}"));
        assertEquals(DenyListFeed.Result.UNCHANGED, same.result());
        DenyListFeed.Update other = feed.accept(message("{\"version\":4,\"ids\":[\"A\"]}"));
        assertEquals(DenyListFeed.Result.CONFLICT, other.result());
        assertTrue(other.refused());
        assertTrue(other.detail().contains("higher version"), other.detail());
        assertEquals(Set.of("A", "B"), feed.current().ids());
    }

    @Test
    void anUnsignedCacheFromAnOlderKioskIsNotTrustedAtStart() throws Exception {
        Path cache = dir.resolve("denylist.json");
        Files.writeString(cache, "{\"version\":9223372036854775807,\"ids\":[]}");
        DenyListFeed feed = open(cache, l -> { });
        assertEquals(DenyList.EMPTY, feed.current());
        assertEquals(DenyListFeed.Result.APPLIED, feed.accept(message("{\"version\":5,\"ids\":[]}")).result());
    }

    @Test
    void aCacheSignedByAKeyNoLongerTrustedIsNotUsed() throws Exception {
        Path cache = dir.resolve("denylist.json");
        open(cache, l -> { }).accept(message("{\"version\":5,\"ids\":[\"Z\"]}"));
        DenyListFeed rotated = DenyListFeed.open(cache, SiteAuthority.of(Map.of("site2",
                new TestSiteAuthority("site2").keys().getPublic())), l -> { }, u -> { });
        assertEquals(DenyList.EMPTY, rotated.current());
    }
}
