package ckp.kiosk.pass;

import ckp.kiosk.site.SiteAuthority;
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
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The deny list the central side publishes, retained, on {@code {prefix}/{site}/denylist} (format in docs/mqtt.md),
 * signed by the site authority ({@link SiteAuthority}): anyone who can publish on a topic could otherwise revoke
 * every pass, or lift every revocation with a huge version. A newer signed version replaces the list in use and is
 * kept, signature and all, in a cache file, so that a kiosk that restarts while the broker is out of reach still
 * refuses every pass revoked so far; an unsigned, badly signed, bad or older message is refused and the list kept.
 */
public final class DenyListFeed {
    private static final TaggedLogger LOG = Logger.tag("pass");
    /** Larger than any real list (500,000 ids of 32 characters), small enough to parse on a Pi in a second. */
    public static final int MAX_PAYLOAD_BYTES = 24 * 1024 * 1024;
    public static final int MAX_IDS = 500_000;
    /** The kind of site message: the JWS {@code typ} names it as {@code ckp-denylist+jws}. */
    public static final String KIND = "denylist";
    private static final long REFUSAL_LOG_INTERVAL_NANOS = 10_000_000_000L;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();

    /** What became of one message. */
    public enum Result {
        /** A newer version: now in use and cached. */
        APPLIED,
        /** The version in use again (a retained message redelivered on reconnect): nothing to do. */
        UNCHANGED,
        /** An older version than the one in use: refused, the newer list kept. */
        STALE,
        /** Not signed by a site authority key (unsigned, unknown kid, bad signature, not a JWS): refused. */
        UNTRUSTED,
        /** Signed, but not a deny list message: refused, the list in use kept. */
        INVALID,
        /** Signed, the version in use, but other ids: a changed list needs a higher version; refused. */
        CONFLICT,
        /** An empty payload (the retained message was cleared on the broker): the list in use is kept. */
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
    }

    /** The retained topic the central side publishes a site's list on: subscribe it and hand each payload to accept. */
    public static String topic(String topicPrefix, String site) {
        return topicPrefix + "/" + site + "/denylist";
    }

    private final Path cacheFile;
    private SiteAuthority authority;
    private final Consumer<DenyList> onChange;
    private final Consumer<Update> outcomes;
    private DenyList current;
    /** The last refusal logged, when, and how many identical ones were not logged since (a forged-message flood). */
    private String lastRefusal = "";
    private long lastRefusalNanos;
    private long refusalsNotLogged;

    private DenyListFeed(Path cacheFile, SiteAuthority authority, Consumer<DenyList> onChange,
                         Consumer<Update> outcomes, DenyList current) {
        this.cacheFile = cacheFile;
        this.authority = authority;
        this.onChange = onChange;
        this.outcomes = outcomes;
        this.current = current;
    }

    /**
     * Starts from the cached list when there is one that the site authority's keys still verify (and hands it to
     * {@code onChange} at once); a cache that cannot be read or verified — e.g. an unsigned one an older kiosk wrote —
     * is reported and the feed starts empty, to be filled by the broker's retained message.
     *
     * @param outcomes told of every message's outcome (e.g. to raise and clear an alarm on refusals)
     */
    public static DenyListFeed open(Path cacheFile, SiteAuthority authority, Consumer<DenyList> onChange,
                                    Consumer<Update> outcomes) {
        DenyList cached = DenyList.EMPTY;
        if (Files.exists(cacheFile)) {
            try {
                SiteAuthority.Verified v = authority.verify(Files.readAllBytes(cacheFile), KIND, MAX_PAYLOAD_BYTES);
                Parsed p = v.ok() ? parse(v.payload().get()) : Parsed.bad(v.problem());
                if (p.list().isPresent()) {
                    cached = p.list().get();
                    LOG.info("deny list cache {}: version {} signed by {}, {} id(s)", cacheFile, cached.version(),
                            v.kid(), cached.ids().size());
                } else {
                    LOG.error("deny list cache {} is not a signed deny list the site keys verify ({}); waiting for "
                            + "the broker's list", cacheFile, p.problem());
                }
            } catch (IOException e) {
                LOG.error("deny list cache {} cannot be read ({}); waiting for the broker's list", cacheFile,
                        e.getMessage());
            }
        }
        DenyListFeed feed = new DenyListFeed(cacheFile, authority, onChange, outcomes, cached);
        onChange.accept(cached);
        return feed;
    }

    /** Verifies later messages with these keys (the site keys were read again); the list in use stays. */
    public synchronized void useAuthority(SiteAuthority keys) {
        this.authority = Objects.requireNonNull(keys);
    }

    /** The site keys messages are verified with. */
    public synchronized SiteAuthority authority() {
        return authority;
    }

