package ckp.kiosk.store;

/**
 * The store's persisted counters that other stages read or bump, by name instead of by string: each survives
 * restarts (and a quarantined file, when its counters were readable).
 */
public enum StoreCounter {
    /** The MQTT birth/death sequence: one per connection attempt (docs/mqtt.md, "Status"). */
    MQTT_BDSEQ("mqtt.bdseq"),
    /** Undelivered telemetry samples evicted to keep under {@code store.max.mb}. */
    EVICTED("store.evicted"),
    /** Messages refused at the disk floor or on a full disk. */
    DROPPED("store.dropped"),
    /** Delivered messages deleted before their retention ended, to keep under {@code store.max.mb}. */
    PURGED_EARLY("store.purged.early"),
    /** Corrupt store files moved aside since this kiosk was set up. */
    QUARANTINED("store.quarantined");

    private final String key;

    StoreCounter(String key) {
        this.key = key;
    }

    /** The key in the store's {@code meta} table; stable, as store files of earlier versions hold it. */
    public String key() {
        return key;
    }
}
