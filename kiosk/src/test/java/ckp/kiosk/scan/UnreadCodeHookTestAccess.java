package ckp.kiosk.scan;

import java.awt.image.BufferedImage;

/** The damaged-code frame of {@link UnreadCodeHookTest}, for the aiming view's tests in another package. */
public final class UnreadCodeHookTestAccess {
    private UnreadCodeHookTestAccess() {
    }

    /** A code whose finder patterns are intact and whose data modules are painted over: found, never read. */
    public static BufferedImage damagedCode() {
        return UnreadCodeHookTest.damagedCode();
    }
}
