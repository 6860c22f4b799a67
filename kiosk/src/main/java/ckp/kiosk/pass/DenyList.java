package ckp.kiosk.pass;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Revoked pass ids.
 *
 * @param version the list's version; a newer version replaces an older one, 0 for a list read from a file
 */
public record DenyList(long version, Set<String> ids) {
    public static final DenyList EMPTY = new DenyList(0, Set.of());

    public DenyList {
        Objects.requireNonNull(ids);
        ids = Set.copyOf(ids);
    }

    /** Reads one id per line; blank lines and {@code #} comments are ignored. */
    public static DenyList load(Path file) throws IOException {
        Set<String> ids = new HashSet<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int hash = line.indexOf('#');
            String id = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!id.isEmpty()) {
                ids.add(id);
            }
        }
        return new DenyList(0, ids);
    }

    public boolean revokes(String passId) {
        return ids.contains(passId);
    }
}
