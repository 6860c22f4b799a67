package ckp.kiosk.site;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A site authority message: a JWS compact serialisation (RFC 7515) signed with EdDSA over Ed25519 (RFC 8037), whose
 * payload is the message itself (e.g. the deny list JSON). Read strictly — exact base64url without padding, one JSON
 * object as header, no extensions — so that no two readers can take one message two ways.
 */
public final class SiteJws {
    /** The only algorithm accepted: EdDSA, which with an Ed25519 key means Ed25519 (RFC 8037). */
    public static final String ALG = "EdDSA";
    /** A protected header larger than this is not one the site authority wrote. */
    public static final int MAX_HEADER_CHARS = 4096;
    /**
     * The kid of a site key, as its file in {@code site.trust.dir} is named ({@code <kid>.pem}): letters, digits,
     * {@code . _ -}, not starting with a dot. A kid only ever selects a key loaded from that folder, never a path.
     */
    public static final Pattern KID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");
    private static final int SIGNATURE_CHARS = 86; // 64 bytes
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();

    /**
     * One message read apart, its signature not yet checked.
     *
     * @param signingInput the bytes the signature covers: ASCII of {@code header.payload}
     * @param payloadText  the payload segment, still base64url
     */
    record Parts(String kid, Optional<String> typ, byte[] signingInput, String payloadText, byte[] signature) {
        Parts {
            Objects.requireNonNull(kid);
            Objects.requireNonNull(typ);
        }
    }

    /** The parts of a message, or why it is not a site authority JWS. */
    record Read(Optional<Parts> parts, String problem) {
        static Read bad(String problem) {
            return new Read(Optional.empty(), problem);
        }
    }

    private SiteJws() {
    }

    /** The {@code typ} header value for a kind of site message, e.g. {@code ckp-denylist+jws}. */
    public static String typ(String kind) {
        return "ckp-" + kind + "+jws";
    }

    /** Signs a payload as the site authority does; the JWS is what goes on the site topic (or in a command). */
    public static String sign(PrivateKey key, String kid, String kind, byte[] payload) throws GeneralSecurityException {
        if (!KID.matcher(kid).matches()) {
            throw new IllegalArgumentException("a site key id is 1-64 of A-Z a-z 0-9 . _ - (no leading dot), got '"
                    + kid + "'");
        }
        String header = JSON.createObjectNode().put("alg", ALG).put("kid", kid).put("typ", typ(kind)).toString();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(payload);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64.encodeToString(s.sign());
    }

