package ckp.kiosk.publish;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The newest message of each authority topic (the site's deny list, its rules), handed to the topic's handler on a
 * thread of its own. Such a message is a state, not a request: only the newest counts, so it needs one slot per
 * topic, not a queue — a flood of commands can neither delay it behind them nor crowd it out, and a message overtaken
 * by a newer one on its topic before its turn is skipped, never the newest.
 */
final class LatestMessageSlots implements AutoCloseable {
    private static final TaggedLogger LOG = Logger.tag("publish");
    /** Distinct topics held at once; only a wildcard authority filter could match more. */
    static final int MAX_TOPICS = 64;

    private record Pending(String filter, InboundMessage message, Consumer<InboundMessage> handler) {
    }

    private final Map<String, Pending> slots = new LinkedHashMap<>();
    private final DropWarnings drops;
    private final Thread thread;
    private boolean running = true;
    private long overtaken;

    LatestMessageSlots(String threadName, DropWarnings drops) {
        this(threadName, drops, SessionThreads.platform());
    }

    LatestMessageSlots(String threadName, DropWarnings drops, SessionThreads threads) {
        this.drops = Objects.requireNonNull(drops);
        this.thread = threads.start(threadName, true, this::run);
    }

    /** Puts a message in its topic's slot, replacing an older one not yet handled; returns at once. */
    synchronized void put(String filter, InboundMessage message, Consumer<InboundMessage> handler) {
        if (!slots.containsKey(message.topic()) && slots.size() >= MAX_TOPICS) {
            drops.dropped(message.topic(), "more than " + MAX_TOPICS + " authority topics waiting");
            return;
        }
        if (slots.put(message.topic(), new Pending(filter, message, handler)) != null) {
            overtaken++;
            LOG.debug("a message on {} was overtaken by a newer one before it was handled ({} so far)",
                    message.topic(), overtaken);
        }
        notifyAll();
    }

    private void run() {
        while (true) {
            Pending next;
            synchronized (this) {
                while (running && slots.isEmpty()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (!running) {
                    return;
                }
                Iterator<Pending> it = slots.values().iterator();
                next = it.next();
                it.remove();
            }
            try {
                next.handler().accept(next.message());
            } catch (RuntimeException e) {
                LOG.error(e, "handler for {} failed", next.filter());
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            running = false;
            notifyAll();
        }
        thread.interrupt();
    }
}
