package ckp.kiosk.pass;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
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
 * The issuer public keys a kiosk trusts: one {@code <kid>.pem} per key, an Ed25519 {@code PUBLIC KEY} block as
 * {@code openssl pkey -pubout} writes it. A bad file is reported by name and skipped, so one broken key file does not
 * take a lane out of service.
 */
public final class TrustStore {
    private static final TaggedLogger LOG = Logger.tag("pass");

    private final Map<String, PublicKey> keys;
    private final List<String> problems;

    private TrustStore(Map<String, PublicKey> keys, List<String> problems) {
        this.keys = Map.copyOf(keys);
        this.problems = List.copyOf(problems);
    }

    public static TrustStore of(Map<String, PublicKey> keys) {
        return new TrustStore(keys, List.of());
    }

    /** Loads every {@code *.pem} in the folder; problems are collected, not thrown (see {@link #log}). */
    public static TrustStore load(Path dir) throws IOException {
        Map<String, PublicKey> keys = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.pem")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String kid = name.substring(0, name.length() - ".pem".length());
                if (!PassClaims.KID.matcher(kid).matches()) {
                    problems.add(name + ": the file name must be <kid>.pem with kid 1-16 of a-z 0-9 -; skipped");
                    continue;
                }
                try {
                    keys.put(kid, parsePublicKey(Files.readString(f, StandardCharsets.UTF_8)));
                } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                    problems.add(name + ": not an Ed25519 PUBLIC KEY PEM (" + e.getMessage() + "); skipped");
                }
            }
        }
        return new TrustStore(keys, problems);
    }

    /** Logs the keys and every skipped file: at start, and after a reload that changed something. */
    public void log(Path dir) {
        for (String p : problems) {
            LOG.warn("trust store {}: {}", dir, p);
        }
        LOG.info("trust store {}: {} issuer key(s) {}", dir, keys.size(), kids());
    }

    /** True when both hold the same keys and the same skipped files. */
    public boolean sameAs(TrustStore other) {
        return keys.equals(other.keys) && problems.equals(other.problems);
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
        return new TrustStore(keys, all);
    }

    /** The kids of the keys, in order. */
    public java.util.SortedSet<String> kids() {
        return new java.util.TreeSet<>(keys.keySet());
    }

    public Optional<PublicKey> key(String kid) {
        return Optional.ofNullable(keys.get(kid));
    }

    public int size() {
        return keys.size();
    }

    /** The files that were skipped, each with the reason. */
    public List<String> problems() {
        return problems;
    }
}
