package ckp.kiosk.lane;

import ckp.kiosk.config.KioskIdentity;
import ckp.kiosk.pass.PassCheck;
import ckp.kiosk.pass.PlatePrivacy;
import ckp.kiosk.screening.TemperatureResult;
import ckp.kiosk.store.Stamp;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One vehicle at the lane: what the pass said, what the thermometer said, and the decision. Its JSON form is the
 * {@code event} message of docs/mqtt.md.
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
    }

    public byte[] toJson(Stamp stamp, KioskIdentity kiosk, PlatePrivacy privacy) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", stamp.id().toString());
        o.put("seq", stamp.seq());
        o.put("kiosk", kiosk.id());
        o.put("site", kiosk.site());
        o.put("lane", kiosk.lane());
        o.put("time", stamp.time().toString());
        o.put("clockSynced", stamp.clockSynced());
        ObjectNode p = o.putObject("pass");
        p.put("result", pass.outcome().wire());
        p.put("digest", pass.digest());
        pass.claims().ifPresentOrElse(c -> {
            p.put("id", c.id());
            p.put("cls", c.cls());
            p.put("kid", c.kid());
            if (c.plate().isPresent()) {
                p.put("plate", privacy.apply(c.plate().get()));
            } else {
                p.putNull("plate");
            }
        }, () -> {
            p.putNull("id");
            p.putNull("cls");
            p.putNull("kid");
            p.putNull("plate");
        });
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
        ObjectNode timings = o.putObject("timings");
        timings.put("decodeMs", nanosToMillis(decodeNanos));
        timings.put("measureMs", nanosToMillis(measureNanos));
        timings.put("totalMs", nanosToMillis(totalNanos));
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static double nanosToMillis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
