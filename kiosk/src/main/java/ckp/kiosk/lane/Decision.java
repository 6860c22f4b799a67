package ckp.kiosk.lane;

import java.util.Locale;

/** What the lane tells the driver. */
public enum Decision {
    /** Green light, barrier opens. */
    PASS,
    /** Red light, long beep: the vehicle is held. */
    STOP,
    /** Amber light: an officer checks by hand. */
    MANUAL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
