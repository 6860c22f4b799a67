package ckp.kiosk.publish;

import ckp.kiosk.store.EventStore;
import ckp.kiosk.store.PendingMessage;
import ckp.kiosk.store.StoreException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * Reads the backlog of one connection (undelivered messages up to the position that was last when it came up) ahead of
 * the publisher, on a thread of its own, into a bounded buffer the publisher takes from without waiting.
 *
 * <p>Why a thread: a read of a few windows of rows took the session thread 0.2-0.3 ms, and while it read, PUBACKs
 * queued and the in-flight window drained; perf showed the store path with a third of the CPU idle that raw Paho used.
 * The reads are the same; they no longer stand between a PUBACK and the next PUBLISH.
 *
 * <p>The reader only reads (on the store's read-only connection); what is delivered is still decided by PUBACKs alone.
 * After a {@link #restart}, rows of an earlier pass that are still in the buffer or being read are dropped.
 */
final class BacklogReader implements AutoCloseable {
    private static final TaggedLogger LOG = Logger.tag("publish");
    /** A failed read is tried again after this long; the publisher meanwhile serves live messages. */
    private static final long RETRY_MILLIS = 1_000;

    private final EventStore store;
    private final long boundary;
    private final int capacity;
    private final Runnable onRows;
    private final ArrayDeque<PendingMessage> buffer = new ArrayDeque<>();
    private final Thread thread;
    // All guarded by this.
    private long cursor;
    private boolean finished;
    private long generation;
    private Set<String> excluded;
    private boolean closed;

    /**
     * Starts reading positions 1 to {@code boundary}, skipping topics in {@code excluded}, keeping up to
     * {@code capacity} rows ahead; {@code onRows} runs (on the reader's thread) whenever rows were added.
     */
    BacklogReader(EventStore store, long boundary, int capacity, Set<String> excluded, Runnable onRows) {
        this(store, boundary, capacity, excluded, onRows, SessionThreads.platform());
    }

    BacklogReader(EventStore store, long boundary, int capacity, Set<String> excluded, Runnable onRows,
                  SessionThreads threads) {
        if (capacity < 2) {
            throw new IllegalArgumentException("backlog read-ahead must be at least 2 rows, got " + capacity);
        }
        this.store = store;
        this.boundary = boundary;
        this.capacity = capacity;
        this.excluded = Set.copyOf(excluded);
        this.onRows = onRows;
        this.finished = boundary <= 0;
        this.thread = threads.start("backlog-reader", true, this::run);
    }

    /** The next backlog message in commit order, or null when none is read yet (or the backlog is through). */
    synchronized PendingMessage poll() {
        PendingMessage m = buffer.poll();
        if (buffer.size() <= capacity / 2) {
            notifyAll();
        }
        return m;
    }

    /** True once every backlog message has been handed out by {@link #poll}. */
    synchronized boolean finished() {
        return finished && buffer.isEmpty();
    }

    /** Reads the backlog again from its start, now skipping {@code excluded} (a refused topic may be tried again). */
    synchronized void restart(Set<String> excluded) {
        this.excluded = Set.copyOf(excluded);
        generation++;
        buffer.clear();
        cursor = 0;
        finished = boundary <= 0;
        notifyAll();
    }

    /** From now on, skips these topics too (a topic the broker just refused). */
    synchronized void exclude(Set<String> excluded) {
        this.excluded = Set.copyOf(excluded);
    }

    private void run() {
        while (true) {
            long from;
            int room;
            long pass;
            Set<String> skip;
            synchronized (this) {
                while (!closed && (finished || buffer.size() > capacity / 2)) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                from = cursor;
                room = capacity - buffer.size();
                pass = generation;
                skip = excluded;
            }
            List<PendingMessage> rows;
            try {
                rows = store.pending(from, room, skip);
            } catch (StoreException e) {
                LOG.error("reading the backlog failed ({}); trying again in {} ms", e.getMessage(), RETRY_MILLIS);
                synchronized (this) {
                    try {
                        wait(RETRY_MILLIS);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
                continue;
            }
            boolean added = false;
            boolean through;
            synchronized (this) {
                if (pass != generation) {
                    continue; // restarted meanwhile: this pass is stale
                }
                long last = from;
                for (PendingMessage m : rows) {
                    if (m.position() > boundary) {
                        finished = true;
                        break;
                    }
                    buffer.add(m);
                    last = m.position();
                    added = true;
                }
                cursor = last;
                if (rows.size() < room || cursor >= boundary) {
                    finished = true;
                }
                through = finished;
            }
            if (added || through) {
                onRows.run();
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
