package ckp.kiosk.lane;

import ckp.kiosk.config.KioskIdentity;
import ckp.kiosk.pass.Hc1Pass;
import ckp.kiosk.pass.PassCheck;
import ckp.kiosk.pass.PassClaims;
import ckp.kiosk.pass.PassFormat;
import ckp.kiosk.pass.PlatePrivacy;
import ckp.kiosk.screening.TemperatureResult;
import ckp.kiosk.store.Stamp;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * One vehicle at the lane: what the pass said, what the thermometer said, and the decision. Its JSON form is the
 * {@code event} message of docs/mqtt.md (schema: docs/schema/event.schema.json); it never holds the raw code text,
 * and the plate only in the form {@code privacy.plate} allows.
 *
 * @param decodeNanos  time the decoder spent on the frame that found the code
 * @param measureNanos time the temperature measurement took
 * @param totalNanos   from the frame's capture to the decision
 */
public record CheckpointEvent(PassCheck pass, TemperatureResult temperature, DecisionTable.Verdict verdict,
                              long decodeNanos, long measureNanos, long totalNanos) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public CheckpointEvent {
        Objects.requireNonNull(pass);
        Objects.requireNonNull(temperature);
        Objects.requireNonNull(verdict);
        // Durations are never negative; a glitch in how one was measured is recorded as 0 rather than costing the event.
        decodeNanos = Math.max(0, decodeNanos);
        measureNanos = Math.max(0, measureNanos);
        totalNanos = Math.max(0, totalNanos);
    }

    public byte[] toJson(Stamp stamp, KioskIdentity kiosk, PlatePrivacy privacy) {
        ObjectNode o = stamp.header(kiosk);
        ObjectNode p = o.putObject("pass");
        p.put("result", pass.outcome().wire());
        putOrNull(p, "format", pass.format().map(PassFormat::name));
        Optional<PassClaims> claims = pass.claims();
        Optional<Hc1Pass> hc1 = pass.hc1();
        putOrNull(p, "id", claims.map(PassClaims::id));
        putOrNull(p, "cls", claims.map(PassClaims::cls));
        putOrNull(p, "kid", claims.map(PassClaims::kid).or(() -> hc1.map(Hc1Pass::kid)));
        putOrNull(p, "type", hc1.map(Hc1Pass::type));
        putOrNull(p, "country", hc1.map(Hc1Pass::country));
        putOrNull(p, "ciDigest", hc1.map(Hc1Pass::ciDigest));
        putOrNull(p, "plate", claims.flatMap(PassClaims::plate).map(privacy::apply));
        p.put("platePrivacy", privacy.mode().wire());
        putOrNull(p, "digest", pass.digest());
        putOrNull(p, "hash", pass.hash());
        p.put("denylistVersion", pass.denyListVersion());
        ObjectNode t = o.putObject("temperature");
        t.put("result", temperature.kind().wire());
        if (temperature.celsius().isPresent()) {
            t.put("celsius", temperature.celsius().getAsDouble());
        } else {
            t.putNull("celsius");
        }
        if (temperature.ambientCelsius().isPresent()) {
            t.put("ambientCelsius", temperature.ambientCelsius().getAsDouble());
        } else {
            t.putNull("ambientCelsius");
        }
        t.put("samples", temperature.samples());
        t.put("spreadCelsius", temperature.spreadCelsius());
        o.put("decision", verdict.decision().wire());
        verdict.reasons().forEach(o.putArray("reasons")::add);
        putOrNull(o, "alarm", verdict.alarm());
        ObjectNode timings = o.putObject("timings");
        timings.put("decodeMs", nanosToMillis(decodeNanos));
        timings.put("measureMs", nanosToMillis(measureNanos));
        timings.put("totalMs", nanosToMillis(totalNanos));
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The ALARM-class message a revoked or forged pass raises beside its event (docs/mqtt.md, "Fraud alarm"): the
     * operator's console shows alarms, not every event, and a forged pass is the thing it exists for.
     *
     * @param eventId the id of this vehicle's event, so the alarm can be joined to it
     */
    public byte[] fraudAlarmJson(Stamp stamp, KioskIdentity kiosk, java.util.UUID eventId) {
        ObjectNode o = stamp.header(kiosk);
        o.put("alarm", verdict.alarm().orElseThrow(() -> new IllegalStateException(
                "fraudAlarmJson called for a verdict without an alarm (" + verdict.decision().wire() + ")")));
        o.put("severity", "critical");
        o.put("state", "raised");
        o.put("message", "a " + pass.outcome().wire().replace('_', ' ') + " pass was shown; the lane said "
                + verdict.decision().wire());
        ObjectNode d = o.putObject("detail");
        d.put("event", eventId.toString());
        d.put("passResult", pass.outcome().wire());
        putOrNull(d, "passId", pass.claims().map(PassClaims::id));
        putOrNull(d, "kid", pass.claims().map(PassClaims::kid).or(() -> pass.hc1().map(Hc1Pass::kid)));
        putOrNull(d, "digest", pass.digest());
        d.put("decision", verdict.decision().wire());
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void putOrNull(ObjectNode o, String name, Optional<String> value) {
        if (value.isPresent()) {
            o.put(name, value.get());
        } else {
            o.putNull(name);
        }
    }

    private static double nanosToMillis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
