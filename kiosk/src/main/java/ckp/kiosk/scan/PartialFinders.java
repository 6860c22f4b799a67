package ckp.kiosk.scan;

import com.google.zxing.ResultPoint;
import com.google.zxing.qrcode.detector.FinderPattern;
import java.util.List;

/**
 * Counts the finder patterns a ZXing search saw that could be two of one code's, when it found no triple: the
 * decoder's first look goes on to {@link DecodeStep#EVEN_LIGHT} and {@link DecodeStep#CLIPPED_WHITE} when a shadow's
 * edge or over-exposure hides a code's third finder.
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
        return countSeen(candidates.stream().filter(FinderPattern.class::isInstance).map(FinderPattern.class::cast)
                .map(p -> new Seen(p.getX(), p.getY(), p.getEstimatedModuleSize())).toList(), candidates.size());
    }

    /** A candidate finder pattern: its centre and its module size, in pixels. */
    record Seen(float x, float y, float module) {
    }

    /** {@link #count} on candidates already measured; {@code all} counts those that were not finder patterns too. */
    static int countSeen(List<Seen> seen, int all) {
        for (int i = 0; i < seen.size(); i++) {
            Seen a = seen.get(i);
            for (int j = i + 1; j < seen.size(); j++) {
                Seen b = seen.get(j);
                if (a.module() < MIN_MODULE || b.module() < MIN_MODULE) {
                    continue;
                }
                float apart = (float) Math.hypot(a.x() - b.x(), a.y() - b.y()) / ((a.module() + b.module()) / 2);
                if (Math.max(a.module(), b.module()) <= 1.4f * Math.min(a.module(), b.module()) && apart >= 10 && apart <= 180) {
                    return 2;
                }
            }
        }
        return Math.min(1, all);
    }
}
