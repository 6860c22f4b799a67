package ckp.kiosk.scan;

import ckp.drivers.camera.Frame;
import java.util.List;
import java.util.Objects;

/**
 * The newest frame the decoder finished, with what it found: the scanner keeps the latest one for the aiming view,
 * which draws the outlines on it. Holding it costs one reference per frame, nothing is copied.
 *
 * @param codes       the codes read in the frame
 * @param unread      codes found but not read, where the decoder reports them (empty for decoders that do not)
 * @param decodeNanos how long the decoder spent on the frame
 */
public record ScannedFrame(Frame frame, List<DecodedCode> codes, List<UnreadCode> unread, long decodeNanos) {
    public ScannedFrame {
        Objects.requireNonNull(frame, "frame");
        codes = List.copyOf(codes);
        unread = List.copyOf(unread);
    }
}
