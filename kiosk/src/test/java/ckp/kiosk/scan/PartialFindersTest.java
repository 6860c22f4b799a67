package ckp.kiosk.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ckp.kiosk.scan.PartialFinders.Seen;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartialFindersTest {
    @Test
    void twoAlikeFinderPatternsAtACodesSpacingCountAsTwo() {
        // Modules of 4 pixels, 25 modules apart: two finders of a version 3 code.
        List<Seen> seen = List.of(new Seen(40, 40, 4f), new Seen(140, 40, 4.5f));
        assertEquals(2, PartialFinders.countSeen(seen, 2));
    }

    @Test
    void pixelSizedUnlikeOrFarApartCandidatesCountAsOne() {
        assertEquals(1, PartialFinders.countSeen(List.of(new Seen(40, 40, 1f), new Seen(80, 40, 1f)), 2));
        assertEquals(1, PartialFinders.countSeen(List.of(new Seen(40, 40, 3f), new Seen(140, 40, 6f)), 2));
        assertEquals(1, PartialFinders.countSeen(List.of(new Seen(0, 0, 2f), new Seen(600, 0, 2f)), 2));
        assertEquals(1, PartialFinders.countSeen(List.of(new Seen(40, 40, 4f), new Seen(60, 40, 4f)), 2));
        assertEquals(0, PartialFinders.countSeen(List.of(), 0));
    }
}
