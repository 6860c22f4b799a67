package ckp.kiosk.lane;

import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.config.KioskIdentity;
import ckp.kiosk.pass.PlatePrivacy;
import ckp.kiosk.message.Topics;
import ckp.kiosk.store.EventStore;
import java.util.Objects;

/**
 * Where and how the lane records what it decided: the store and topics its events and alarms go to, the wall clock
 * and boot id that stamp them, this kiosk's identity and how plates are kept in them.
 */
public record LaneRecording(EventStore store, Topics topics, ClockStatus clock, String bootId, KioskIdentity kiosk,
                            PlatePrivacy privacy) {
    public LaneRecording {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(bootId, "bootId");
        Objects.requireNonNull(kiosk, "kiosk");
        Objects.requireNonNull(privacy, "privacy");
    }
}
