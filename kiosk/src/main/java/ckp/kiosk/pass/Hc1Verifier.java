package ckp.kiosk.pass;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Verifies EU Digital COVID Certificates ({@code HC1:} + Base45 of a zlib-compressed COSE_Sign1 whose payload is a CBOR
 * Web Token) offline, against the Document Signer Certificates of the trust store. The checks run in the order of
 * {@link PassOutcome}: foreign, malformed, unknown key, bad signature, revoked, key usage, then the validity window;
 * every input, however broken, yields an outcome, and nothing here throws for a bad code. The holder's name and date
 * of birth are read by no one: only {@link Hc1Pass}'s fields leave this class.
 */
public final class Hc1Verifier {
    public static final String PREFIX = "HC1:";
    /** The most characters a QR code holds in alphanumeric mode (version 40, error correction L). */
    public static final int MAX_TEXT_CHARS = 4296;
    /** The most bytes the zlib stream may inflate to: ample for a certificate, and a compression bomb stops here. */
    public static final int MAX_INFLATED_BYTES = 64 * 1024;
    static final int ES256 = -7;
    static final int PS256 = -37;
    static final int TAG_COSE_SIGN1 = 18;
    static final int TAG_CWT = 61;
    /** The DCC extended key usages' arcs: the registered one and the form some member states' DSCs carry. */
    static final List<String> KEY_USAGE_ARCS = List.of("1.3.6.1.4.1.1847.2021.1.", "1.3.6.1.4.1.0.1847.2021.1.");
    /** The DCC key usage suffix of each certificate type. */
    static final Map<String, String> KEY_USAGE_BY_TYPE = Map.of("t", "1", "v", "2", "r", "3");