    /**
     * Reads a message apart without checking its signature.
     *
     * @param kind            the kind of message expected: a {@code typ} header, when present, must name it
     * @param maxPayloadBytes larger payloads are refused before they are decoded
     */
    static Read read(byte[] message, String kind, int maxPayloadBytes) {
        long maxPayloadChars = ((long) maxPayloadBytes * 4 + 2) / 3;
        long maxChars = MAX_HEADER_CHARS + 1 + maxPayloadChars + 1 + SIGNATURE_CHARS;
        if (message.length > maxChars + 2) {
            return Read.bad("message of " + message.length + " bytes is over " + maxChars);
        }
        // One line break after the signature is how a shell or a file hands a JWS over (kioskctl site sign prints
        // one): it is no part of any segment, so taking it off leaves one reading; anything else stays refused.
        int length = message.length;
        if (length > 0 && message[length - 1] == '\n') {
            length--;
            if (length > 0 && message[length - 1] == '\r') {
                length--;
            }
            message = java.util.Arrays.copyOf(message, length);
        }
        int firstDot = -1;
        int secondDot = -1;
        for (int i = 0; i < message.length; i++) {
            int c = message[i] & 0xFF;
            if (c == '.') {
                if (firstDot < 0) {
                    firstDot = i;
                } else if (secondDot < 0) {
                    secondDot = i;
                } else {
                    return Read.bad("not a JWS compact serialisation: more than three parts");
                }
            } else if (!isBase64Url(c)) {
                return Read.bad(message.length > 0 && (c == '{' || c == '[') && i == 0
                        ? "not signed: a bare JSON message, not a JWS (header.payload.signature)"
                        : "not a JWS compact serialisation: byte 0x" + Integer.toHexString(c) + " at offset " + i
                                + " is not base64url");
            }
        }
        if (secondDot < 0) {
            return Read.bad("not a JWS compact serialisation: header.payload.signature expected");
        }
        String text = new String(message, StandardCharsets.US_ASCII);
        String headerText = text.substring(0, firstDot);
        String payloadText = text.substring(firstDot + 1, secondDot);
        String signatureText = text.substring(secondDot + 1);
        if (headerText.isEmpty() || headerText.length() > MAX_HEADER_CHARS) {
            return Read.bad("protected header of " + headerText.length() + " characters (1-" + MAX_HEADER_CHARS
                    + " allowed)");
        }
        if (payloadText.length() > maxPayloadChars) {
            return Read.bad("payload over " + maxPayloadBytes + " bytes");
        }
        if (signatureText.length() != SIGNATURE_CHARS) {
            return Read.bad("signature of " + signatureText.length() + " characters; an Ed25519 signature is "
                    + SIGNATURE_CHARS);
        }
        Optional<byte[]> headerBytes = decode(headerText);
        Optional<byte[]> signature = decode(signatureText);
        if (headerBytes.isEmpty() || signature.isEmpty() || !canonical(payloadText)) {
            return Read.bad("not canonical base64url (RFC 7515: no padding, no stray bits)");
        }
        JsonNode header;
        try {
            String json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(headerBytes.get()))
                    .toString();
            header = JSON.readTree(json);
        } catch (CharacterCodingException e) {
            return Read.bad("protected header is not UTF-8");
        } catch (IOException | RuntimeException e) {
            return Read.bad("protected header is not one JSON object (or has duplicate members)");
        }
        if (header == null || !header.isObject()) {
            return Read.bad("protected header is not a JSON object");
        }
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual() || !alg.textValue().equals(ALG)) {
            return Read.bad("alg " + (alg == null ? "missing" : shown(alg)) + "; only \"" + ALG
                    + "\" (Ed25519) is accepted");
        }
        if (header.has("crit")) {
            return Read.bad("crit " + shown(header.get("crit")) + " names extensions this kiosk does not understand");
        }
        JsonNode b64 = header.get("b64");
        if (b64 != null && !(b64.isBoolean() && b64.booleanValue())) {
            return Read.bad("b64 " + shown(b64) + ": unencoded payloads (RFC 7797) are not accepted");
        }
        JsonNode kid = header.get("kid");
        if (kid == null || !kid.isTextual()) {
            return Read.bad("no kid in the protected header");
        }
        if (!KID.matcher(kid.textValue()).matches()) {
            return Read.bad("kid is not 1-64 of A-Z a-z 0-9 . _ - (no leading dot), so no key in site.trust.dir can "
                    + "be named so");
        }
        // typ: a generic value (JOSE, JWT, …) says nothing and is ignored; one naming another kind of site message
        // is refused, so that a message signed for one topic cannot be replayed on another.
        JsonNode typ = header.get("typ");
        if (typ != null && !typ.isTextual()) {
            return Read.bad("typ " + shown(typ) + " is not a string");
        }
        if (typ != null && typ.textValue().toLowerCase(java.util.Locale.ROOT).startsWith("ckp-")
                && !typ.textValue().equals(typ(kind))) {
            return Read.bad("typ " + shown(typ) + " is not \"" + typ(kind) + "\": a message of another kind");
        }
        return new Read(Optional.of(new Parts(kid.textValue(), Optional.ofNullable(typ).map(JsonNode::textValue),
                text.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII), payloadText, signature.get())), "");
    }

    /** A header value as JSON, cut short: a refusal's reason is logged, and the header is the sender's text. */
    private static String shown(JsonNode value) {
        String json = value.toString();
        return json.length() <= 40 ? json : json.substring(0, 40) + "…";
    }

    /** Decodes a payload segment that {@link #read} found canonical. */
    static byte[] decodePayload(String payloadText) {
        return Base64.getUrlDecoder().decode(payloadText);
    }

    private static boolean isBase64Url(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    /** Strict base64url: the alphabet alone (checked by the caller), no padding, and no bits beyond the data. */
    private static Optional<byte[]> decode(String s) {
        if (!canonical(s)) {
            return Optional.empty();
        }
        return Optional.of(Base64.getUrlDecoder().decode(s));
    }

    private static boolean canonical(String s) {
        int rest = s.length() % 4;
        if (rest == 1) {
            return false;
        }
        if (rest == 0) {
            return true;
        }
        int last = value(s.charAt(s.length() - 1));
        return rest == 2 ? (last & 0x0F) == 0 : (last & 0x03) == 0;
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : 63;
    }
}
