package ckp.provisioning.pass;

import ckp.kiosk.pass.Ckp1Verifier;
import ckp.kiosk.pass.DenyList;
import ckp.kiosk.pass.Hc1Pass;
import ckp.kiosk.pass.Hc1Verifier;
import ckp.kiosk.pass.PassCheck;
import ckp.kiosk.pass.PassClaims;
import ckp.kiosk.pass.PassFormat;
import ckp.kiosk.pass.PlatePrivacy;
import ckp.kiosk.pass.TrustStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code kioskctl pass verify --jsonl}: verifies one pass per JSON line, for the central side and for test suites. A
 * line names its text and, optionally, the signer certificates and the time to check with; the answer is one JSON line
 * per input line, in order, with the outcome, the event's pass fields (never a name or a date of birth) and, for HC1,
 * how each verification step went. A line that cannot be read gets an answer saying why, and the run goes on.
 */
final class PassBatch {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrustStore trust;
    private final DenyList deny;
    private final Duration skew;
    private final Optional<Instant> now;

    /**
     * @param trust the keys and certificates of {@code --trust}, for lines without their own
     * @param now   {@code --now}, for lines without their own; the clock otherwise
     */
    PassBatch(TrustStore trust, DenyList deny, Duration skew, Instant now) {
        this.trust = Objects.requireNonNull(trust);
        this.deny = Objects.requireNonNull(deny);
        this.skew = Objects.requireNonNull(skew);
        this.now = Optional.ofNullable(now);
    }

    /** Answers every line of {@code in}; returns 0 when every line could be read, 1 otherwise. */
    int run(BufferedReader in, PrintWriter out) throws IOException {
        int unreadable = 0;
        String line;
        long number = 0;
        while ((line = in.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            ObjectNode answer;
            try {
                answer = answer(line);
            } catch (BadLine e) {
                unreadable++;
                answer = JSON.createObjectNode();
                answer.putNull("outcome");
                answer.put("line", number);
                answer.put("error", e.getMessage());
            }
            out.println(answer.toString());
        }
        out.flush();
        return unreadable == 0 ? 0 : PassCommand.NOT_VALID;
    }

    /** A line that is not a request this command understands; its message says what is wrong. */
    static final class BadLine extends Exception {
        BadLine(String message) {
            super(message);
        }
    }

    ObjectNode answer(String line) throws BadLine {
        JsonNode request;
        try {
            request = JSON.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadLine("not JSON: " + e.getOriginalMessage());
        }
        if (request == null || !request.isObject() || !request.path("text").isTextual()) {
            throw new BadLine("each line is a JSON object with a \"text\" string");
        }
        String text = request.get("text").textValue();
        TrustStore lineTrust = request.has("trust") ? certificates(request.get("trust")) : trust;
        Instant at = request.has("now") ? time(request.get("now")) : now.orElseGet(Instant::now);
        ObjectNode answer = JSON.createObjectNode();
        PassCheck check;
        Map<Hc1Verifier.Step, Boolean> steps = Map.of();
        if (PassFormat.CKP1.matches(text)) {
            check = new Ckp1Verifier(lineTrust, deny, skew).verify(text, at, true);
        } else {
            Hc1Verifier.Result r = new Hc1Verifier(lineTrust, deny, skew).inspect(text, at, true);
            check = r.check();
            steps = r.steps();
        }
        answer.put("outcome", check.outcome().wire());
        putOrNull(answer, "format", check.format().map(PassFormat::name));
        putOrNull(answer, "id", check.claims().map(PassClaims::id));
        putOrNull(answer, "cls", check.claims().map(PassClaims::cls));
        putOrNull(answer, "plate", check.claims().flatMap(PassClaims::plate).map(PlatePrivacy.MASKED::apply));
        putOrNull(answer, "kid", check.claims().map(PassClaims::kid).or(() -> check.hc1().map(Hc1Pass::kid)));
        putOrNull(answer, "type", check.hc1().map(Hc1Pass::type));
        putOrNull(answer, "country", check.hc1().map(Hc1Pass::country));
        putOrNull(answer, "ciDigest", check.hc1().map(Hc1Pass::ciDigest));
        putOrNull(answer, "digest", check.digest());
        ObjectNode stepNode = answer.putObject("steps");
        steps.forEach((step, ok) -> stepNode.put(step.wire(), ok));
        return answer;
    }

    private static TrustStore certificates(JsonNode trust) throws BadLine {
        if (!trust.isArray()) {
            throw new BadLine("\"trust\" is an array of base64 DER certificates");
        }
        List<X509Certificate> certs = new ArrayList<>();
        for (JsonNode c : trust) {
            if (!c.isTextual()) {
                throw new BadLine("\"trust\" is an array of base64 DER certificates");
            }
            try {
                certs.add(TrustStore.parseCertificate(Base64.getMimeDecoder().decode(c.textValue())));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new BadLine("\"trust\" item " + certs.size() + " is not a base64 DER certificate: "
                        + e.getMessage());
            }
        }
        return TrustStore.of(Map.of(), certs);
    }

    private static Instant time(JsonNode now) throws BadLine {
        if (now.isIntegralNumber() && now.canConvertToLong()) {
            return Instant.ofEpochSecond(now.longValue());
        }
        if (now.isTextual()) {
            try {
                return new PassCommand.TimeConverter().convert(now.textValue());
            } catch (picocli.CommandLine.TypeConversionException e) {
                throw new BadLine("\"now\": " + e.getMessage());
            }
        }
        throw new BadLine("\"now\" is a time: Unix seconds or an ISO date-time such as 2021-05-03T18:00:00Z");
    }

    private static void putOrNull(ObjectNode o, String name, Optional<String> value) {
        if (value.isPresent()) {
            o.put(name, value.get());
        } else {
            o.putNull(name);
        }
    }
}
