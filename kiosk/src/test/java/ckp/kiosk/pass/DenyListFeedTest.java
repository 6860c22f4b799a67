package ckp.kiosk.pass;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.clock.ClockStatus;
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
    @TempDir
    Path dir;

    private static byte[] message(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aNewerVersionReplacesTheListAndIsCachedAnOlderOrEqualOneIsNot() throws Exception {
        Path cache = dir.resolve("denylist.json");
        List<DenyList> seen = new ArrayList<>();
        DenyListFeed feed = DenyListFeed.open(cache, seen::add);
        assertEquals(DenyList.EMPTY, feed.current());

        byte[] v5 = message("{\"version\":5,\"issued\":\"2026-11-29T07:00:00Z\",\"ids\":[\"P1\",\"P2\"]}");
        assertEquals(DenyListFeed.Result.APPLIED, feed.accept(v5).result());
        assertEquals(new DenyList(5, Set.of("P1", "P2")), feed.current());
        assertArrayEquals(v5, Files.readAllBytes(cache));

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
        DenyListFeed.open(cache, l -> { }).accept(message("{\"version\":9,\"ids\":[\"GONE\"]}"));

        List<DenyList> seen = new ArrayList<>();
        DenyListFeed restarted = DenyListFeed.open(cache, seen::add);

        assertEquals(new DenyList(9, Set.of("GONE")), restarted.current());
        assertEquals(List.of(new DenyList(9, Set.of("GONE"))), seen, "handed over at once, before any message");
        assertEquals(DenyListFeed.Result.STALE, restarted.accept(message("{\"version\":8,\"ids\":[]}")).result(),
                "an older retained list on the broker does not roll the kiosk back");
    }

    @Test
    void badMessagesAreRefusedWithAReasonAndTheListInUseIsKept() {
        DenyListFeed feed = DenyListFeed.open(dir.resolve("denylist.json"), l -> { });
        feed.accept(message("{\"version\":2,\"ids\":[\"KEEP\"]}"));
        List<String> bad = List.of("", "not json", "[]", "{\"ids\":[]}", "{\"version\":0,\"ids\":[]}",
                "{\"version\":-3,\"ids\":[]}", "{\"version\":3.5,\"ids\":[]}", "{\"version\":\"3\",\"ids\":[]}",
                "{\"version\":3}", "{\"version\":3,\"ids\":\"P1\"}", "{\"version\":3,\"ids\":[\"P 1\"]}",
                "{\"version\":3,\"ids\":[7]}", "{\"version\":3,\"ids\":[],\"ids\":[]}", "{\"version\":3,\"ids\":[]} x",
                "{\"version\":99999999999999999999,\"ids\":[]}");
        for (String b : bad) {
            DenyListFeed.Update u = feed.accept(message(b));
            DenyListFeed.Result expected = b.isEmpty() ? DenyListFeed.Result.CLEARED : DenyListFeed.Result.INVALID;
            assertEquals(expected, u.result(), b);
            assertFalse(u.detail().isEmpty(), b);
            assertEquals(new DenyList(2, Set.of("KEEP")), feed.current(), b);
        }
        assertEquals(DenyListFeed.Result.INVALID, feed.accept(new byte[] {'{', (byte) 0xC3, '}'}).result(), "not UTF-8");
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
        assertEquals(DenyList.EMPTY, DenyListFeed.open(cache, l -> { }).current());
    }

    @Test
    void theBrokersListAndTheFilesListAreBothInForce() throws Exception {
        KeyPair key = Ckp1VerifierTest.ed25519();
        Path file = dir.resolve("deny.txt");
        Files.writeString(file, "# local\nFROM-FILE\nnot an id!\n\n");
        ClockStatus clock = ClockStatus.fixed(Clock.fixed(Instant.ofEpochSecond(Ckp1VerifierTest.NOW), ZoneOffset.UTC), true);
        PassChecker checker = new PassChecker(false, TrustStore.of(Map.of("k1", key.getPublic())), Optional.empty(),
                DenyList.load(file), Duration.ofSeconds(300), clock, Optional.empty());
        DenyListFeed feed = DenyListFeed.open(dir.resolve("denylist.json"), checker::useTopicDenyList);
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
}
