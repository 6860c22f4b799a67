package ckp.kiosk.lane;

import ckp.kiosk.pass.Hc1Pass;
import ckp.kiosk.pass.PassCheck;
import ckp.kiosk.pass.PassClaims;
import ckp.kiosk.pass.PassFormat;
import ckp.kiosk.pass.PlatePrivacy;
import ckp.kiosk.screening.TemperatureResult;
import ckp.kiosk.message.Stamp;
import ckp.kiosk.message.Alarm;
import ckp.kiosk.message.AlarmCode;
import ckp.kiosk.message.MessageClass;
import ckp.kiosk.message.Payload;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

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
    public CheckpointEvent {
        Objects.requireNonNull(pass);
        Objects.requireNonNull(temperature);
        Objects.requireNonNull(verdict);
        // Durations are never negative; a glitch in how one was measured is recorded as 0 rather than costing the event.
        decodeNanos = Math.max(0, decodeNanos);
        measureNanos = Math.max(0, measureNanos);
        totalNanos = Math.max(0, totalNanos);
    }

    /** The {@code event} message of this vehicle, with the plate in the form {@code privacy} allows. */
    public Payload payload(PlatePrivacy privacy) {
        Objects.requireNonNull(privacy);
        return new Payload() {
            @Override
            public MessageClass messageClass() {
                return MessageClass.EVENT;
            }

            @Override
            public Map<String, Object> fields(Stamp stamp) {
                return eventFields(privacy);
            }
        };
    }

    private Map<String, Object> eventFields(PlatePrivacy privacy) {
        Map<String, Object> o = new LinkedHashMap<>();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("result", pass.outcome().wire());
        p.put("format", pass.format().map(PassFormat::name).orElse(null));
        Optional<PassClaims> claims = pass.claims();
        Optional<Hc1Pass> hc1 = pass.hc1();
        p.put("id", claims.map(PassClaims::id).orElse(null));
        p.put("cls", claims.map(PassClaims::cls).orElse(null));
        p.put("kid", claims.map(PassClaims::kid).or(() -> hc1.map(Hc1Pass::kid)).orElse(null));
        p.put("type", hc1.map(Hc1Pass::type).orElse(null));
        p.put("country", hc1.map(Hc1Pass::country).orElse(null));
        p.put("ciDigest", hc1.map(Hc1Pass::ciDigest).orElse(null));
        p.put("plate", claims.flatMap(PassClaims::plate).map(privacy::apply).orElse(null));
        p.put("platePrivacy", privacy.mode().wire());
        p.put("digest", pass.digest().orElse(null));
        p.put("hash", pass.hash().orElse(null));
        p.put("denylistVersion", pass.denyListVersion());
        o.put("pass", p);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("result", temperature.kind().wire());
        t.put("celsius", temperature.celsius().isPresent() ? temperature.celsius().getAsDouble() : null);
        t.put("ambientCelsius", temperature.ambientCelsius().isPresent()
                ? temperature.ambientCelsius().getAsDouble() : null);
        t.put("samples", temperature.samples());
        t.put("spreadCelsius", temperature.spreadCelsius());
        o.put("temperature", t);
        o.put("decision", verdict.decision().wire());
        o.put("reasons", List.copyOf(verdict.reasons()));
        o.put("alarm", verdict.alarm().orElse(null));
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("rulesVersion", verdict.watch().rulesVersion());
        Optional<PlateWatch.Hit> hit = verdict.watch().hit();
        // The matched prefix only as far as privacy.plate shows the plate: never more of it than the plate field.
        w.put("prefix", hit.flatMap(h -> claims.flatMap(PassClaims::plate)
                .flatMap(plate -> privacy.prefixShown(plate, h.prefix()))).orElse(null));
        w.put("decision", hit.map(h -> h.decision().wire()).orElse(null));
        w.put("source", hit.map(PlateWatch.Hit::source).orElse(null));
        o.put("plateWatch", w);
        Map<String, Object> timings = new LinkedHashMap<>();
        timings.put("decodeMs", nanosToMillis(decodeNanos));
        timings.put("measureMs", nanosToMillis(measureNanos));
        timings.put("totalMs", nanosToMillis(totalNanos));
        o.put("timings", timings);
        return o;
    }

    /**
     * The {@code fraud-suspected} alarm a revoked or forged pass raises beside its event (docs/mqtt.md, "Fraud
     * alarm"): the operator's console shows alarms, not every event, and a forged pass is the thing it exists for.
     *
     * @param eventId the id of this vehicle's event, so the alarm can be joined to it
     */
    public Alarm fraudAlarm(UUID eventId) {
        if (verdict.alarm().isEmpty()) {
            throw new IllegalStateException("fraudAlarm called for a verdict without an alarm ("
                    + verdict.decision().wire() + ")");
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("event", eventId.toString());
        d.put("passResult", pass.outcome().wire());
        d.put("passId", pass.claims().map(PassClaims::id).orElse(null));
        d.put("kid", pass.claims().map(PassClaims::kid).or(() -> pass.hc1().map(Hc1Pass::kid)).orElse(null));
        d.put("digest", pass.digest().orElse(null));
        d.put("decision", verdict.decision().wire());
        return Alarm.raised(AlarmCode.FRAUD_SUSPECTED, "a " + pass.outcome().wire().replace('_', ' ')
                + " pass was shown; the lane said " + verdict.decision().wire(), d);
    }

    private static double nanosToMillis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
