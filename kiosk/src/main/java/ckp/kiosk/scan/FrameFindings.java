package ckp.kiosk.scan;

import com.google.zxing.ResultPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The codes found so far in one frame, by text (the same code seen by two steps is one), and the places where a
 * step saw a code it could not read: while one of those lies outside every code read, later steps may read it, and
 * the outlines no step read become the aiming view's {@link QrDecoder#lastUnread()}.
 */
final class FrameFindings {
    final Map<String, DecodedCode> codes = new LinkedHashMap<>();
    final List<DecodedCode.Point> unread = new ArrayList<>();
    /** Outlines of codes found but not read, in every step; {@link #stillUnread} keeps those no step read. */
    final List<UnreadCode> outlines = new ArrayList<>();

    void add(DecodedCode code) {
        codes.putIfAbsent(code.text(), code);
    }

    /** How many of these points (in the plane's pixels) lie outside every code read so far. */
    int outsideCodes(List<ResultPoint> points, LumaPlane plane) {
        int n = 0;
        for (ResultPoint p : points) {
            DecodedCode.Point where = plane.toFrame(p.getX(), p.getY());
            if (codes.values().stream().noneMatch(c -> c.contains(where))) {
                n++;
            }
        }
        return n;
    }

    boolean unreadRemain() {
        for (DecodedCode.Point p : unread) {
            if (codes.values().stream().noneMatch(c -> c.contains(p))) {
                return true;
            }
        }
        return false;
    }

    /** The outlines that lie outside every code read and outside each other (two steps may find one code). */
    List<UnreadCode> stillUnread() {
        List<UnreadCode> out = new ArrayList<>();
        for (UnreadCode u : outlines) {
            DecodedCode.Point c = u.centre();
            if (codes.values().stream().noneMatch(code -> code.contains(c))
                    && out.stream().noneMatch(o -> new DecodedCode("", o.corners()).contains(c))) {
                out.add(u);
            }
        }
        return out;
    }
}
