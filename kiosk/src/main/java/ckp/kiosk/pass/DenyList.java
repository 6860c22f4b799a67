package ckp.kiosk.pass;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * Revoked pass ids.
 *
 * @param version the list's version; a newer version replaces an older one, 0 for a list read from a file
 */
public record DenyList(long version, Set<String> ids) implements ckp.kiosk.site.SiteMessageFeed.Versioned {
    private static final TaggedLogger LOG = Logger.tag("pass");
    public static final DenyList EMPTY = new DenyList(0, Set.of());

    public DenyList {
        Objects.requireNonNull(ids);
        ids = Set.copyOf(ids);
        if (version < 0) {
            throw new IllegalArgumentException("a deny list version is >= 0, got " + version);
        }
    }

    /**
     * Reads {@code pass.denylist.file}: one id per line; blank lines and {@code #} comments are ignored. A line that is
     * not a pass id (1-32 of A-Z a-z 0-9 -) could never match a pass; it is reported by line number and skipped.
     */
    public static DenyList load(Path file) throws IOException {
        Set<String> ids = new HashSet<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String id = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (id.isEmpty()) {
                continue;
            }
            if (PassClaims.ID.matcher(id).matches()) {
                ids.add(id);
            } else {
                LOG.warn("deny list {} line {}: not a pass id (1-32 of A-Z a-z 0-9 -); skipped", file, i + 1);
            }
        }
        return new DenyList(0, ids);
    }

    public boolean revokes(String passId) {
        return ids.contains(passId);
    }

    /** The ids of both lists, at the newer version: a pass revoked by either source stays revoked. */
    public DenyList union(DenyList other) {
        Set<String> all = new HashSet<>(ids);
        all.addAll(other.ids);
        return new DenyList(Math.max(version, other.version), all);
    }
}