    private static final CBORFactory CBOR = CBORFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32)
                    .maxStringLength(MAX_INFLATED_BYTES).maxNumberLength(64).build())
            .build();
    private static final ObjectMapper MAPPER = new CBORMapper(CBOR);

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

    /** A decoded COSE_Sign1: the raw protected header, the headers as maps, the payload's bytes and the signature. */
    record CoseSign1(byte[] protectedBytes, JsonNode protectedHeader, JsonNode unprotectedHeader, byte[] payload,
                     byte[] signature) {
    }

    /** What the CWT says, as far as verification needs it; {@code dcc} stays inside this class. */
    record Claims(Optional<Long> issuedAt, Optional<Long> expires, String type, String country, String ciDigest) {
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
        Optional<byte[]> cose = inflate(compressed.get());
        steps.put(Step.ZLIB, cose.isPresent());
        if (cose.isEmpty()) {
            return malformed(digest, denyVersion, steps);
        }
        Optional<CoseSign1> sign1 = parseCose(cose.get());
        Optional<JsonNode> cwt = sign1.flatMap(s -> parseMap(s.payload())).filter(c -> certificate(c).isPresent());
        steps.put(Step.CBOR, cwt.isPresent());
        if (cwt.isEmpty()) {
            return malformed(digest, denyVersion, steps);
        }
        Optional<byte[]> kid = header(sign1.get(), 4).filter(JsonNode::isBinary).map(Hc1Verifier::bytes);
        Optional<Integer> alg = header(sign1.get(), 1).filter(JsonNode::canConvertToInt).map(JsonNode::intValue);
        Optional<Claims> parsed = parseClaims(cwt.get());
        boolean claimsOk = parsed.isPresent() && kid.isPresent() && kid.get().length > 0 && kid.get().length <= 32
                && alg.isPresent() && (alg.get() == ES256 || alg.get() == PS256);
        steps.put(Step.CLAIMS, claimsOk);
        if (!claimsOk) {
            return malformed(digest, denyVersion, steps);
        }
        Claims claims = parsed.get();
        String kidText = Base64.getEncoder().encodeToString(kid.get());
        Optional<Hc1Pass> pass = Optional.of(new Hc1Pass(claims.type(), claims.country(), kidText, claims.ciDigest()));
        List<X509Certificate> candidates = trust.signers(kidText);
        Optional<X509Certificate> signer = candidates.stream()
                .filter(c -> signatureVerifies(c.getPublicKey(), alg.get(), sign1.get()))
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
    private PassOutcome window(Claims claims, Optional<X509Certificate> signer, Instant now) {
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

    /** Inflates a zlib stream into at most {@value #MAX_INFLATED_BYTES} bytes; empty when broken, cut or too big. */
    static Optional<byte[]> inflate(byte[] compressed) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(MAX_INFLATED_BYTES, compressed.length * 4));
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return Optional.empty();
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_INFLATED_BYTES) {
                    return Optional.empty();
                }
            }
            if (inflater.getRemaining() != 0) {
                return Optional.empty();
            }
            return Optional.of(out.toByteArray());
        } catch (DataFormatException e) {
            return Optional.empty();
        } finally {
            inflater.end();
        }
    }

    /** Reads a COSE_Sign1, tagged 18 (optionally inside the CWT tag 61) or untagged, with nothing after it. */
    static Optional<CoseSign1> parseCose(byte[] bytes) {
        try (JsonParser p = MAPPER.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return Optional.empty();
            }
            CBORParser.TagList tags = ((CBORParser) p).getCurrentTags();
            boolean tagsOk = tags.isEmpty()
                    || tags.size() == 1 && tags.contains(TAG_COSE_SIGN1)
                    || tags.size() == 2 && tags.contains(TAG_CWT) && tags.contains(TAG_COSE_SIGN1);
            if (!tagsOk) {
                return Optional.empty();
            }
            JsonNode array = MAPPER.readTree(p);
            if (p.nextToken() != null || array == null || !array.isArray() || array.size() != 4) {
                return Optional.empty();
            }
            JsonNode prot = array.get(0);
            JsonNode unprot = array.get(1);
            JsonNode payload = array.get(2);
            JsonNode signature = array.get(3);
            if (!prot.isBinary() || !unprot.isObject() || !payload.isBinary() || !signature.isBinary()) {
                return Optional.empty();
            }
            byte[] protectedBytes = bytes(prot);
            Optional<JsonNode> protectedHeader = protectedBytes.length == 0
                    ? Optional.of(MAPPER.createObjectNode()) : parseMap(protectedBytes);
            return protectedHeader.map(h -> new CoseSign1(protectedBytes, h, unprot, bytes(payload), bytes(signature)));
        } catch (IOException | RuntimeException e) {
            // Jackson's own limits (nesting, lengths) and broken CBOR alike: not a COSE_Sign1.
            return Optional.empty();
        }
    }

    /** Reads bytes that must hold one CBOR map and nothing after it. */
    static Optional<JsonNode> parseMap(byte[] bytes) {
        try (JsonParser p = MAPPER.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            JsonNode map = MAPPER.readTree(p);
            if (p.nextToken() != null || map == null || !map.isObject()) {
                return Optional.empty();
            }
            return Optional.of(map);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A header parameter: from the protected header when there, else from the unprotected one. */
    private static Optional<JsonNode> header(CoseSign1 s, int label) {
        JsonNode p = s.protectedHeader().get(Integer.toString(label));
        return Optional.ofNullable(p != null ? p : s.unprotectedHeader().get(Integer.toString(label)));
    }

    /**
     * The claims verification needs: iss (1), exp (4), iat (6) and the certificate under hcert (−260 → 1), which must
     * hold exactly one of {@code v}, {@code t}, {@code r} with an entry carrying its {@code ci}.
     */
    static Optional<Claims> parseClaims(JsonNode cwt) {
        Optional<JsonNode> certificate = certificate(cwt);
        if (certificate.isEmpty()) {
            return Optional.empty();
        }
        JsonNode dcc = certificate.get();
        Optional<Long> exp = time(cwt.get("4"));
        Optional<Long> iat = time(cwt.get("6"));
        if (exp.isEmpty() && cwt.has("4") || iat.isEmpty() && cwt.has("6") || exp.isEmpty()) {
            return Optional.empty();
        }
        String type = null;
        for (String t : List.of("v", "t", "r")) {
            JsonNode entries = dcc.get(t);
            // Some issuers write the two absent types as null rather than leaving them out.
            if (entries != null && !entries.isNull()) {
                if (type != null || !entries.isArray() || entries.isEmpty()) {
                    return Optional.empty();
                }
                type = t;
            }
        }
        if (type == null) {
            return Optional.empty();
        }
        JsonNode entry = dcc.get(type).get(0);
        JsonNode ci = entry.isObject() ? entry.get("ci") : null;
        if (ci == null || !ci.isTextual() || ci.textValue().isEmpty()) {
            return Optional.empty();
        }
        JsonNode iss = cwt.get("1");
        JsonNode co = entry.get("co");
        String country;
        if (iss != null && iss.isTextual() && Hc1Pass.COUNTRY.matcher(iss.textValue()).matches()) {
            country = iss.textValue();
        } else if (co != null && co.isTextual() && Hc1Pass.COUNTRY.matcher(co.textValue()).matches()) {
            country = co.textValue();
        } else {
            return Optional.empty();
        }
        return Optional.of(new Claims(iat, exp, type, country, ciDigest(ci.textValue())));
    }

    /** The certificate map under hcert (−260 → 1): decoding has not reached the DCC without it. */
    private static Optional<JsonNode> certificate(JsonNode cwt) {
        JsonNode hcert = cwt.get("-260");
        JsonNode dcc = hcert != null && hcert.isObject() ? hcert.get("1") : null;
        return dcc != null && dcc.isObject() ? Optional.of(dcc) : Optional.empty();
    }

    /** A CWT time: an integer, or a finite number (some issuers write floats), in Unix seconds. */
    private static Optional<Long> time(JsonNode n) {
        if (n == null) {
            return Optional.empty();
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return Optional.of(n.longValue());
        }
        if (n.isFloatingPointNumber() && Double.isFinite(n.doubleValue()) && Math.abs(n.doubleValue()) < 1e15) {
            return Optional.of((long) Math.floor(n.doubleValue()));
        }
        return Optional.empty();
    }

    /** The first 16 bytes of SHA-256 of the certificate identifier, hex: what the deny list names an HC1 pass by. */
    public static String ciDigest(String ci) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(ci.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /**
     * The COSE signature check: ES256 (raw r‖s, read by the JDK's P1363 form of ECDSA, so no DER is built by hand) or
     * PS256 (RSASSA-PSS, SHA-256, MGF1, salt 32) over the Sig_structure.
     */
    static boolean signatureVerifies(PublicKey key, int alg, CoseSign1 s) {
        try {
            Signature verifier;
            if (alg == ES256 && key instanceof ECPublicKey) {
                // SHA-256 on the DSC's own curve: P-256 as ES256 names, or P-384 as some DSCs carry; the JDK checks
                // that r‖s has the curve's length.
                verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
            } else if (alg == PS256 && key instanceof RSAPublicKey) {
                verifier = Signature.getInstance("RSASSA-PSS");
                verifier.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            } else {
                return false;
            }
            verifier.initVerify(key);
            verifier.update(toBeSigned(s.protectedBytes(), s.payload()));
            return verifier.verify(s.signature());
        } catch (GeneralSecurityException | RuntimeException e) {
            // A key or signature the JDK rejects is a signature that does not verify.
            return false;
        }
    }

    /** The COSE Sig_structure for COSE_Sign1: ["Signature1", protected, external_aad (empty), payload]. */
    static byte[] toBeSigned(byte[] protectedBytes, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + protectedBytes.length + 32);
        try (CBORGenerator g = CBOR.createGenerator(out)) {
            g.writeStartArray(null, 4);
            g.writeString("Signature1");
            g.writeBinary(protectedBytes);
            g.writeBinary(new byte[0]);
            g.writeBinary(payload);
            g.writeEndArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing CBOR to memory failed", e);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(JsonNode binary) {
        try {
            return binary.binaryValue();
        } catch (IOException e) {
            throw new IllegalStateException("a CBOR byte string node without bytes", e);
        }
    }

    public TrustStore trust() {
        return trust;
    }

    public DenyList denyList() {
        return deny;
    }
}
