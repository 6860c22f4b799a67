package ckp.kiosk.publish;

import ckp.kiosk.message.TopicFilter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The session's subscriptions and where their messages go: each filter is parsed once, when subscribed. Commands are
 * handed to one handler thread through a bounded queue; authority topics (the site deny list) through a slot per topic
 * on a thread of their own, so that a command flood can never cost an authority message. Dispatch runs on the
 * client's callback thread and returns at once.
 */
final class InboundRoutes implements AutoCloseable {
    private static final TaggedLogger LOG = Logger.tag("publish");
    private static final int INBOUND_QUEUE = 256;
    /** Drop warnings are summed up in one line per this interval. */
    private static final Duration DROP_REPORT_INTERVAL = Duration.ofSeconds(10);

    private record Route(TopicFilter filter, Consumer<InboundMessage> handler, boolean latestOnly) {
    }

    /** A queued inbound message, named by its topic so that a drop warning can say which one it was. */
    private record InboundTask(String topic, Runnable work) implements Runnable {
        @Override
        public void run() {
            work.run();
        }
    }

    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final DropWarnings drops;
    private final ThreadPoolExecutor inbound;
    private final LatestMessageSlots authority;

    InboundRoutes(LongSupplier nanoTime) {
        this(nanoTime, SessionThreads.platform());
    }

    InboundRoutes(LongSupplier nanoTime, SessionThreads threads) {
        this.drops = new DropWarnings(DROP_REPORT_INTERVAL, nanoTime);
        this.authority = new LatestMessageSlots("mqtt-authority", drops, threads);
        this.inbound = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(INBOUND_QUEUE),
                threads.factory("mqtt-inbound"),
                (r, executor) -> drops.dropped(r instanceof InboundTask t ? t.topic() : "?",
                        "the inbound queue holds " + INBOUND_QUEUE + " already"));
    }

    /** Routes a filter's messages to {@code handler}; {@code latestOnly} for authority topics. Replaces a route. */
    void add(String topicFilter, Consumer<InboundMessage> handler, boolean latestOnly) {
        routes.put(topicFilter, new Route(new TopicFilter(topicFilter), handler, latestOnly));
    }

    /** Every filter to subscribe to on a new connection. */
    List<String> filters() {
        return List.copyOf(routes.keySet());
    }

    /** Runs on the client's thread: hands the message to each matching route's thread and returns at once. */
    void dispatch(InboundMessage message) {
        for (Route route : routes.values()) {
            if (!route.filter().matches(message.topic())) {
                continue;
            }
            Consumer<InboundMessage> handler = route.handler();
            String filter = route.filter().filter();
            if (route.latestOnly()) {
                authority.put(filter, message, handler);
                continue;
            }
            inbound.execute(new InboundTask(message.topic(), () -> {
                try {
                    handler.accept(message);
                } catch (RuntimeException ex) {
                    LOG.error(ex, "handler for {} failed", filter);
                }
            }));
        }
    }

    /** Inbound messages dropped since the start because the command queue was full. */
    long dropped() {
        return drops.total();
    }

    /** Logs the summed-up drop warnings when their interval is over. */
    void reportDropsIfDue() {
        drops.flushIfDue();
    }

    /** Lets queued messages finish, then stops the threads (the session ended by itself). */
    void shutdown() {
        inbound.shutdown();
        authority.close();
    }

    @Override
    public void close() {
        inbound.shutdownNow();
        authority.close();
        drops.flush();
    }
}
