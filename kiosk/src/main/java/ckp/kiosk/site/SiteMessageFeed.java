package ckp.kiosk.site;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * One retained, versioned site message (the deny list, the plate watch rules) as a kiosk keeps it: signed by the site
 * authority ({@link SiteAuthority}), a newer version replaces the one in use and is cached, signature and all, in a
 * file (written atomically and synced) so that a restart without the broker keeps it; an unsigned, badly signed, bad
 * or older message is refused and the one in use kept. One class for every kind, so each kind is guarded alike.
 *
 * @param <T> the message's content once read
 */
public class SiteMessageFeed<T extends SiteMessageFeed.Versioned> {
    private static final TaggedLogger LOG = Logger.tag("site");
    private static final long REFUSAL_LOG_INTERVAL_NANOS = 10_000_000_000L;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();

    /** A message's content: carries the version that orders messages of its kind. */
    public interface Versioned {
        long version();
    }

    /**
     * What a kind of site message is: its name (the JWS {@code typ} is {@code ckp-<name>+jws}), its size limit, how
     * its payload is read, and what it is before any message arrived.
     *
     * @param label   for people, e.g. {@code deny list}
     * @param empty   version 0, nothing in it
     * @param summary for log lines: what the content holds, e.g. {@code 12 id(s)}; never personal data
     */
    public record Kind<T>(String name, String label, int maxPayloadBytes, Function<byte[], Parsed<T>> parser, T empty,
                          Function<T, String> summary) {
        public Kind {
            Objects.requireNonNull(name);
            Objects.requireNonNull(label);
            Objects.requireNonNull(parser);
            Objects.requireNonNull(empty);
            Objects.requireNonNull(summary);
        }

        public Parsed<T> parse(byte[] payload) {
            return parser.apply(payload);
        }

        public String summary(T content) {
            return summary.apply(content);
        }

        /** Why a document (unsigned, as the site authority is about to sign it) would be refused; empty when fine. */
        public Optional<String> problem(byte[] json) {
            Parsed<T> p = parse(json);
            return p.content().isPresent() ? Optional.empty() : Optional.of(p.problem());
        }
    }

    /** A parsed payload: the content, or why there is none. */
    public record Parsed<T>(Optional<T> content, String problem) {
        public Parsed {
            Objects.requireNonNull(content);
            Objects.requireNonNull(problem);
        }

        public static <T> Parsed<T> bad(String problem) {
            return new Parsed<>(Optional.empty(), problem);
        }

        public static <T> Parsed<T> of(T content) {
            return new Parsed<>(Optional.of(content), "");
        }
    }

    /** What became of one message. */
    public enum Result {
        /** A newer version: now in use and cached. */
        APPLIED,
        /** The version in use again (a retained message redelivered on reconnect): nothing to do. */
        UNCHANGED,
        /** An older version than the one in use: refused, the newer one kept. */
        STALE,
        /** Not signed by a site authority key (unsigned, unknown kid, bad signature, not a JWS): refused. */
        UNTRUSTED,
        /** Signed, but not a message of this kind: refused, the one in use kept. */
        INVALID,
        /** Signed, the version in use, but other content: a change needs a higher version; refused. */
        CONFLICT,
        /** An empty payload (the retained message was cleared on the broker): the one in use is kept. */
        CLEARED
    }

    /**
     * The outcome of {@link #accept(byte[])}.
     *
     * @param version the version the message carried (0 when it had none or it was not verified)
     * @param kid     the site key that signed it, or the kid it named ("" when none)
     * @param detail  for people: why a message was refused
     */
    public record Update(Result result, long version, String kid, String detail) {
        public Update {
            Objects.requireNonNull(result);
            Objects.requireNonNull(kid);
            Objects.requireNonNull(detail);
        }

        /** True for a message that was refused for what it is (not for being old or a repeat). */
        public boolean refused() {
            return result == Result.UNTRUSTED || result == Result.INVALID || result == Result.CONFLICT;
        }

        /** True for a message from the site authority that is in use now (new, or the one in use again). */
        public boolean accepted() {
            return result == Result.APPLIED || result == Result.UNCHANGED;
        }
    }

