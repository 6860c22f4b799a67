package ckp.kiosk.pass;

import ckp.kiosk.clock.ClockStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The lane's pass check: CKP1 and HC1 verification, or in record mode any code accepted as an opaque value. The trust store
 * and the deny list can be replaced while the lane runs ({@code trust} command, deny list topic); a check in progress
 * finishes with what it started with.
 */
public final class PassChecker {
    private static final TaggedLogger LOG = Logger.tag("pass");

    private final boolean recordMode;
    private final Optional<Path> trustDir;
    private final DenyList fileDenyList;
    private final Duration skew;
    private final ClockStatus clock;
    private final Optional<SaltedHash> salt;
    private DenyList topicDenyList = DenyList.EMPTY;
    private volatile PassVerifier verifier;

    /**
     * @param trustDir     the folder {@link #reloadTrust()} reads again; empty when the trust store is given
     * @param fileDenyList the ids of {@code pass.denylist.file}; always revoked, whatever the broker's list says
     */
    public PassChecker(boolean recordMode, TrustStore trust, Optional<Path> trustDir, DenyList fileDenyList,
                       Duration skew, ClockStatus clock, Optional<SaltedHash> salt) {
        if (recordMode && salt.isEmpty()) {
            throw new IllegalArgumentException("record mode needs the site salt (pass.hash.salt.file)");
        }
        this.recordMode = recordMode;
        this.trustDir = Objects.requireNonNull(trustDir);
        this.fileDenyList = Objects.requireNonNull(fileDenyList);
        this.skew = Objects.requireNonNull(skew);
        this.clock = Objects.requireNonNull(clock);
        this.salt = Objects.requireNonNull(salt);
        this.verifier = new PassVerifier(trust, fileDenyList, skew);
    }

    /** Loads the trust store and the deny list file a config names. */
    public static PassChecker from(PassConfig config, ClockStatus clock) throws IOException {
        TrustStore trust = config.trustDir().isPresent()
                ? TrustStore.load(config.trustDir().get()) : TrustStore.of(Map.of());
        config.trustDir().ifPresent(trust::log);
        DenyList deny = config.denylistFile().isPresent()
                ? DenyList.load(config.denylistFile().get()) : DenyList.EMPTY;
        return new PassChecker(config.recordMode(), trust, config.trustDir(), deny, config.skew(), clock,
                config.salt());
    }

    /**
     * Reads {@code pass.trust.dir} again: the {@code trust} command's handler calls this after a technician or the
     * central side changed the keys. Bad files are skipped and listed in the result; when the folder itself cannot be
     * read, the keys in use are kept and the problem is returned. A reload that changes nothing logs nothing, so a
     * flood of {@code trust} commands is not a flood of log lines.
     */
    public TrustStore reloadTrust() {
        if (trustDir.isEmpty()) {
            return verifier.trust();
        }
        TrustStore next;
        try {
            next = TrustStore.load(trustDir.get());
        } catch (IOException e) {
            LOG.error("trust reload: cannot read {} ({}); keeping {} key(s)", trustDir.get(), e.getMessage(),
                    verifier.trust().size());
            return verifier.trust().withProblem(trustDir.get() + ": cannot be read (" + e.getMessage()
                    + "); the keys in use are kept");
        }
        synchronized (this) {
            PassVerifier old = verifier;
            verifier = new PassVerifier(next, old.denyList(), skew);
            if (!next.sameAs(old.trust())) {
                next.log(trustDir.get());
            }
        }
        return next;
    }

    /** Puts the broker's deny list in use, together with the file's ids; {@link DenyListFeed} calls this. */
    public synchronized void useTopicDenyList(DenyList fromTopic) {
        topicDenyList = Objects.requireNonNull(fromTopic);
        verifier = new PassVerifier(verifier.trust(), fileDenyList.union(topicDenyList), skew);
    }

    /** The trust store in use. */
    public TrustStore trust() {
        return verifier.trust();
    }

    /** The deny list in use: the file's ids and the broker's. */
    public DenyList denyList() {
        return verifier.denyList();
    }

    public PassCheck check(String text) {
        if (recordMode) {
            return new PassCheck(PassOutcome.RECORDED, Optional.empty(), Optional.empty(),
                    Optional.of(salt.orElseThrow().of(text)), 0);
        }
        PassCheck check = verifier.verify(text, clock.now(), clock.synced());
        if (check.digest().isEmpty()) {
            return check.withHash(salt.map(s -> s.of(text)));
        }
        return check;
    }
}
