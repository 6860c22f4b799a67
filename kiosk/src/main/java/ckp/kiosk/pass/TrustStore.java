package ckp.kiosk.pass;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The issuer keys a kiosk trusts: one {@code <kid>.pem} per CKP1 key, an Ed25519 {@code PUBLIC KEY} block as
 * {@code openssl pkey -pubout} writes it; and the Document Signer Certificates (DSC) of EU Digital COVID Certificates,
 * X.509 in PEM ({@code *.pem}, {@code *.crt}) or DER ({@code *.der}, {@code *.cer}), under any file name, each known by
 * its kid (the first 8 bytes of SHA-256 of its DER encoding). A bad file is reported by name and skipped, so one broken
 * key file does not take a lane out of service.
 */
public final class TrustStore {
    private static final TaggedLogger LOG = Logger.tag("pass");

    private final Map<String, PublicKey> keys;
    private final Map<String, List<X509Certificate>> signers;
    private final List<String> problems;

    private TrustStore(Map<String, PublicKey> keys, Map<String, List<X509Certificate>> signers, List<String> problems) {
        this.keys = Map.copyOf(keys);
        this.signers = Map.copyOf(signers);
        this.problems = List.copyOf(problems);
    }

    public static TrustStore of(Map<String, PublicKey> keys) {
        return new TrustStore(keys, Map.of(), List.of());
    }

    /** CKP1 keys and Document Signer Certificates; each certificate is filed under its kid. */
    public static TrustStore of(Map<String, PublicKey> keys, List<X509Certificate> signerCertificates) {
        return new TrustStore(keys, bySignerKid(signerCertificates), List.of());
    }

    /**
     * Loads every {@code *.pem} (a CKP1 key, or a DSC when it holds a {@code CERTIFICATE} block) and every {@code
     * *.der}, {@code *.cer}, {@code *.crt} (a DSC) in the folder; problems are collected, not thrown (see {@link #log}).
     */
    public static TrustStore load(Path dir) throws IOException {
        Map<String, PublicKey> keys = new TreeMap<>();
        List<X509Certificate> certificates = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{der,cer,crt}")) {
            for (Path f : files) {
                try {
                    certificates.add(parseCertificate(Files.readAllBytes(f)));
                } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                    problems.add(f.getFileName() + ": not an X.509 certificate in DER or PEM (" + e.getMessage()
                            + "); skipped");
                }
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.pem")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                byte[] content;
                try {
                    content = Files.readAllBytes(f);
                } catch (IOException e) {
                    problems.add(name + ": cannot be read (" + e.getMessage() + "); skipped");
                    continue;
                }
                if (new String(content, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
                    try {
                        certificates.add(parseCertificate(content));
                    } catch (GeneralSecurityException | IllegalArgumentException e) {
                        problems.add(name + ": not an X.509 certificate PEM (" + e.getMessage() + "); skipped");
                    }
                    continue;
                }
                String kid = name.substring(0, name.length() - ".pem".length());
                if (!PassClaims.KID.matcher(kid).matches()) {
                    problems.add(name + ": the file name must be <kid>.pem with kid 1-16 of a-z 0-9 -; skipped");
                    continue;
                }
                try {
                    keys.put(kid, parsePublicKey(new String(content, StandardCharsets.UTF_8)));
                } catch (GeneralSecurityException | IllegalArgumentException e) {
                    problems.add(name + ": not an Ed25519 PUBLIC KEY PEM (" + e.getMessage() + "); skipped");
                }
            }
        }
        certificates.sort(java.util.Comparator.comparing(TrustStore::signerKid));
        return new TrustStore(keys, bySignerKid(certificates), problems);
    }

    /** Parses one X.509 certificate, DER or PEM (the JDK's factory reads both). */
    public static X509Certificate parseCertificate(byte[] derOrPem) throws GeneralSecurityException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(derOrPem));
        } catch (RuntimeException e) {
            // The JDK's parser throws unchecked exceptions for some broken encodings; to us it is not a certificate.
            throw new CertificateException(e.toString(), e);
        }
    }

    /** A DSC's kid: the first 8 bytes of SHA-256 of its DER encoding, in base64 (as EU trust lists write it). */
    public static String signerKid(X509Certificate certificate) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(h, 8));
        } catch (NoSuchAlgorithmException | java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot take the kid of " + certificate.getSubjectX500Principal(), e);
        }
    }

    private static Map<String, List<X509Certificate>> bySignerKid(List<X509Certificate> certificates) {
        Map<String, List<X509Certificate>> m = new TreeMap<>();
        for (X509Certificate c : certificates) {
            m.computeIfAbsent(signerKid(c), k -> new ArrayList<>()).add(c);
        }
        m.replaceAll((k, v) -> List.copyOf(v));
        return m;
    }

    /** Logs the keys and every skipped file: at start, and after a reload that changed something. */
    public void log(Path dir) {
        for (String p : problems) {
            LOG.warn("trust store {}: {}", dir, p);
        }
        LOG.info("trust store {}: {} issuer key(s) {}, {} document signer certificate(s) {}", dir, keys.size(), kids(),
                signerCount(), signerKids());
    }

    /** True when both hold the same keys, the same certificates and the same skipped files. */
    public boolean sameAs(TrustStore other) {
        return keys.equals(other.keys) && signers.equals(other.signers) && problems.equals(other.problems);
    }

    /** Parses an X.509 SubjectPublicKeyInfo PEM holding an Ed25519 key. */
    public static PublicKey parsePublicKey(String pem) throws GeneralSecurityException {
        String begin = "-----BEGIN PUBLIC KEY-----";
        String end = "-----END PUBLIC KEY-----";
        int b = pem.indexOf(begin);
        int e = pem.indexOf(end);
        if (b < 0 || e < b) {
            throw new GeneralSecurityException("no PUBLIC KEY block");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    }

    /** The same keys with one more problem: a reload that could not read the folder keeps the keys in use. */
    TrustStore withProblem(String problem) {
        List<String> all = new ArrayList<>(problems);
        all.add(problem);
        return new TrustStore(keys, signers, all);
    }

    /** The kids of the keys, in order. */
    public java.util.SortedSet<String> kids() {
        return new java.util.TreeSet<>(keys.keySet());
    }

    public Optional<PublicKey> key(String kid) {
        return Optional.ofNullable(keys.get(kid));
    }

    /** The CKP1 keys and the DSCs. */
    public int size() {
        return keys.size() + signerCount();
    }

    /** The Document Signer Certificates whose kid (base64 of 8 bytes) this is; several when kids collide. */
    public List<X509Certificate> signers(String kid) {
        return signers.getOrDefault(kid, List.of());
    }

    /** The kids of the Document Signer Certificates, in order. */
    public java.util.SortedSet<String> signerKids() {
        return new java.util.TreeSet<>(signers.keySet());
    }

    public int signerCount() {
        return signers.values().stream().mapToInt(List::size).sum();
    }

    /** The files that were skipped, each with the reason. */
    public List<String> problems() {
        return problems;
    }
}
