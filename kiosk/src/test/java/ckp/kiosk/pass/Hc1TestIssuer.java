package ckp.kiosk.pass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;

/**
 * Makes HC1 passes for tests and the demo: a Document Signer Certificate made with the openssl command (EC P-256 for
 * ES256 or RSA for PS256, with the DCC extended key usages asked for), and certificates signed with its key, built
 * with Jackson's CBOR generator the way a member state's issuer builds them.
 */
public final class Hc1TestIssuer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CBORFactory CBOR = new CBORFactory();
    private static final ObjectMapper CBOR_MAPPER = new CBORMapper(CBOR);

    public final X509Certificate certificate;
    public final Path certificateFile;
    public final PrivateKey key;
    public final int alg;

    private Hc1TestIssuer(X509Certificate certificate, Path certificateFile, PrivateKey key) {
        this.certificate = certificate;
        this.certificateFile = certificateFile;
        this.key = key;
        this.alg = key instanceof ECPrivateKey ? CoseSign1.ES256 : CoseSign1.PS256;
    }

    /**
     * A self-signed DSC valid for {@code days} days from now (openssl's clock).
     *
     * @param rsa       PS256 with an RSA-2048 key instead of ES256 with P-256
     * @param keyUsages extended key usage OIDs to put in the certificate; none: no extension
     */
    public static Hc1TestIssuer create(Path dir, String name, boolean rsa, int days, String... keyUsages)
            throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        Path keyFile = dir.resolve(name + ".key");
        Path certFile = dir.resolve(name + ".pem");
        List<String> cmd = new ArrayList<>(List.of("openssl", "req", "-x509", "-newkey"));
        cmd.addAll(rsa ? List.of("rsa:2048") : List.of("ec", "-pkeyopt", "ec_paramgen_curve:P-256"));
        cmd.addAll(List.of("-nodes", "-keyout", keyFile.toString(), "-out", certFile.toString(), "-days",
                Integer.toString(days), "-subj", "/C=XX/CN=" + name, "-sha256"));
        if (keyUsages.length > 0) {
            cmd.addAll(List.of("-addext", "extendedKeyUsage=" + String.join(",", keyUsages)));
        }
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("openssl " + cmd + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        X509Certificate cert = TrustStore.parseCertificate(Files.readAllBytes(certFile));
        String pem = Files.readString(keyFile);
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance(rsa ? "RSA" : "EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        Files.delete(keyFile);
        return new Hc1TestIssuer(cert, certFile, key);
    }

    /** The DSC's kid: the first 8 bytes of SHA-256 of its DER encoding. */
    public byte[] kid() {
        return Base64.getDecoder().decode(TrustStore.signerKid(certificate));
    }

    /** A certificate's JSON (hcert 1) of one type, with a name and a date of birth as every real one has. */
    public static ObjectNode dcc(String type, String ci, String country) {
        ObjectNode d = JSON.createObjectNode();
        d.put("ver", "1.3.0");
        d.putObject("nam").put("fn", "Musterfrau").put("fnt", "MUSTERFRAU").put("gn", "Erika").put("gnt", "ERIKA");
        d.put("dob", "1964-08-12");
        ObjectNode entry = d.putArray(type).addObject();
        entry.put("tg", "840539006");
        entry.put("co", country);
        entry.put("is", "Test issuer");
        entry.put("ci", ci);
        return d;
    }

    /** An HC1 text: the CWT with iss, iat, exp and this certificate, kid in the protected header, tag 18. */
    public String issue(JsonNode dcc, String iss, long iat, long exp) throws IOException, GeneralSecurityException {
        byte[] payload = cwt(dcc, iss, iat, exp);
        return text(sign1(protectedHeader(alg, kid()), payload, true));
    }

    /** The CWT claims map: {1: iss, 4: exp, 6: iat, -260: {1: dcc}}. */
    public static byte[] cwt(JsonNode dcc, String iss, long iat, long exp) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = CBOR.createGenerator(out)) {
            g.writeStartObject(null, 4);
            g.writeFieldId(1);
            g.writeString(iss);
            g.writeFieldId(4);
            g.writeNumber(exp);
            g.writeFieldId(6);
            g.writeNumber(iat);
            g.writeFieldId(-260);
            g.writeStartObject(null, 1);
            g.writeFieldId(1);
            CBOR_MAPPER.writeTree(g, dcc);
            g.writeEndObject();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** A protected header map {1: alg, 4: kid}. */
    public static byte[] protectedHeader(int alg, byte[] kid) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = CBOR.createGenerator(out)) {
            g.writeStartObject(null, 2);
            g.writeFieldId(1);
            g.writeNumber(alg);
            g.writeFieldId(4);
            g.writeBinary(kid);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** Signs and wraps: [protected, {}, payload, signature], tagged 18 when asked. */
    public byte[] sign1(byte[] protectedBytes, byte[] payload, boolean tagged)
            throws IOException, GeneralSecurityException {
        return coseBytes(protectedBytes, payload, sign(CoseSign1.toBeSigned(protectedBytes, payload)), tagged);
    }

    public byte[] sign(byte[] toBeSigned) throws GeneralSecurityException {
        Signature s;
        if (alg == CoseSign1.ES256) {
            s = Signature.getInstance("SHA256withECDSAinP1363Format");
        } else {
            s = Signature.getInstance("RSASSA-PSS");
            s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        }
        s.initSign(key);
        s.update(toBeSigned);
        return s.sign();
    }

    /** The COSE_Sign1 array's bytes. */
    public static byte[] coseBytes(byte[] protectedBytes, byte[] payload, byte[] signature, boolean tagged)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = CBOR.createGenerator(out)) {
            if (tagged) {
                g.writeTag(CoseSign1.TAG_COSE_SIGN1);
            }
            g.writeStartArray(null, 4);
            g.writeBinary(protectedBytes);
            g.writeStartObject(null, 0);
            g.writeEndObject();
            g.writeBinary(payload);
            g.writeBinary(signature);
            g.writeEndArray();
        }
        return out.toByteArray();
    }

    /** HC1: + Base45 of the zlib-compressed bytes. */
    public static String text(byte[] cose) {
        return Hc1Verifier.PREFIX + Base45.encode(deflate(cose));
    }

    public static byte[] deflate(byte[] bytes) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        d.setInput(bytes);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }
}
