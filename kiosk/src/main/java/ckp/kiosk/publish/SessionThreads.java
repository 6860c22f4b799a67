package ckp.kiosk.publish;

import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Which threads a publishing session runs on: its own loops (publisher, delivery log, backlog reader, inbound handlers) and Paho's
 * (receiver, sender, callback, keep-alive). A kiosk runs one session, on platform threads of its own; a process that
 * runs a thousand sessions (the simulator's fleet) cannot afford seven threads per session, so it runs them all on
 * virtual threads with one keep-alive timer, through {@link #shared}.
 *
 * @param virtual    the session's own loops run on virtual threads
 * @param pahoTasks  the executor Paho's clients run their tasks on; empty: a thread per task and a timer per client
 */
public record SessionThreads(boolean virtual, Optional<ScheduledExecutorService> pahoTasks) {

    /** One session per process, on platform threads: what the kiosk runs. */
    public static SessionThreads platform() {
        return new SessionThreads(false, Optional.empty());
    }

    /**
     * Many sessions in one process: virtual threads for every loop and every Paho task, one shared timer. Virtual
     * threads only where the JDK no longer pins them in {@code synchronized}/{@code wait()} (JDK 24 and later, JEP
     * 491), which Paho's sender waits in; on an older runtime the loops stay on platform threads.
     */
    public static SessionThreads shared(SharedPahoExecutor paho) {
        return new SessionThreads(virtualThreadsUnpinned(), Optional.of(paho));
    }

    static boolean virtualThreadsUnpinned() {
        return Runtime.version().feature() >= 24;
    }

    /** Makes (unstarted) daemon threads of the session's kind, for an executor of its own. */
    java.util.concurrent.ThreadFactory factory(String name) {
        return virtual ? Thread.ofVirtual().name(name).factory() : Thread.ofPlatform().name(name).daemon().factory();
    }

    /** Starts a loop of the session; a platform loop is a daemon unless it is the session's own thread. */
    Thread start(String name, boolean daemon, Runnable loop) {
        return virtual ? Thread.ofVirtual().name(name).start(loop)
                : Thread.ofPlatform().name(name).daemon(daemon).start(loop);
    }
}
