package ckp.kiosk.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.zxing.ResultPoint;
import com.google.zxing.qrcode.detector.FinderPattern;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartialFindersTest {
    @Test
    void twoAlikeFinderPatternsAtACodesSpacingCountAsTwo() {
        // Modules of 4 pixels, 25 modules apart: two finders of a version 3 code.
        List<ResultPoint> seen = List.of(new FinderPattern(40, 40, 4f), new FinderPattern(140, 40, 4.5f));
        assertEquals(2, PartialFinders.count(seen));
    }

    @Test
    void pixelSizedUnlikeOrFarApartCandidatesCountAsOne() {
        assertEquals(1, PartialFinders.count(List.of(new FinderPattern(40, 40, 1f), new FinderPattern(80, 40, 1f))));
        assertEquals(1, PartialFinders.count(List.of(new FinderPattern(40, 40, 3f), new FinderPattern(140, 40, 6f))));
        assertEquals(1, PartialFinders.count(List.of(new FinderPattern(0, 0, 2f), new FinderPattern(600, 0, 2f))));
        assertEquals(1, PartialFinders.count(List.of(new FinderPattern(40, 40, 4f), new FinderPattern(60, 40, 4f))));
        assertEquals(0, PartialFinders.count(List.of()));
    }
}
