package ckp.kiosk.message;

import java.util.Locale;

/** Whether an alarm message raises its condition or reports it over. */
public enum AlarmState {
    RAISED,
    CLEARED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