    /** The list in use from this feed (version 0 and empty before the first message). */
    public synchronized DenyList current() {
        return current;
    }

    /**
     * Handles one message from the deny list topic (or the {@code denylist} command): a JWS signed by the site
     * authority; never throws for a bad message.
     */
    public synchronized Update accept(byte[] message) {
        Update u = decide(message);
        outcomes.accept(u);
        return u;
    }

    private Update decide(byte[] message) {
        if (message.length == 0) {
            LOG.warn("deny list topic cleared on the broker; keeping version {}", current.version());
            return new Update(Result.CLEARED, 0, "", "empty payload: the retained list was removed; the list in use "
                    + "is kept");
        }
        SiteAuthority.Verified v = authority.verify(message, KIND, MAX_PAYLOAD_BYTES);
        if (!v.ok()) {
            logRefusal("deny list message refused, not signed by the site authority: " + v.problem()
                    + "; keeping version " + current.version());
            return new Update(Result.UNTRUSTED, 0, v.kid(), "not signed by the site authority: " + v.problem());
        }
        Parsed p = parse(v.payload().get());
        if (p.list().isEmpty()) {
            logRefusal("deny list message signed by " + v.kid() + " refused: " + p.problem() + "; keeping version "
                    + current.version());
            return new Update(Result.INVALID, 0, v.kid(), p.problem());
        }
        DenyList next = p.list().get();
        if (next.version() == current.version()) {
            if (next.ids().equals(current.ids())) {
                return new Update(Result.UNCHANGED, next.version(), v.kid(), "version in use");
            }
            String why = "version " + next.version() + " is in use with other ids (" + current.ids().size()
                    + " in use, " + next.ids().size() + " in this message); a changed list needs a higher version";
            logRefusal("deny list message signed by " + v.kid() + " refused: " + why);
            return new Update(Result.CONFLICT, next.version(), v.kid(), why);
        }
        if (next.version() < current.version()) {
            LOG.warn("deny list version {} is older than version {} in use; refused", next.version(), current.version());
            return new Update(Result.STALE, next.version(), v.kid(), "older than version " + current.version()
                    + " in use");
        }
        try {
            writeAtomically(cacheFile, message);
        } catch (IOException e) {
            // Still use it: refusing a newer revocation because the SD card is full would wave revoked passes through.
            LOG.error("deny list version {} in use but not cached ({}): a restart without the broker falls back to "
                    + "version {}", next.version(), e.getMessage(), current.version());
        }
        current = next;
        onChange.accept(next);
        LOG.info("deny list version {} signed by {} in use: {} id(s)", next.version(), v.kid(), next.ids().size());
        return new Update(Result.APPLIED, next.version(), v.kid(), "");
    }

    /** Why a deny list JSON (unsigned, as the site authority is about to sign it) would be refused; empty when fine. */
    public static Optional<String> problem(byte[] json) {
        Parsed p = parse(json);
        return p.list().isPresent() ? Optional.empty() : Optional.of(p.problem());
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
            LOG.error("{} more deny list message(s) refused as logged before", refusalsNotLogged);
        }
        LOG.error(line);
        lastRefusal = line;
        lastRefusalNanos = now;
        refusalsNotLogged = 0;
    }

    /** A parsed message: the list, or why there is none. */
    record Parsed(Optional<DenyList> list, String problem) {
        static Parsed bad(String problem) {
            return new Parsed(Optional.empty(), problem);
        }
    }

    /** Parses and checks one deny list (the payload of the signed message); see docs/mqtt.md for the format. */
    static Parsed parse(byte[] payload) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            return Parsed.bad("payload of " + payload.length + " bytes is over " + MAX_PAYLOAD_BYTES);
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
        JsonNode version = root.get("version");
        if (version == null || !version.isIntegralNumber() || !version.canConvertToLong() || version.longValue() < 1) {
            return Parsed.bad("'version' must be an integer >= 1");
        }
        JsonNode ids = root.get("ids");
        if (ids == null || !ids.isArray()) {
            return Parsed.bad("'ids' must be an array of pass ids");
        }
        if (ids.size() > MAX_IDS) {
            return Parsed.bad("'ids' holds " + ids.size() + " ids, over " + MAX_IDS);
        }
        Set<String> set = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            if (!id.isTextual() || !PassClaims.ID.matcher(id.textValue()).matches()) {
                return Parsed.bad("ids[" + i + "] is not a pass id (1-32 of A-Z a-z 0-9 -)");
            }
            set.add(id.textValue());
        }
        return new Parsed(Optional.of(new DenyList(version.longValue(), set)), "");
    }

    /** Writes to a temporary file, forces it to disk, then renames it over the cache: a crash leaves old or new. */
    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
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
