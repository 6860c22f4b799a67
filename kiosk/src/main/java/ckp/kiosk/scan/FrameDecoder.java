package ckp.kiosk.scan;

import ckp.drivers.camera.Frame;
import java.util.List;

/** Finds the codes in one frame; {@link QrDecoder} is the real one, tests use slow or scripted ones. */
@FunctionalInterface
public interface FrameDecoder {
    List<DecodedCode> decode(Frame frame);
}
