package ckp.kiosk.pass;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies CKP1 passes offline, exactly as {@code ckp1-pass.md} orders the checks: foreign, malformed, unknown key,
 * bad signature, revoked, then the validity window. Every input, however broken, yields an outcome; nothing here
 * throws for a bad code.
 */
public final class Ckp1Verifier {
    public static final String PREFIX = "CKP1:";
    public static final int MAX_TEXT_CHARS = 1024;
    static final int SIGNATURE_BYTES = 64;
    /** A day: the largest skew pass.skew.seconds allows, and small enough that no time sum can overflow. */
    static final long MAX_SKEW_SECONDS = 86_400;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();

    private final TrustStore trust;
    private final DenyList deny;
    private final Duration skew;

    public Ckp1Verifier(TrustStore trust, DenyList deny, Duration skew) {
        this.trust = Objects.requireNonNull(trust);
        this.deny = Objects.requireNonNull(deny);
        this.skew = Objects.requireNonNull(skew);
        if (skew.isNegative() || skew.toSeconds() > MAX_SKEW_SECONDS) {
            throw new IllegalArgumentException("skew must be 0 to " + MAX_SKEW_SECONDS + " s, got " + skew);
        }
    }

    public TrustStore trust() {
        return trust;
    }

    public DenyList denyList() {
        return deny;
    }

    public Duration skew() {
        return skew;
    }

    /**
     * Checks one scanned text.
     *
     * @param now         the kiosk's clock
     * @param clockSynced whether that clock is known to be right; when not, a pass that passed every other check is
     *                    {@link PassOutcome#CLOCK_UNSYNCED} instead of valid, expired or not yet valid
     */
    public PassCheck verify(String text, Instant now, boolean clockSynced) {
        long denyVersion = deny.version();
        if (!text.startsWith(PREFIX)) {
            return new PassCheck(PassOutcome.FOREIGN, Optional.empty(), Optional.empty(), Optional.empty(), denyVersion);
        }
        Optional<String> digest = Optional.of(digest(text));
        if (text.length() > MAX_TEXT_CHARS) {
            return malformed(digest, denyVersion);
        }
        Optional<byte[]> decoded = Base45.decode(text.substring(PREFIX.length()));
        if (decoded.isEmpty() || decoded.get().length < SIGNATURE_BYTES + 1) {
            return malformed(digest, denyVersion);
        }
        byte[] all = decoded.get();
        byte[] claimBytes = Arrays.copyOfRange(all, 0, all.length - SIGNATURE_BYTES);
        byte[] signature = Arrays.copyOfRange(all, all.length - SIGNATURE_BYTES, all.length);
        Optional<PassClaims> parsed = parseClaims(claimBytes);
        if (parsed.isEmpty()) {
            return malformed(digest, denyVersion);
        }
        PassClaims claims = parsed.get();
        Optional<PublicKey> key = trust.key(claims.kid());
        if (key.isEmpty()) {
            return new PassCheck(PassOutcome.UNKNOWN_KEY, parsed, digest, Optional.empty(), denyVersion);
        }
        if (!signatureVerifies(key.get(), claimBytes, signature)) {
            return new PassCheck(PassOutcome.BAD_SIGNATURE, parsed, digest, Optional.empty(), denyVersion);
        }
        if (deny.revokes(claims.id())) {
            return new PassCheck(PassOutcome.REVOKED, parsed, digest, Optional.empty(), denyVersion);
        }
        if (!clockSynced) {
            return new PassCheck(PassOutcome.CLOCK_UNSYNCED, parsed, digest, Optional.empty(), denyVersion);
        }
        // Written so that no sum can overflow: nbf and exp are any signed long an issuer put in, now and skew are small.
        long t = now.getEpochSecond();
        long skewSeconds = skew.toSeconds();
        if (t + skewSeconds < claims.notBeforeEpochSeconds()) {
            return new PassCheck(PassOutcome.NOT_YET_VALID, parsed, digest, Optional.empty(), denyVersion);
        }
        if (t - skewSeconds >= claims.expiresEpochSeconds()) {
            return new PassCheck(PassOutcome.EXPIRED, parsed, digest, Optional.empty(), denyVersion);
        }
        return new PassCheck(PassOutcome.VALID, parsed, digest, Optional.empty(), denyVersion);
    }

    private static PassCheck malformed(Optional<String> digest, long denyVersion) {
        return new PassCheck(PassOutcome.MALFORMED, Optional.empty(), digest, Optional.empty(), denyVersion);
    }

    /** The signed message: the ASCII prefix, then the claims bytes. */
    static byte[] signedMessage(byte[] claimBytes) {
        byte[] prefix = PREFIX.getBytes(StandardCharsets.US_ASCII);
        byte[] msg = Arrays.copyOf(prefix, prefix.length + claimBytes.length);
        System.arraycopy(claimBytes, 0, msg, prefix.length, claimBytes.length);
        return msg;
    }

    private static boolean signatureVerifies(PublicKey key, byte[] claimBytes, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(signedMessage(claimBytes));
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // An encoding the JDK rejects (e.g. a non-canonical point) is a signature that does not verify.
            return false;
        }
    }

    /** Parses claims as strict UTF-8 JSON; empty when anything about them is not as the contract says. */
    static Optional<PassClaims> parseClaims(byte[] bytes) {
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException | RuntimeException e) {
            // Jackson's own limits (nesting depth, number length) also throw; any of it means: not a claims object.
            return Optional.empty();
        }
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        JsonNode v = root.get("v");
        if (!isLong(v) || v.asLong() != 1) {
            return Optional.empty();
        }
        JsonNode id = root.get("id");
        JsonNode kid = root.get("kid");
        JsonNode cls = root.get("cls");
        JsonNode nbf = root.get("nbf");
        JsonNode exp = root.get("exp");
        JsonNode plate = root.get("plate");
        JsonNode sub = root.get("sub");
        if (!isText(id) || !isText(kid) || !isText(cls) || !isLong(nbf) || !isLong(exp)) {
            return Optional.empty();
        }
        // The optional members, when present, must also be as the table says: a pass that breaks its own format is
        // not one the issuer made, whichever member is wrong.
        if (!isAbsentOrText(plate) || !isAbsentOrText(sub)) {
            return Optional.empty();
        }
        Optional<String> plateText = Optional.ofNullable(plate).map(JsonNode::textValue);
        Optional<String> subText = Optional.ofNullable(sub).map(JsonNode::textValue);
        if (PassClaims.formProblem(id.textValue(), kid.textValue(), cls.textValue(), plateText, subText,
                nbf.longValue(), exp.longValue()).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new PassClaims(id.textValue(), kid.textValue(), cls.textValue(), plateText, subText,
                nbf.longValue(), exp.longValue()));
    }

    private static boolean isAbsentOrText(JsonNode n) {
        return n == null || n.isTextual();
    }

    private static boolean isText(JsonNode n) {
        return n != null && n.isTextual();
    }

    private static boolean isLong(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToLong();
    }

    /** The first 8 bytes of the text's SHA-256, in hex: enough to match a code, not to recover it. */
    public static String digest(String text) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
