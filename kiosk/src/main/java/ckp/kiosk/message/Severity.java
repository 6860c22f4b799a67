package ckp.kiosk.message;

import java.util.Locale;

/** How bad an alarm is: {@code warning} (degraded, nothing lost yet) or {@code critical} (records or safety at risk). */
public enum Severity {
    WARNING,
    CRITICAL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
