package ckp.kiosk.aim;

import java.awt.image.BufferedImage;

/** The outline-colour checks of {@link AimServerTest}, for the end-to-end test in another package. */
public final class AimServerTestAccess {
    private AimServerTestAccess() {
    }

    /** Pixels of the read-code outline's green. */
    public static int greenPixels(BufferedImage img) {
        return AimServerTest.pixels(img, AimServerTest::green);
    }

    /** Pixels of the unread-code outline's amber. */
    public static int amberPixels(BufferedImage img) {
        return AimServerTest.pixels(img, AimServerTest::amber);
    }
}
