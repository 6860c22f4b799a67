package ckp.kiosk.publish;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A queue any thread may offer to and one thread takes from, with no lock on either side: the session thread's
 * signals. With a {@link java.util.concurrent.LinkedBlockingQueue} every PUBACK from Paho's callback thread took the
 * queue's take lock to wake the session thread, and met it there whenever that thread was draining the queue; on two
 * cores those hand-offs cost the publisher a tenth of its throughput against raw Paho.
 */
final class Mailbox<T> {
    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private volatile Thread taker;
    /** The taker is about to park or parked: only then does an offer pay for an unpark (a mutex in the JVM). */
    private volatile boolean waiting;

    /** Adds an item and wakes the taker if it waits. Any thread. */
    void offer(T item) {
        queue.offer(item);
        if (waiting) {
            LockSupport.unpark(taker);
        }
    }

    /** The next item, or null at once when there is none. The taker only. */
    T poll() {
        return queue.poll();
    }

    /** The next item, waiting up to {@code timeout} for one; null when none came. The taker only. */
    T poll(long timeout, TimeUnit unit) throws InterruptedException {
        T item = queue.poll();
        if (item != null) {
            return item;
        }
        taker = Thread.currentThread();
        // Said before looking again (both volatile): an offer after this line sees it and unparks, one before it is
        // found by the poll.
        waiting = true;
        try {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while ((item = queue.poll()) == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                LockSupport.parkNanos(this, left);
            }
            return item;
        } finally {
            waiting = false;
        }
    }
}