    private final Path cacheFile;
    private final Kind<T> kind;
    private SiteAuthority authority;
    private final Consumer<T> onChange;
    private final Consumer<Update> outcomes;
    private T current;
    private long refusedCount;
    private Optional<Update> lastUpdate = Optional.empty();
    /** The last refusal logged, when, and how many identical ones were not logged since (a forged-message flood). */
    private String lastRefusal = "";
    private long lastRefusalNanos;
    private long refusalsNotLogged;

    /**
     * Starts from the cached message when the site authority's keys still verify it, and hands it to {@code onChange}
     * at once; a cache that cannot be read or verified is logged and the feed starts empty, to be filled by the
     * broker's retained message.
     *
     * @param outcomes told of every message's outcome (e.g. to raise and clear an alarm on refusals)
     */
    protected SiteMessageFeed(Kind<T> kind, Path cacheFile, SiteAuthority authority, Consumer<T> onChange,
                              Consumer<Update> outcomes) {
        this.kind = Objects.requireNonNull(kind);
        this.cacheFile = Objects.requireNonNull(cacheFile);
        this.authority = Objects.requireNonNull(authority);
        this.onChange = Objects.requireNonNull(onChange);
        this.outcomes = Objects.requireNonNull(outcomes);
        this.current = readCache();
        onChange.accept(current);
    }

    /** A feed of a kind that needs nothing of its own. */
    public static <T extends Versioned> SiteMessageFeed<T> open(Kind<T> kind, Path cacheFile, SiteAuthority authority,
                                                                Consumer<T> onChange, Consumer<Update> outcomes) {
        return new SiteMessageFeed<>(kind, cacheFile, authority, onChange, outcomes);
    }

    private T readCache() {
        if (!Files.exists(cacheFile)) {
            return kind.empty();
        }
        try {
            SiteAuthority.Verified v = authority.verify(Files.readAllBytes(cacheFile), kind.name(),
                    kind.maxPayloadBytes());
            Parsed<T> p = v.ok() ? kind.parse(v.payload().get()) : Parsed.bad(v.problem());
            if (p.content().isPresent()) {
                T cached = p.content().get();
                LOG.info("{} cache {}: version {} signed by {}, {}", kind.label(), cacheFile, cached.version(),
                        v.kid(), kind.summary(cached));
                return cached;
            }
            LOG.error("{} cache {} is not a signed {} the site keys verify ({}); waiting for the broker's", kind.label(),
                    cacheFile, kind.label(), p.problem());
        } catch (IOException e) {
            LOG.error("{} cache {} cannot be read ({}); waiting for the broker's", kind.label(), cacheFile,
                    e.getMessage());
        }
        return kind.empty();
    }

    /** Verifies later messages with these keys (the site keys were read again); the content in use stays. */
    public synchronized void useAuthority(SiteAuthority keys) {
        this.authority = Objects.requireNonNull(keys);
    }

    /** The site keys messages are verified with. */
    public synchronized SiteAuthority authority() {
        return authority;
    }

    /** The content in use from this feed (version 0 and empty before the first message). */
    public synchronized T current() {
        return current;
    }

    /** Messages refused for what they are (unsigned, badly signed, bad content, conflicting) since the start. */
    public synchronized long refusedCount() {
        return refusedCount;
    }

    /** What became of the latest message since the start (for the technician's commands and tests). */
    public synchronized Optional<Update> lastUpdate() {
        return lastUpdate;
    }

    /** Handles one message from the kind's topic (or a command); never throws for a bad message. */
    public synchronized Update accept(byte[] message) {
        Update u = decide(message);
        if (u.refused()) {
            refusedCount++;
        }
        lastUpdate = Optional.of(u);
        outcomes.accept(u);
        return u;
    }

