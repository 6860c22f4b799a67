package ckp.kiosk.pass;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies EU Digital COVID Certificates ({@code HC1:} + Base45 of a zlib-compressed COSE_Sign1 whose payload is a CBOR
 * Web Token) offline, against the Document Signer Certificates of the trust store. The checks run in the order of
 * {@link PassOutcome}: foreign, malformed, unknown key, bad signature, revoked, key usage, then the validity window;
 * every input, however broken, yields an outcome, and nothing here throws for a bad code. The holder's name and date
 * of birth are read by no one: only {@link Hc1Pass}'s fields leave this class
 * (the CWT is read by {@link Hc1Claims}, the COSE_Sign1 by {@link CoseSign1}).
 */
public final class Hc1Verifier {
    public static final String PREFIX = "HC1:";
    /** The most characters a QR code holds in alphanumeric mode (version 40, error correction L). */
    public static final int MAX_TEXT_CHARS = 4296;
    /** The most bytes the zlib stream may inflate to: ample for a certificate, and a compression bomb stops here. */
    public static final int MAX_INFLATED_BYTES = 64 * 1024;
    /** The DCC extended key usages' arcs: the registered one and the form some member states' DSCs carry. */
    static final List<String> KEY_USAGE_ARCS = List.of("1.3.6.1.4.1.1847.2021.1.", "1.3.6.1.4.1.0.1847.2021.1.");
    /** The DCC key usage suffix of each certificate type. */
    static final Map<String, String> KEY_USAGE_BY_TYPE = Map.of("t", "1", "v", "2", "r", "3");

    /**
     * The steps of verification, as the official test suite divides them; a step not reached has no result. {@code
     * CBOR}: the COSE_Sign1 and the CWT decode, down to a certificate map under hcert; {@code CLAIMS}: what the checks
     * need is there and well formed (alg, kid, exp, one of v/t/r with its ci, the issuing country).
     */
    public enum Step {
        PREFIX, BASE45, ZLIB, CBOR, CLAIMS, SIGNATURE, KEY_USAGE, VALIDITY;

        /** The step's name in {@code kioskctl pass verify --jsonl}: lower camel case. */
        public String wire() {
            String[] words = name().toLowerCase(java.util.Locale.ROOT).split("_");
            StringBuilder sb = new StringBuilder(words[0]);
            for (int i = 1; i < words.length; i++) {
                sb.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
            }
            return sb.toString();
        }
    }

    /**
     * A check and how each step went.
     *
     * @param steps true or false for each step that ran; key usage and validity run even when an earlier check failed
     *              (when what they need could be read), so each step's result is known on its own
     */
    public record Result(PassCheck check, Map<Step, Boolean> steps) {
        public Result {
            Objects.requireNonNull(check);
            steps = Collections.unmodifiableMap(steps.isEmpty() ? new EnumMap<>(Step.class) : new EnumMap<>(steps));
        }
    }

    private final TrustStore trust;
    private final DenyList deny;
    private final Duration skew;

    public Hc1Verifier(TrustStore trust, DenyList deny, Duration skew) {
        this.trust = Objects.requireNonNull(trust);
        this.deny = Objects.requireNonNull(deny);
        this.skew = Objects.requireNonNull(skew);
        if (skew.isNegative() || skew.toSeconds() > Ckp1Verifier.MAX_SKEW_SECONDS) {
            throw new IllegalArgumentException("skew must be 0 to " + Ckp1Verifier.MAX_SKEW_SECONDS + " s, got " + skew);
        }
    }

    /** Checks one scanned text; see {@link Ckp1Verifier#verify} for {@code now} and {@code clockSynced}. */
    public PassCheck verify(String text, Instant now, boolean clockSynced) {
        return inspect(text, now, clockSynced).check();
    }

