package ckp.kiosk.message;

import java.util.Locale;

/**
 * What kind of message a stored row is. Each class has its own gapless {@code seq}, so the central side can tell a
 * lost checkpoint event from an evicted telemetry sample.
 */
public enum MessageClass {
    /** Start, stop, store recovery: the kiosk's own life. */
    LIFECYCLE,
    /** A checkpoint event: a vehicle and its decision. Never dropped. */
    EVENT,
    /** Something an operator must look at: fraud, sensor faults, storage trouble. */
    ALARM,
    /** Periodic health figures; evicted first when the store is full. */
    TELEMETRY;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
