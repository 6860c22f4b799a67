package ckp.kiosk.site;

import ckp.kiosk.pass.TrustStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The site authority's public keys ({@code site.trust.dir}: one Ed25519 {@code <kid>.pem} each) and the check every
 * site message must pass before a kiosk acts on it: a {@link SiteJws} naming one of these keys and signed by it. The
 * keys come from this folder only, never from the message. A role of its own, apart from the pass issuers' keys: an
 * issuer's key cannot sign a deny list, nor the authority's a pass.
 */
public final class SiteAuthority {
    private static final TaggedLogger LOG = Logger.tag("site");
    /** No folder configured: every site message is refused, with this said. */
    public static final SiteAuthority NONE = new SiteAuthority(Map.of(), List.of(), Optional.empty());

    private final Map<String, PublicKey> keys;
    private final List<String> problems;
    private final Optional<Path> dir;

    private SiteAuthority(Map<String, PublicKey> keys, List<String> problems, Optional<Path> dir) {
        this.keys = Map.copyOf(keys);
        this.problems = List.copyOf(problems);
        this.dir = dir;
    }

    /**
     * The outcome of a check: the payload the authority signed, or why the message is refused.
     *
     * @param kid     the key that signed it (or the kid the message named, when known)
     * @param problem empty when verified
     */
    public record Verified(Optional<byte[]> payload, String kid, String problem) {
        public Verified {
            Objects.requireNonNull(payload);
            Objects.requireNonNull(kid);
            Objects.requireNonNull(problem);
        }

        static Verified refused(String kid, String problem) {
            return new Verified(Optional.empty(), kid, problem);
        }

        public boolean ok() {
            return payload.isPresent();
        }
    }

    public static SiteAuthority of(Map<String, PublicKey> keys) {
        return new SiteAuthority(keys, List.of(), Optional.empty());
    }

    /** Loads every {@code *.pem} in the folder; a bad file is listed in {@link #problems()} and skipped. */
    public static SiteAuthority load(Path dir) throws IOException {
        Map<String, PublicKey> keys = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.pem")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String kid = name.substring(0, name.length() - ".pem".length());
                if (!SiteJws.KID.matcher(kid).matches()) {
                    problems.add(name + ": the file name must be <kid>.pem with kid 1-64 of A-Z a-z 0-9 . _ - (no "
                            + "leading dot); skipped");
                    continue;
                }
                try {
                    keys.put(kid, TrustStore.parsePublicKey(Files.readString(f, StandardCharsets.UTF_8)));
                } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                    problems.add(name + ": not an Ed25519 PUBLIC KEY PEM (" + e.getMessage() + "); skipped");
                }
            }
        }
        return new SiteAuthority(keys, problems, Optional.of(dir));
    }

    /** Logs the keys and every skipped file: at start, and after a reload that changed something. */
    public void log() {
        String where = dir.map(Path::toString).orElse("(none)");
        for (String p : problems) {
            LOG.warn("site trust {}: {}", where, p);
        }
        LOG.info("site trust {}: {} site authority key(s) {}", where, keys.size(), kids());
    }

    /** True when both hold the same keys and the same skipped files. */
    public boolean sameAs(SiteAuthority other) {
        return keys.equals(other.keys) && problems.equals(other.problems);
    }

    /**
     * Checks one site message of a kind ({@code denylist}, …); never throws for a bad message.
     *
     * @param maxPayloadBytes the largest payload this kind may carry; larger messages are refused unread
     */
    public Verified verify(byte[] message, String kind, int maxPayloadBytes) {
        SiteJws.Read read = SiteJws.read(message, kind, maxPayloadBytes);
        if (read.parts().isEmpty()) {
            return Verified.refused("", read.problem());
        }
        SiteJws.Parts parts = read.parts().get();
        PublicKey key = keys.get(parts.kid());
        if (key == null) {
            return Verified.refused(parts.kid(), dir.isEmpty() && keys.isEmpty()
                    ? "signed by kid '" + parts.kid() + "', but no site.trust.dir is configured: no key is trusted"
                    : "unknown kid '" + parts.kid() + "': no " + parts.kid() + ".pem in site.trust.dir");
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(parts.signingInput());
            if (!s.verify(parts.signature())) {
                return Verified.refused(parts.kid(), "bad signature: not signed by the key of kid '" + parts.kid()
                        + "', or altered");
            }
        } catch (GeneralSecurityException e) {
            return Verified.refused(parts.kid(), "bad signature (" + e.getMessage() + ")");
        }
        return new Verified(Optional.of(SiteJws.decodePayload(parts.payloadText())), parts.kid(), "");
    }

    /** The kids of the keys, in order. */
    public SortedSet<String> kids() {
        return new TreeSet<>(keys.keySet());
    }

    /** The files that were skipped, each with the reason. */
    public List<String> problems() {
        return problems;
    }
}
