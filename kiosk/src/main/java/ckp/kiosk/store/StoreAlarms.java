package ckp.kiosk.store;

import ckp.kiosk.config.KioskIdentity;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * Where and as whom the store files its own alarms (corrupt file quarantined, over capacity, disk floor): they are
 * committed as {@link MessageClass#ALARM} rows like any other message, so they are published in order and survive
 * restarts.
 *
 * @param topic  the kiosk's alarm topic
 * @param bootId the Linux boot id of this run
 */
public record StoreAlarms(String topic, KioskIdentity kiosk, String bootId) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** For tools and tests that open a store outside the service. */
    public static final StoreAlarms LOCAL = new StoreAlarms("ckp/v1/local/lane/kiosk/alarm",
            new KioskIdentity("kiosk", "local", "lane"), "local");

    public StoreAlarms {
        Objects.requireNonNull(topic);
        Objects.requireNonNull(kiosk);
        Objects.requireNonNull(bootId);
    }

    /**
     * The alarm message, in the one alarm format of docs/schema/alarm.schema.json: {@code {"id","seq","kiosk","site",
     * "lane","time","clockSynced","bootId","alarm","severity","state","message","detail":{...facts}}}.
     *
     * @param alarm a dotted name, e.g. {@code store.quarantined}
     * @param state {@code raised} or {@code cleared}
     */
    byte[] json(Stamp stamp, String alarm, String state, String detail, Map<String, Long> facts) {
        ObjectNode o = stamp.header(kiosk);
        o.put("bootId", stamp.bootId());
        o.put("alarm", alarm);
        // Records are at risk when a store was quarantined or the disk is at its floor; over the cap, nothing is lost yet.
        o.put("severity", alarm.equals("store.over_cap") ? "warning" : "critical");
        o.put("state", state);
        o.put("message", detail);
        ObjectNode figures = o.putObject("detail");
        facts.forEach(figures::put);
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }
}