    private Update decide(byte[] message) {
        String label = kind.label();
        if (message.length == 0) {
            LOG.warn("{} topic cleared on the broker; keeping version {}", label, current.version());
            return new Update(Result.CLEARED, 0, "", "empty payload: the retained " + label + " was removed; the "
                    + "one in use is kept");
        }
        SiteAuthority.Verified v = authority.verify(message, kind.name(), kind.maxPayloadBytes());
        if (!v.ok()) {
            logRefusal(label + " message refused, not signed by the site authority: " + v.problem()
                    + "; keeping version " + current.version());
            return new Update(Result.UNTRUSTED, 0, v.kid(), "not signed by the site authority: " + v.problem());
        }
        Parsed<T> p = kind.parse(v.payload().get());
        if (p.content().isEmpty()) {
            logRefusal(label + " message signed by " + v.kid() + " refused: " + p.problem() + "; keeping version "
                    + current.version());
            return new Update(Result.INVALID, 0, v.kid(), p.problem());
        }
        T next = p.content().get();
        if (next.version() == current.version()) {
            if (next.equals(current)) {
                return new Update(Result.UNCHANGED, next.version(), v.kid(), "version in use");
            }
            String why = "version " + next.version() + " is in use with other content (" + kind.summary(current)
                    + " in use, " + kind.summary(next) + " in this message); a changed " + label
                    + " needs a higher version";
            logRefusal(label + " message signed by " + v.kid() + " refused: " + why);
            return new Update(Result.CONFLICT, next.version(), v.kid(), why);
        }
        if (next.version() < current.version()) {
            LOG.warn("{} version {} is older than version {} in use; refused", label, next.version(),
                    current.version());
            return new Update(Result.STALE, next.version(), v.kid(), "older than version " + current.version()
                    + " in use");
        }
        try {
            writeAtomically(cacheFile, message);
        } catch (IOException e) {
            // Still use it: refusing a newer message because the SD card is full would keep an outdated one in force.
            LOG.error("{} version {} in use but not cached ({}): a restart without the broker falls back to "
                    + "version {}", label, next.version(), e.getMessage(), current.version());
        }
        current = next;
        onChange.accept(next);
        LOG.info("{} version {} signed by {} in use: {}", label, next.version(), v.kid(), kind.summary(next));
        return new Update(Result.APPLIED, next.version(), v.kid(), "");
    }

    /**
     * Logs a refusal; the same refusal again within 10 s is counted instead, and the count logged with the next line,
     * so a stream of forged messages does not become a stream of log lines.
     */
    private void logRefusal(String line) {
        long now = System.nanoTime();
        if (line.equals(lastRefusal) && now - lastRefusalNanos < REFUSAL_LOG_INTERVAL_NANOS) {
            refusalsNotLogged++;
            return;
        }
        if (refusalsNotLogged > 0) {
            LOG.error("{} more {} message(s) refused as logged before", refusalsNotLogged, kind.label());
        }
        LOG.error(line);
        lastRefusal = line;
        lastRefusalNanos = now;
        refusalsNotLogged = 0;
    }

    /**
     * Reads a payload as one strict JSON object (UTF-8, no duplicate members, no comments, nothing after it), the
     * first step of every kind's parse; the problem says which of these it breaks.
     */
    public static Parsed<JsonNode> jsonObject(byte[] payload, int maxPayloadBytes) {
        if (payload.length > maxPayloadBytes) {
            return Parsed.bad("payload of " + payload.length + " bytes is over " + maxPayloadBytes);
        }
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            return Parsed.bad("not UTF-8");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException | RuntimeException e) {
            return Parsed.bad("not JSON");
        }
        if (root == null || !root.isObject()) {
            return Parsed.bad("not a JSON object");
        }
        return Parsed.of(root);
    }

    /** The {@code version} member every site message carries: an integer ≥ 1, or empty. */
    public static Optional<Long> version(JsonNode root) {
        JsonNode version = root.get("version");
        if (version == null || !version.isIntegralNumber() || !version.canConvertToLong() || version.longValue() < 1) {
            return Optional.empty();
        }
        return Optional.of(version.longValue());
    }

    /** Writes to a temporary file, forces it to disk, then renames it over the cache: a crash leaves old or new. */
    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a folder; the rename is still atomic, only its durability waits.
        }
    }
}
