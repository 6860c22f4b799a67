package ckp.kiosk.aim;

import ckp.drivers.thermometer.ThermometerSample;
import ckp.kiosk.lane.LaneCycle;
import ckp.kiosk.pass.PassFormat;
import ckp.kiosk.scan.DecodedCode;
import ckp.kiosk.scan.ScannedFrame;
import ckp.kiosk.scan.UnreadCode;
import ckp.kiosk.screening.ThermometerHealth;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The aiming view's figures at one moment, as served at {@code /status.json} (schema:
 * {@code docs/schema/aim-status.schema.json}). Codes are described by kind and outcome only: no decoded text, no pass
 * claims, ever leave the kiosk through the view.
 *
 * @param frame       the newest decoded frame, empty before the first
 * @param quality     its quality, empty with no frame
 * @param guidance    hints for the technician, most important first
 * @param decodeFps   frames decoded per second recently, empty until measured
 */
record AimStatus(Instant time, Optional<ScannedFrame> frame, long frameAgeMillis, Optional<FrameQuality> quality,
                 List<Guidance> guidance, OptionalDouble decodeFps, long framesDecoded, ThermometerHealth thermometer,
                 Optional<ThermometerSample> sample, LaneCycle.State lane) {
    static final String SCHEMA = "ckp-aim-status/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    AimStatus {
        Objects.requireNonNull(time);
        Objects.requireNonNull(frame);
        Objects.requireNonNull(quality);
        guidance = List.copyOf(guidance);
        Objects.requireNonNull(decodeFps);
        Objects.requireNonNull(thermometer);
        Objects.requireNonNull(sample);
        Objects.requireNonNull(lane);
    }

    /** What kind of code a text is: a pass format's name ({@code CKP1}) or {@code other}; never the text itself. */
    static String kind(String text) {
        return PassFormat.KNOWN.stream().filter(f -> f.matches(text)).map(PassFormat::name).findFirst().orElse("other");
    }

    /** {@code read}, {@code found_not_read}, {@code no_code} or {@code no_frame}. */
    String result() {
        if (frame.isEmpty()) {
            return "no_frame";
        }
        if (!frame.get().codes().isEmpty()) {
            return "read";
        }
        return frame.get().unread().isEmpty() ? "no_code" : "found_not_read";
    }

    byte[] json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("time", time.toString());
        if (frame.isPresent()) {
            ScannedFrame f = frame.get();
            root.putObject("frame").put("sequence", f.frame().sequence()).put("width", f.frame().width())
                    .put("height", f.frame().height()).put("ageMillis", frameAgeMillis);
        } else {
            root.putNull("frame");
        }
        ObjectNode decode = root.putObject("decode");
        decode.put("result", result());
        ArrayNode codes = decode.putArray("codes");
        frame.ifPresent(f -> {
            for (DecodedCode c : f.codes()) {
                codes.addObject().put("kind", kind(c.text())).put("outcome", "read")
                        .put("widthPercent", round1(100 * Guidance.widthShare(c.corners(), f.frame().width())));
            }
            for (UnreadCode u : f.unread()) {
                codes.addObject().put("kind", "unknown").put("outcome", "not_read")
                        .put("widthPercent", round1(100 * Guidance.widthShare(u.corners(), f.frame().width())));
            }
        });
        if (decodeFps.isPresent()) {
            decode.put("fps", round1(decodeFps.getAsDouble()));
        } else {
            decode.putNull("fps");
        }
        decode.put("framesDecoded", framesDecoded);
        decode.put("millis", frame.map(f -> round1(f.decodeNanos() / 1e6)).orElse(0.0));
        if (quality.isPresent()) {
            FrameQuality q = quality.get();
            root.putObject("image").put("brightness", round1(q.brightness()))
                    .put("sharpnessPercent", round1(q.sharpnessPercent())).put("glarePercent", round1(q.glarePercent()))
                    .put("minCodeWidthPercent", 100 * Guidance.MIN_WIDTH_SHARE);
        } else {
            root.putNull("image");
        }
        ObjectNode t = root.putObject("thermometer");
        t.put("sensor", thermometer.sensor()).put("health", thermometer.wire()).put("detail", thermometer.detail());
        Optional<ThermometerSample> valid = sample.filter(ThermometerSample::ok);
        if (valid.isPresent()) {
            t.put("objectCelsius", valid.get().objectCelsius()).put("ambientCelsius", valid.get().ambientCelsius());
        } else {
            t.putNull("objectCelsius").putNull("ambientCelsius");
        }
        root.putObject("lane").put("state", lane.name().toLowerCase(Locale.ROOT));
        ArrayNode hints = root.putArray("guidance");
        for (Guidance g : guidance) {
            hints.addObject().put("code", g.wire()).put("text", g.text());
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of plain values did not serialise", e);
        }
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
