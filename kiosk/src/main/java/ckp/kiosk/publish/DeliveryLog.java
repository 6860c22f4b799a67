package ckp.kiosk.publish;

import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.store.EventStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * Writes PUBACKs to the store on its own thread, many per transaction, so the publisher thread goes on sending while
 * SQLite works: with the store update on the sending thread, every batch of acknowledgements left the in-flight
 * window idle for the length of a transaction. A delivery not yet written is only sent again if the kiosk stops first
 * (the same id), never lost.
 */
final class DeliveryLog implements AutoCloseable {
    private static final TaggedLogger LOG = Logger.tag("publish");
    /**
     * How long the first PUBACK of a batch waits for more before the transaction, while more are coming: a
     * transaction's fixed cost (begin, commit, statement preparation, WAL frames of the same pages again) then serves
     * a thousand rows at full speed, not a hundred (1.0 us a row against 1.85 us measured). The marks are only
     * bookkeeping; a flush cuts the wait short, and so does a publisher with nothing left in flight.
     */
    private static final long LINGER_MILLIS = 50;

    private record Delivered(long position, Instant sentAt) {
    }

    private final EventStore store;
    private final ClockStatus clock;
    private final Mailbox<Delivered> queue = new Mailbox<>();
    private final Object progress = new Object();
    /** Deliveries noted; counted without the {@code progress} lock, as the publisher does it for every PUBACK. */
    private final AtomicLong submitted = new AtomicLong();
    private long written;
    /** A flush waits: write what is queued now, without lingering. Guarded by {@code progress}. */
    private boolean flushWanted;
    /** The publisher has nothing in flight, so no PUBACK is coming to join the batch. Guarded by {@code progress}. */
    private boolean idle;
    private final Thread thread;
    private volatile boolean running = true;

    DeliveryLog(EventStore store, ClockStatus clock) {
        this(store, clock, SessionThreads.platform());
    }

    DeliveryLog(EventStore store, ClockStatus clock, SessionThreads threads) {
        this.store = store;
        this.clock = clock;
        this.thread = threads.start("delivery-log", true, this::run);
    }

    /** Notes a success PUBACK; cheap, from the publisher thread. */
    void delivered(long position, Instant sentAt) {
        submitted.incrementAndGet();
        queue.offer(new Delivered(position, sentAt));
    }

    /** Says that nothing is in flight: the deliveries noted so far are written without lingering for more. */
    void idle() {
        synchronized (progress) {
            idle = true;
            progress.notifyAll();
        }
    }

    /** Waits until every delivery noted so far is in the store (before a rescan or a reconnect reads it back). */
    void flush() throws InterruptedException {
        synchronized (progress) {
            flushWanted = true;
            progress.notifyAll();
            try {
                while (written < submitted.get() && thread.isAlive()) {
                    progress.wait(100);
                }
            } finally {
                flushWanted = false;
            }
        }
    }

    private void run() {
        List<Delivered> batch = new ArrayList<>();
        while (running || written < submitted.get()) {
            try {
                Delivered first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                synchronized (progress) {
                    if (!flushWanted && !idle && running) {
                        progress.wait(LINGER_MILLIS);
                    }
                    idle = false;
                }
                for (Delivered d = queue.poll(); d != null; d = queue.poll()) {
                    batch.add(d);
                }
                Instant sent = batch.get(0).sentAt();
                List<Long> positions = new ArrayList<>(batch.size());
                for (Delivered d : batch) {
                    positions.add(d.position());
                    sent = d.sentAt().isBefore(sent) ? d.sentAt() : sent;
                }
                try {
                    store.markDelivered(positions, sent, clock.now());
                } catch (RuntimeException e) {
                    LOG.error("{} acknowledged message(s) not marked delivered ({}); they will be sent again",
                            positions.size(), e.getMessage());
                }
                synchronized (progress) {
                    written += batch.size();
                    progress.notifyAll();
                }
                batch.clear();
            } catch (InterruptedException e) {
                running = false;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        synchronized (progress) {
            progress.notifyAll();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
