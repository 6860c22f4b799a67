package ckp.kiosk.aim;

import ckp.drivers.camera.Frame;
import ckp.kiosk.scan.DecodedCode;
import ckp.kiosk.scan.ScannedFrame;
import ckp.kiosk.scan.UnreadCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A hint for the technician aiming the camera, worked out from one frame, what was found in it and its quality. */
public enum Guidance {
    NO_CODE("no code in view: hold a pass up where drivers will"),
    NOT_READ("a code is found but not read: see the other hints, or hold it steadier"),
    TOO_SMALL("code too small: it should span at least a fifth of the frame width (the guide bar); move the camera closer or zoom in"),
    TOO_DARK("too dark: add light or a longer exposure (camera.shutter.us, camera.gain)"),
    BLURRED("blurred: focus the lens (camera.autofocus, camera.lens.dioptres) or shorten the exposure against motion blur"),
    CUT_BY_EDGE("code cut by the frame edge: aim so the whole pass is inside the picture"),
    GLARE("glare: light reflects off the code; tilt the camera or move the light"),
    GOOD("good: the code reads");

    /** A code should span at least this share of the frame width to read at lane distance. */
    static final double MIN_WIDTH_SHARE = 0.2;

    private final String text;

    Guidance(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** The name in status.json: {@code too_small}, {@code glare}, ... */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The hints for a frame, most important first; {@link #GOOD} alone when there is nothing to improve. */
    static List<Guidance> of(ScannedFrame scanned, FrameQuality quality) {
        Frame frame = scanned.frame();
        List<List<DecodedCode.Point>> outlines = outlines(scanned);
        List<Guidance> out = new ArrayList<>();
        if (outlines.isEmpty()) {
            out.add(NO_CODE);
        } else if (scanned.codes().isEmpty()) {
            out.add(NOT_READ);
        }
        if (quality.brightness() < FrameQuality.TOO_DARK_BELOW) {
            out.add(TOO_DARK);
        }
        if (!outlines.isEmpty()) {
            if (outlines.stream().anyMatch(o -> widthShare(o, frame.width()) < MIN_WIDTH_SHARE)) {
                out.add(TOO_SMALL);
            }
            if (quality.contrast() > 0 && quality.sharpnessPercent() < FrameQuality.BLURRED_BELOW_PERCENT) {
                out.add(BLURRED);
            }
            if (outlines.stream().anyMatch(o -> nearEdge(o, frame))) {
                out.add(CUT_BY_EDGE);
            }
        }
        if (quality.glarePercent() > FrameQuality.GLARE_ABOVE_PERCENT) {
            out.add(GLARE);
        }
        if (out.isEmpty()) {
            out.add(GOOD);
        }
        return out;
    }

    static List<List<DecodedCode.Point>> outlines(ScannedFrame scanned) {
        List<List<DecodedCode.Point>> all = new ArrayList<>();
        scanned.codes().forEach(c -> all.add(c.corners()));
        scanned.unread().stream().map(UnreadCode::corners).forEach(all::add);
        return all;
    }

    /** The outline's horizontal extent as a share of the frame width. */
    static double widthShare(List<DecodedCode.Point> outline, int frameWidth) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (DecodedCode.Point p : outline) {
            min = Math.min(min, p.x());
            max = Math.max(max, p.x());
        }
        return (max - min) / frameWidth;
    }

    /** Whether a corner lies within 1% of the frame's size of an edge, or beyond it (a code partly outside). */
    private static boolean nearEdge(List<DecodedCode.Point> outline, Frame frame) {
        double marginX = Math.max(2, frame.width() * 0.01);
        double marginY = Math.max(2, frame.height() * 0.01);
        for (DecodedCode.Point p : outline) {
            if (p.x() < marginX || p.y() < marginY || p.x() > frame.width() - 1 - marginX
                    || p.y() > frame.height() - 1 - marginY) {
                return true;
            }
        }
        return false;
    }
}
