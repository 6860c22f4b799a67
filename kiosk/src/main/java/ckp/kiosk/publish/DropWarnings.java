package ckp.kiosk.publish;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * Warnings about inbound messages the kiosk could not take (a command flood over the queue): the first drop is
 * logged at once, later ones summed up in one line per interval with the count per topic, so that a flood of
 * messages is not also a flood of log lines (a hostile run logged 428 lines in 0.2 s).
 */
final class DropWarnings {
    private static final TaggedLogger LOG = Logger.tag("publish");
    private static final int TOPICS_NAMED = 5;

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Consumer<String> log;
    private final Map<String, Long> byTopic = new TreeMap<>();
    private String why = "";
    private long count;
    private long total;
    private long lastLogNanos;
    private boolean loggedOnce;

    DropWarnings(Duration interval, LongSupplier nanoTime) {
        this(interval, nanoTime, LOG::warn);
    }

    /** @param log where each warning line goes (the log; a list in tests) */
    DropWarnings(Duration interval, LongSupplier nanoTime, Consumer<String> log) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.log = log;
    }

    /** One message on {@code topic} was dropped, for the reason given. */
    synchronized void dropped(String topic, String reason) {
        byTopic.merge(topic, 1L, Long::sum);
        why = reason;
        count++;
        total++;
        flushIfDue();
    }

    /** Logs the drops summed up since the last line, when the interval has passed; cheap when nothing was dropped. */
    synchronized void flushIfDue() {
        flush(false);
    }

    /** Logs what is not reported yet, due or not (at a stop). */
    synchronized void flush() {
        flush(true);
    }

    private void flush(boolean force) {
        if (count == 0) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (!force && loggedOnce && now - lastLogNanos < intervalNanos) {
            return;
        }
        String topics = byTopic.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(TOPICS_NAMED).map(e -> e.getValue() + " on " + e.getKey()).collect(Collectors.joining(", "));
        if (byTopic.size() > TOPICS_NAMED) {
            topics += " and " + (byTopic.size() - TOPICS_NAMED) + " other topic(s)";
        }
        log.accept("inbound MQTT messages dropped (" + why + "): " + count + " "
                + (loggedOnce ? "since the last report" : "so far") + ": " + topics + "; " + total
                + " in all; further drops are summed up every " + intervalNanos / 1_000_000_000L + " s");
        byTopic.clear();
        count = 0;
        lastLogNanos = now;
        loggedOnce = true;
    }

    /** Messages dropped since the start. */
    synchronized long total() {
        return total;
    }
}
