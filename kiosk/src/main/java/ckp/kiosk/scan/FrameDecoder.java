package ckp.kiosk.scan;

import ckp.drivers.camera.Frame;
import java.util.List;

/** Finds the codes in one frame; {@link QrDecoder} is the real one, tests use slow or scripted ones. */
@FunctionalInterface
public interface FrameDecoder {
    List<DecodedCode> decode(Frame frame);

    /**
     * The codes the last {@link #decode} found but could not read, for the aiming view's amber outlines; called on
     * the decoding thread right after {@code decode}. Decoders that do not track them return none.
     */
    default List<UnreadCode> lastUnread() {
        return List.of();
    }
}
