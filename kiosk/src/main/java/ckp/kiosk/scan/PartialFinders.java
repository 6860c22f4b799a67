package ckp.kiosk.scan;

import com.google.zxing.ResultPoint;
import com.google.zxing.qrcode.detector.FinderPattern;
import java.util.List;

/**
 * Counts the finder patterns a ZXing search saw that could be two of one code's, when it found no triple: the
 * decoder's first look goes on to {@link DecodeStep#EVEN_LIGHT} when a shadow's edge hides a code's third finder.
 * Sensor noise makes single 1:1:3:1:1 runs of a pixel or so everywhere; a code's finder patterns are alike.
 */
final class PartialFinders {
    /** Measured on the shadowed photos: modules of at least 2 pixels read 94 of 110 (3: 91); 1.5 let random noise through. */
    static final float MIN_MODULE = 2f;

    private PartialFinders() {
    }

    /**
     * 2 when two candidates have modules of at least {@link #MIN_MODULE} pixels within a factor 1.4 of each other and
     * centres 10 to 180 modules apart (a version 1 code's finders are 14 modules apart, a version 40 code's 170),
     * else 1 when there is a candidate, else 0.
     */
    static int count(List<ResultPoint> candidates) {
        for (int i = 0; i < candidates.size(); i++) {
            if (!(candidates.get(i) instanceof FinderPattern a) || a.getEstimatedModuleSize() < MIN_MODULE) {
                continue;
            }
            for (int j = i + 1; j < candidates.size(); j++) {
                if (!(candidates.get(j) instanceof FinderPattern b) || b.getEstimatedModuleSize() < MIN_MODULE) {
                    continue;
                }
                float ma = a.getEstimatedModuleSize();
                float mb = b.getEstimatedModuleSize();
                float apart = ResultPoint.distance(a, b) / ((ma + mb) / 2);
                if (Math.max(ma, mb) <= 1.4f * Math.min(ma, mb) && apart >= 10 && apart <= 180) {
                    return 2;
                }
            }
        }
        return Math.min(1, candidates.size());
    }
}
