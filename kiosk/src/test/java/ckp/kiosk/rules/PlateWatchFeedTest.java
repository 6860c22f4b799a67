package ckp.kiosk.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.fixtures.TestSiteAuthority;
import ckp.kiosk.pass.DenyListFeed;
import ckp.kiosk.site.SiteAuthority;
import ckp.kiosk.site.SiteJws;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules as a site message: signed for their own topic only, cached, never rolled back or changed in place. */
class PlateWatchFeedTest {
    private static final TestSiteAuthority SITE = new TestSiteAuthority("site1");
    private static final SiteAuthority AUTHORITY = SiteAuthority.of(Map.of("site1", SITE.keys().getPublic()));

    @TempDir
    Path dir;

    private PlateWatchFeed open(List<PlateWatchRules> seen) {
        return PlateWatchFeed.open(dir.resolve("rules.json"), AUTHORITY, seen::add, u -> { });
    }

    @Test
    void aDenyListSignedByTheSiteIsRefusedOnTheRulesTopicEvenWhenItsJsonWouldPass() throws Exception {
        String json = "{\"version\":5,\"ids\":[],\"plateWatch\":[]}";
        byte[] asDenyList = SiteJws.sign(SITE.keys().getPrivate(), "site1", DenyListFeed.KIND,
                json.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
        PlateWatchFeed feed = open(new ArrayList<>());
        PlateWatchFeed.Update u = feed.accept(asDenyList);
        assertEquals(PlateWatchFeed.Result.UNTRUSTED, u.result());
        assertTrue(u.detail().contains("ckp-rules+jws"), u.detail());
        byte[] asRules = SiteJws.sign(SITE.keys().getPrivate(), "site1", PlateWatchFeed.KIND,
                json.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
        assertEquals(PlateWatchFeed.Result.APPLIED, feed.accept(asRules).result());
    }

    @Test
    void newerRulesAreCachedAndInForceAtTheNextStartOlderOrChangedInPlaceAreNot() throws Exception {
        List<PlateWatchRules> seen = new ArrayList<>();
        PlateWatchFeed feed = open(seen);
        byte[] v3 = SITE.signedBytes(PlateWatchRulesTest.EXAMPLE);
        assertEquals(PlateWatchFeed.Result.APPLIED, feed.accept(v3).result());
        assertArrayEquals(v3, Files.readAllBytes(dir.resolve("rules.json")), "cached, signature and all");
        assertEquals(PlateWatchFeed.Result.UNCHANGED, feed.accept(v3).result(), "a redelivered retained message");
        PlateWatchFeed.Update changed = feed.accept(SITE.signedBytes(PlateWatchRulesTest.EXAMPLE.replace("黑B", "黑C")));
        assertEquals(PlateWatchFeed.Result.CONFLICT, changed.result());
        assertTrue(changed.detail().contains("higher version"), changed.detail());
        assertEquals(PlateWatchFeed.Result.STALE,
                feed.accept(SITE.signedBytes("{\"version\":2,\"plateWatch\":[]}")).result());
        assertEquals(PlateWatchFeed.Result.CLEARED, feed.accept(new byte[0]).result());
        assertEquals(1, feed.refusedCount(), "the conflict and nothing else: old, repeated and cleared are no refusal");

        List<PlateWatchRules> afterRestart = new ArrayList<>();
        PlateWatchFeed restarted = open(afterRestart);
        assertEquals(3, restarted.current().version());
        assertEquals(List.of(restarted.current()), afterRestart, "handed to the lane before any message");
        assertEquals(seen.getLast(), restarted.current());
    }

    @Test
    void anUnsignedCacheIsNotTrustedAtStart() throws Exception {
        Files.writeString(dir.resolve("rules.json"), PlateWatchRulesTest.EXAMPLE);
        assertEquals(PlateWatchRules.EMPTY, open(new ArrayList<>()).current());
    }
}
