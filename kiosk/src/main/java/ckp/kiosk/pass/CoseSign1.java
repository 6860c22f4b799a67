package ckp.kiosk.pass;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A decoded COSE_Sign1 (the raw protected header, the headers as maps, the payload's bytes and the signature) with the
 * zlib, CBOR and signature handling that gets an HC1 text to one, kept apart from {@link Hc1Verifier} so the verifier
 * reads as the order of checks and this as the wire format.
 */
record CoseSign1(byte[] protectedBytes, JsonNode protectedHeader, JsonNode unprotectedHeader, byte[] payload,
                 byte[] signature) {
    static final int ES256 = -7;
    static final int PS256 = -37;
    static final int TAG_COSE_SIGN1 = 18;
    static final int TAG_CWT = 61;

    private static final CBORFactory CBOR = CBORFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32)
                    .maxStringLength(Hc1Verifier.MAX_INFLATED_BYTES).maxNumberLength(64).build())
            .build();
    private static final ObjectMapper MAPPER = new CBORMapper(CBOR);

    /**
     * Inflates a zlib stream into at most {@value Hc1Verifier#MAX_INFLATED_BYTES} bytes; empty when broken, cut or too
     * big.
     */
    static Optional<byte[]> inflate(byte[] compressed) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out =
                    new ByteArrayOutputStream(Math.min(Hc1Verifier.MAX_INFLATED_BYTES, compressed.length * 4));
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return Optional.empty();
                }
                out.write(buffer, 0, n);
                if (out.size() > Hc1Verifier.MAX_INFLATED_BYTES) {
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
    static Optional<CoseSign1> parse(byte[] bytes) {
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
    Optional<JsonNode> header(int label) {
        JsonNode p = protectedHeader.get(Integer.toString(label));
        return Optional.ofNullable(p != null ? p : unprotectedHeader.get(Integer.toString(label)));
    }

    /**
     * The COSE signature check: ES256 (raw r‖s, read by the JDK's P1363 form of ECDSA, so no DER is built by hand) or
     * PS256 (RSASSA-PSS, SHA-256, MGF1, salt 32) over the Sig_structure.
     */
    boolean signatureVerifies(PublicKey key, int alg) {
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
            verifier.update(toBeSigned(protectedBytes, payload));
            return verifier.verify(signature);
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

    /** The bytes of a CBOR byte string node. */
    static byte[] bytes(JsonNode binary) {
        try {
            return binary.binaryValue();
        } catch (IOException e) {
            throw new IllegalStateException("a CBOR byte string node without bytes", e);
        }
    }
}