    /** Checks one scanned text and says how each step went. */
    public Result inspect(String text, Instant now, boolean clockSynced) {
        Map<Step, Boolean> steps = new EnumMap<>(Step.class);
        long denyVersion = deny.version();
        steps.put(Step.PREFIX, text.startsWith(PREFIX));
        if (!text.startsWith(PREFIX)) {
            return new Result(new PassCheck(PassOutcome.FOREIGN, Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), denyVersion), steps);
        }
        Optional<String> digest = Optional.of(Ckp1Verifier.digest(text));
        Optional<byte[]> compressed = text.length() > MAX_TEXT_CHARS ? Optional.empty()
                : Base45.decode(text.substring(PREFIX.length()));
        steps.put(Step.BASE45, compressed.isPresent());
        if (compressed.isEmpty()) {
            return malformed(digest, denyVersion, steps);
        }
        Optional<byte[]> cose = CoseSign1.inflate(compressed.get());
        steps.put(Step.ZLIB, cose.isPresent());
        if (cose.isEmpty()) {
            return malformed(digest, denyVersion, steps);
        }
        Optional<CoseSign1> sign1 = CoseSign1.parse(cose.get());
        Optional<JsonNode> cwt = sign1.flatMap(s -> CoseSign1.parseMap(s.payload()))
                .filter(c -> Hc1Claims.certificate(c).isPresent());
        steps.put(Step.CBOR, cwt.isPresent());
        if (cwt.isEmpty()) {
            return malformed(digest, denyVersion, steps);
        }
        Optional<byte[]> kid = sign1.get().header(4).filter(JsonNode::isBinary).map(CoseSign1::bytes);
        Optional<Integer> alg = sign1.get().header(1).filter(JsonNode::canConvertToInt).map(JsonNode::intValue);
        Optional<Hc1Claims> parsed = Hc1Claims.parse(cwt.get());
        boolean claimsOk = parsed.isPresent() && kid.isPresent() && kid.get().length > 0 && kid.get().length <= 32
                && alg.isPresent() && (alg.get() == CoseSign1.ES256 || alg.get() == CoseSign1.PS256);
        steps.put(Step.CLAIMS, claimsOk);
        if (!claimsOk) {
            return malformed(digest, denyVersion, steps);
        }
        Hc1Claims claims = parsed.get();
        String kidText = Base64.getEncoder().encodeToString(kid.get());
        Optional<Hc1Pass> pass = Optional.of(new Hc1Pass(claims.type(), claims.country(), kidText, claims.ciDigest()));
        List<X509Certificate> candidates = trust.signers(kidText);
        Optional<X509Certificate> signer = candidates.stream()
                .filter(c -> sign1.get().signatureVerifies(c.getPublicKey(), alg.get()))
                .findFirst();
        steps.put(Step.SIGNATURE, signer.isPresent());
        signer.ifPresent(c -> steps.put(Step.KEY_USAGE, keyUsageAllows(c, claims.type())));
        Optional<PassOutcome> window = clockSynced ? Optional.of(window(claims, signer, now)) : Optional.empty();
        window.ifPresent(w -> steps.put(Step.VALIDITY, w == PassOutcome.VALID));
        PassOutcome outcome;
        if (candidates.isEmpty()) {
            outcome = PassOutcome.UNKNOWN_KEY;
        } else if (signer.isEmpty()) {
            outcome = PassOutcome.BAD_SIGNATURE;
        } else if (deny.revokes(claims.ciDigest())) {
            outcome = PassOutcome.REVOKED;
        } else if (!steps.get(Step.KEY_USAGE)) {
            outcome = PassOutcome.KEY_USAGE_MISMATCH;
        } else if (window.isEmpty()) {
            outcome = PassOutcome.CLOCK_UNSYNCED;
        } else {
            outcome = window.get();
        }
        return new Result(new PassCheck(outcome, Optional.of(PassFormat.HC1), Optional.empty(), pass, digest,
                Optional.empty(), denyVersion), steps);
    }

    private static Result malformed(Optional<String> digest, long denyVersion, Map<Step, Boolean> steps) {
        return new Result(new PassCheck(PassOutcome.MALFORMED, Optional.of(PassFormat.HC1), Optional.empty(),
                Optional.empty(), digest, Optional.empty(), denyVersion), steps);
    }

    /**
     * The validity window: not yet valid when issued after the clock (beyond the skew); expired when the CWT's exp has
     * passed or the signer's certificate is not valid at the clock.
     */
    private PassOutcome window(Hc1Claims claims, Optional<X509Certificate> signer, Instant now) {
        // Written so that no sum can overflow: iat and exp are any long an issuer put in, now and skew are small.
        long t = now.getEpochSecond();
        long s = skew.toSeconds();
        if (claims.issuedAt().isPresent() && t + s < claims.issuedAt().get()) {
            return PassOutcome.NOT_YET_VALID;
        }
        if (claims.expires().isPresent() && t - s >= claims.expires().get()) {
            return PassOutcome.EXPIRED;
        }
        if (signer.isPresent()) {
            long from = signer.get().getNotBefore().toInstant().getEpochSecond();
            long until = signer.get().getNotAfter().toInstant().getEpochSecond();
            if (t + s < from || t - s > until) {
                return PassOutcome.EXPIRED;
            }
        }
        return PassOutcome.VALID;
    }

    /**
     * Whether the signer may sign this type: a DSC that carries any of the DCC extended key usages may sign only the
     * types it names; one that carries none may sign all three.
     */
    static boolean keyUsageAllows(X509Certificate signer, String type) {
        List<String> usages;
        try {
            usages = signer.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (usages == null) {
            return true;
        }
        boolean anyDcc = false;
        for (String oid : usages) {
            for (String arc : KEY_USAGE_ARCS) {
                if (oid.startsWith(arc) && KEY_USAGE_BY_TYPE.containsValue(oid.substring(arc.length()))) {
                    anyDcc = true;
                    if (oid.substring(arc.length()).equals(KEY_USAGE_BY_TYPE.get(type))) {
                        return true;
                    }
                }
            }
        }
        return !anyDcc;
    }

    /** The first 16 bytes of SHA-256 of the certificate identifier, hex: what the deny list names an HC1 pass by. */
    public static String ciDigest(String ci) {
        return Hc1Claims.ciDigest(ci);
    }

    public TrustStore trust() {
        return trust;
    }

    public DenyList denyList() {
        return deny;
    }
}
