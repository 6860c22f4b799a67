package ckp.drivers;

import java.time.Duration;

/**
 * Waits in tests for a condition to hold, polling, with a generous timeout: a slow or loaded machine only makes the
 * wait longer, never the test fail, and a condition that never holds fails naming what was awaited.
 */
public final class Await {
    /** Long enough for a loaded build machine; a passing run never waits it out. */
    public static final Duration GENEROUS = Duration.ofSeconds(60);
    private static final long POLL_MILLIS = 5;

    /** A condition that may throw while it is checked (a file being written, a process starting). */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    private Await() {
    }

    /** Waits up to {@link #GENEROUS} for {@code condition}; fails with {@code what} if it never holds. */
    public static void until(String what, Condition condition) throws Exception {
        until(what, GENEROUS, condition);
    }

    /** Waits up to {@code timeout} for {@code condition}; fails with {@code what} if it never holds. */
    public static void until(String what, Duration timeout, Condition condition) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what);
            }
            Thread.sleep(POLL_MILLIS); // the poll interval, not a wait: the condition decides
        }
    }
}
