package ckp.kiosk.publish;

import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.message.Alarm;
import ckp.kiosk.message.AlarmCode;
import ckp.kiosk.message.MessageClass;
import ckp.kiosk.message.TopicFilter;
import ckp.kiosk.message.Topics;
import ckp.kiosk.store.EventStore;
import ckp.kiosk.store.Outbox;
import ckp.kiosk.store.PendingMessage;
import ckp.kiosk.store.StoreCounter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The MQTT session: one thread that connects (exponential backoff with full jitter, failover over {@code mqtt.uris}),
 * announces itself with a retained status, re-subscribes, and publishes undelivered messages from the store with a
 * bounded in-flight window, marking each delivered only when its PUBACK carries a success reason code.
 *
 * <p>After an outage, messages committed since the connection came up (live) go first; the backlog follows, paced at
 * {@code mqtt.drain.rate}. A topic the broker refuses (reason code 0x80 or above, e.g. an ACL's 0x87) is held back on
 * its own with a backoff and an alarm, its messages kept in order in the store; other topics keep flowing, so the
 * alarm reporting the refusal is not stuck behind the refused messages.
 *
 * <p>Paho's callbacks only put signals in a {@link Mailbox}; this thread alone calls the client. Two helpers keep the
 * store off its path: a {@link BacklogReader} reads the backlog ahead, and the {@link DeliveryLog} writes PUBACKs to
 * the store, many per transaction. Subscribed messages are handed to a separate handler thread through a bounded
 * queue (commands), or through a slot per topic on a thread of their own (authority topics such as the site deny list,
 * {@link #subscribeLatest}), so that a command flood can never cost an authority message.
 */
public final class Publisher implements AutoCloseable {
    private static final TaggedLogger LOG = Logger.tag("publish");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BACKOFF_BASE = Duration.ofSeconds(1);
    /** A connection that lived this long was healthy: the next loss starts the backoff from the base again. */
    private static final Duration STABLE_CONNECTION = Duration.ofSeconds(30);
    /** Slots of the broker's receive maximum kept for the status message and command responses. */
    private static final int CONTROL_SLOTS = 2;
    private static final int INBOUND_QUEUE = 256;
    /** Drop warnings are summed up in one line per this interval. */
    private static final Duration DROP_REPORT_INTERVAL = Duration.ofSeconds(10);
    /** Live messages are looked for on every wake-up from the lane, and at least this often. */
    private static final Duration LIVE_RECHECK = Duration.ofMillis(100);
    /**
     * Backlog rows the reader keeps ahead of the publisher, in in-flight windows: 16 (288 rows, some 130 KB, at
     * Mosquitto's default receive maximum) let one query serve many round trips; a row cost the reader 2.2 us of CPU
     * this way against 3.5 us at 4 windows, as every query after a delivery commit reads its pages afresh.
     */
    private static final int READ_AHEAD_WINDOWS = 16;
    /**
     * After a connection fails, messages the broker acknowledged this shortly before are sent again (same id): a
     * PUBACK does not mean the broker wrote the message to disk or passed it on, and a broker killed right after
     * acknowledging loses it. Consumers de-duplicate by id.
     */
    static final Duration REDELIVER_BEFORE_LOSS = Duration.ofSeconds(10);

    private final EventStore store;
    private final BrokerLink link;
    private final MqttConfig config;
    private final Topics topics;
    private final String version;
    private final ClockStatus clock;
    private final String bootId;
    private final Mailbox<Signal> signals = new Mailbox<>();
    private final Map<String, Consumer<InboundMessage>> subscriptions = new ConcurrentHashMap<>();
    /** The subscriptions whose newest message is kept per topic and always handled (authority topics). */
    private final Set<String> latestOnly = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor inbound;
    private final DropWarnings drops = new DropWarnings(DROP_REPORT_INTERVAL, System::nanoTime);
    private final LatestMessageSlots authority = new LatestMessageSlots("mqtt-authority", drops);
    /** Topics the broker refused, with when they may be tried again (System.nanoTime) and how often they failed. */
    private final Map<String, Long> blockedUntilNanos = new HashMap<>();
    private final Map<String, Integer> topicFailures = new HashMap<>();
    private final DeliveryLog deliveries;
    private final Set<String> alarmedTopics = ConcurrentHashMap.newKeySet();
    private volatile double drainRatePerSecond;
    private volatile boolean running = true;
    private volatile boolean connected;
    private volatile long bdSeq;
    private Instant lostAt;
    private Thread thread;

    /** What wakes the publisher thread. */
    private sealed interface Signal permits Ack, ControlAck, Lost, Wake, Respond, Resubscribe, BacklogRows {
    }

    /** The backlog reader has rows ready (or is through). */
    private record BacklogRows() implements Signal {
    }

    private record Ack(long connection, long position, int reasonCode) implements Signal {
    }

    private record ControlAck(long connection) implements Signal {
    }

    private record Lost(long connection, String why) implements Signal {
    }

    private record Wake() implements Signal {
    }

    private record Respond(OutgoingMessage message) implements Signal {
    }

    private record Resubscribe() implements Signal {
    }

    public Publisher(EventStore store, BrokerLink link, MqttConfig config, Topics topics, String version,
                     ClockStatus clock, String bootId) {
        this.store = store;
        this.link = link;
        this.config = config;
        this.topics = topics;
        this.version = version;
        this.clock = clock;
        this.bootId = bootId;
        this.drainRatePerSecond = config.drainRatePerSecond();
        this.deliveries = new DeliveryLog(store, clock);
        this.inbound = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(INBOUND_QUEUE),
                r -> Thread.ofPlatform().name("mqtt-inbound").daemon().unstarted(r),
                (r, executor) -> drops.dropped(r instanceof InboundTask t ? t.topic() : "?",
                        "the inbound queue holds " + INBOUND_QUEUE + " already"));
    }

    public void start() {
        thread = Thread.ofPlatform().name("publisher").start(this::run);
    }

    /** Tells the publisher a message was committed. Cheap; callable from any thread. */
    public void wake() {
        signals.offer(new Wake());
    }

    public boolean connected() {
        return connected;
    }

    /** The birth/death sequence of the current (or last tried) connection. */
    public long bdSeq() {
        return bdSeq;
    }

    public Topics topics() {
        return topics;
    }

    public double drainRatePerSecond() {
        return drainRatePerSecond;
    }

    /** Changes the backlog pace at run time (the {@code config} command); not persisted. */
    public void setDrainRatePerSecond(double perSecond) {
        if (!(perSecond >= 0.1 && perSecond <= 100_000)) {
            throw new IllegalArgumentException("mqtt.drain.rate must be 0.1 to 100000 messages/s, got " + perSecond);
        }
        drainRatePerSecond = perSecond;
        wake();
    }

    /** The alarms the session itself holds raised, e.g. {@code publish-rejected:ckp/v1/s/l/k/event}. */
    public List<String> activeAlarms() {
        return alarmedTopics.stream().sorted().map(t -> AlarmCode.PUBLISH_REJECTED.wire() + ":" + t).toList();
    }

    /**
     * Subscribes (QoS 1) to a topic filter on every connection from now on; {@code handler} runs on the session's
     * inbound thread, never on Paho's, one message at a time. A retained message (e.g. the deny list) arrives again
     * after each reconnect.
     */
    public void subscribe(String topicFilter, Consumer<InboundMessage> handler) {
        new TopicFilter(topicFilter);
        latestOnly.remove(topicFilter);
        subscriptions.put(topicFilter, handler);
        signals.offer(new Resubscribe());
    }

    /**
     * Subscribes (QoS 1) to an authority topic filter — a state the central side publishes, retained, such as the
     * site deny list — on every connection from now on. The newest message of each matching topic is kept in a slot
     * of its own and always handed to {@code handler}, on a thread of its own, one message at a time: it shares no
     * queue with commands, so no flood of them can drop or delay it. A message overtaken by a newer one on the same
     * topic before its turn is skipped.
     */
    public void subscribeLatest(String topicFilter, Consumer<InboundMessage> handler) {
        new TopicFilter(topicFilter);
        latestOnly.add(topicFilter);
        subscriptions.put(topicFilter, handler);
        signals.offer(new Resubscribe());
    }

    /** Inbound messages dropped since the start because the command queue was full. */
    public long droppedInbound() {
        return drops.total();
    }

    /**
     * Sends a message that is not kept in the store (a command response) at QoS 1 on the current connection; when
     * there is none it is dropped, and the requester times out and asks again.
     */
    public void respond(OutgoingMessage message) {
        signals.offer(new Respond(message));
    }

    private void run() {
        int failures = 0;
        long connection = 0;
        while (running) {
            connection++;
            int receiveMaximum;
            try {
                receiveMaximum = connect(connection);
            } catch (BrokerException e) {
                connected = false;
                failures++;
                Duration wait = backoff(failures);
                // connect() logged each URI's cause already: once per try is enough.
                LOG.warn("no broker of mqtt.uris answered; next try in {} ms", wait.toMillis());
                sleep(wait);
                continue;
            }
            long upSince = System.nanoTime();
            if (lostAt != null) {
                int again = store.reopenAcknowledgedSince(lostAt.minus(REDELIVER_BEFORE_LOSS));
                if (again > 0) {
                    LOG.info("sending {} message(s) acknowledged just before the connection failed again", again);
                }
                lostAt = null;
            }
            try {
                pump(connection, receiveMaximum);
            } catch (BrokerException e) {
                LOG.warn("publishing stopped: {}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                connected = false;
            }
            if (!running) {
                break;
            }
            lostAt = clock.now();
            // A fresh client for every connection: whatever went wrong stays with the old one.
            link.close();
            if (System.nanoTime() - upSince > STABLE_CONNECTION.toNanos()) {
                failures = 0;
            }
            failures++;
            Duration wait = backoff(failures);
            LOG.info("reconnecting in {} ms", wait.toMillis());
            sleep(wait);
        }
        link.close();
        inbound.shutdown();
        authority.close();
        deliveries.close();
    }

    /** A clean stop sends no will, so the retained status is set to offline by hand before disconnecting. */
    private void sayOffline() {
        try {
            link.publish(OutgoingMessage.qos1(topics.status(), statusOffline(bdSeq), true), code -> { });
        } catch (BrokerException e) {
            LOG.debug("offline status not sent: {}", e.getMessage());
        }
    }

    private static byte[] statusOffline(long bdSeq) {
        return bytes(JSON.createObjectNode().put("state", "offline").put("bdSeq", bdSeq));
    }

    /** Connects to the first URI of the failover list that answers; returns the broker's receive maximum. */
    private int connect(long connection) throws BrokerException {
        long seq = store.increment(StoreCounter.MQTT_BDSEQ);
        bdSeq = seq;
        BrokerLink.Listener listener = new BrokerLink.Listener() {
            @Override
            public void connectionLost(String why) {
                signals.offer(new Lost(connection, why));
            }

            @Override
            public void messageArrived(InboundMessage message) {
                dispatch(message);
            }
        };
        BrokerException last = null;
        for (URI uri : config.uris()) {
            try {
                int receiveMaximum = link.connect(uri, topics.status(), statusOffline(seq), listener);
                ObjectNode online = JSON.createObjectNode().put("state", "online").put("bdSeq", seq)
                        .put("version", version).put("since", clock.now().toString());
                link.publish(OutgoingMessage.qos1(topics.status(), bytes(online), true),
                        code -> signals.offer(new ControlAck(connection)));
                resubscribe();
                LOG.info("connected to {} (bdSeq {}, broker receive maximum {})", uri, seq, receiveMaximum);
                return receiveMaximum;
            } catch (BrokerException e) {
                last = e;
                LOG.warn("{}", e.getMessage());
                link.close();
            }
        }
        connected = false;
        throw last;
    }

    private void resubscribe() throws BrokerException {
        List<String> filters = new ArrayList<>(subscriptions.keySet());
        if (filters.isEmpty()) {
            return;
        }
        List<Integer> codes = link.subscribe(filters);
        for (int i = 0; i < filters.size(); i++) {
            if (codes.get(i) >= 0x80) {
                LOG.error("broker refused the subscription to {} with reason code 0x{}; check its ACL", filters.get(i),
                        Integer.toHexString(codes.get(i)));
            }
        }
    }

    /** Runs on Paho's thread: hands the message to its handler's thread (queue or slot) and returns at once. */
    private void dispatch(InboundMessage message) {
        for (Map.Entry<String, Consumer<InboundMessage>> e : subscriptions.entrySet()) {
            if (new TopicFilter(e.getKey()).matches(message.topic())) {
                Consumer<InboundMessage> handler = e.getValue();
                if (latestOnly.contains(e.getKey())) {
                    authority.put(e.getKey(), message, handler);
                    continue;
                }
                inbound.execute(new InboundTask(message.topic(), () -> {
                    try {
                        handler.accept(message);
                    } catch (RuntimeException ex) {
                        LOG.error(ex, "handler for {} failed", e.getKey());
                    }
                }));
            }
        }
    }

    /** A queued inbound message, named by its topic so that a drop warning can say which one it was. */
    private record InboundTask(String topic, Runnable work) implements Runnable {
        @Override
        public void run() {
            work.run();
        }
    }

    /**
     * Publishes until the connection is lost or the publisher stops. Live messages (committed after the connection
     * came up) go as soon as the window allows; the backlog before them follows at the drain rate.
     */
    private void pump(long connection, int receiveMaximum) throws BrokerException, InterruptedException {
        int window = Math.max(1, Math.min(config.inflightMax(), receiveMaximum - CONTROL_SLOTS));
        long boundary = store.lastPosition();
        // Connected from here on: whatever is committed after this line is live.
        connected = true;
        try (BacklogReader backlog = new BacklogReader(store, boundary, READ_AHEAD_WINDOWS * window,
                blockedUntilNanos.keySet(), () -> signals.offer(new BacklogRows()))) {
            pump(connection, receiveMaximum, window, boundary, backlog);
        }
    }

    /** {@link #pump(long, int)} once connected: {@code boundary} is the last backlog position. */
    private void pump(long connection, int receiveMaximum, int window, long boundary, BacklogReader backlog)
            throws BrokerException, InterruptedException {
        Map<Long, PendingMessage> inFlight = new LinkedHashMap<>();
        Map<Long, Instant> sentAt = new HashMap<>();
        ArrayDeque<OutgoingMessage> responses = new ArrayDeque<>();
        int controlInFlight = 1; // the online status
        long liveAfter = boundary;
        boolean liveDirty = true;
        long lastLiveCheck = System.nanoTime();
        double tokens = 1;
        long lastRefill = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            drops.flushIfDue();
            if (unblockDue(now)) {
                // A refused topic may be tried again: scan both streams from their starts for its kept messages.
                deliveries.flush();
                liveAfter = boundary;
                backlog.restart(blockedUntilNanos.keySet());
                liveDirty = true;
            }
            while (!responses.isEmpty() && inFlight.size() + controlInFlight < receiveMaximum) {
                link.publish(responses.poll(), code -> signals.offer(new ControlAck(connection)));
                controlInFlight++;
            }
            Set<String> blocked = Set.copyOf(blockedUntilNanos.keySet());
            List<PendingMessage> toSend = new ArrayList<>();
            int free = window - inFlight.size();
            // Live messages: looked for when something was committed (wake) and at least every LIVE_RECHECK.
            if (free > 0 && (liveDirty || now - lastLiveCheck > LIVE_RECHECK.toNanos())) {
                List<PendingMessage> live = store.pending(liveAfter, free, blocked);
                for (PendingMessage m : live) {
                    liveAfter = m.position();
                    if (!inFlight.containsKey(m.position())) {
                        toSend.add(m);
                    }
                }
                liveDirty = live.size() == free;
                lastLiveCheck = now;
            }
            double rate = drainRatePerSecond;
            tokens = Math.min(Math.max(1, Math.min(rate, window)), tokens + (now - lastRefill) * rate / 1e9);
            lastRefill = now;
            free = window - inFlight.size() - toSend.size();
            while (free > 0 && tokens >= 1) {
                PendingMessage m = backlog.poll();
                if (m == null) {
                    break; // read to the boundary, or the reader is behind: it signals when it has rows
                }
                if (inFlight.containsKey(m.position()) || blockedUntilNanos.containsKey(m.topic())) {
                    continue; // in flight already, or its topic was refused since it was read
                }
                toSend.add(m);
                tokens -= 1;
                free--;
            }
            send(connection, toSend, inFlight, sentAt);
            boolean backlogLeft = !backlog.finished();
            long waitMillis = inFlight.isEmpty() && !backlogLeft ? 500 : 100;
            if (backlogLeft && tokens < 1 && inFlight.size() < window) {
                waitMillis = Math.max(1, Math.min(waitMillis, (long) Math.ceil((1 - tokens) * 1000 / rate)));
            }
            Signal s = signals.poll(waitMillis, TimeUnit.MILLISECONDS);
            List<String> ackedTopics = new ArrayList<>();
            int refusedTopics = blockedUntilNanos.size();
            String lost = null;
            while (s != null && lost == null) {
                switch (s) {
                    case Ack a when a.connection() == connection -> {
                        PendingMessage m = inFlight.remove(a.position());
                        Instant sent = sentAt.remove(a.position());
                        if (m != null) {
                            if (a.reasonCode() >= 0 && a.reasonCode() < 0x80) {
                                deliveries.delivered(m.position(), sent);
                                ackedTopics.add(m.topic());
                            } else if (a.reasonCode() >= 0x80) {
                                store.markPublished(List.of(m.position()), sent);
                                refused(m, a.reasonCode());
                            } else {
                                lost = "connection failed before the PUBACK of " + m.messageClass().wire() + " seq "
                                        + m.seq() + "; it stays in the store";
                                inFlight.put(m.position(), m);
                            }
                        }
                    }
                    case ControlAck c when c.connection() == connection -> controlInFlight--;
                    case Lost l when l.connection() == connection -> lost = l.why();
                    case Respond r -> responses.add(r.message());
                    case Resubscribe r -> resubscribe();
                    case Wake w -> liveDirty = true;
                    case BacklogRows r -> {
                        // The loop takes them.
                    }
                    default -> {
                        // A stale signal from an earlier connection: nothing to do.
                    }
                }
                s = lost == null ? signals.poll() : null;
            }
            for (String topic : ackedTopics) {
                accepted(topic);
            }
            if (blockedUntilNanos.size() != refusedTopics) {
                backlog.exclude(blockedUntilNanos.keySet());
            }
            if (inFlight.isEmpty() && !ackedTopics.isEmpty()) {
                deliveries.idle();
            }
            if (lost != null) {
                // Count the attempt of everything that was in flight; those rows stay undelivered.
                deliveries.flush();
                store.markPublished(List.copyOf(inFlight.keySet()), clock.now());
                LOG.warn("{}", lost);
                return;
            }
        }
        deliveries.flush();
        sayOffline();
    }

    /** Hands a batch to the client; the store learns of the attempt with the PUBACK (or when the connection fails). */
    private void send(long connection, List<PendingMessage> batch, Map<Long, PendingMessage> inFlight,
                      Map<Long, Instant> sentAt) throws BrokerException {
        Instant now = clock.now();
        for (PendingMessage m : batch) {
            inFlight.put(m.position(), m);
            sentAt.put(m.position(), now);
            Optional<Duration> expiry = m.messageClass() == MessageClass.TELEMETRY
                    ? Optional.of(telemetryExpiry(config.telemetryInterval())) : Optional.empty();
            link.publish(new OutgoingMessage(m.topic(), m.payload(), 1, m.retain(), expiry, Optional.empty()),
                    code -> signals.offer(new Ack(connection, m.position(), code)));
        }
    }

    /** Telemetry older than ten samples is noise to the central side; the broker drops it rather than queue it. */
    static Duration telemetryExpiry(Duration interval) {
        return interval.multipliedBy(10);
    }

    /** Lifts the hold on refused topics whose backoff has passed; true when any was lifted. */
    private boolean unblockDue(long now) {
        return blockedUntilNanos.values().removeIf(until -> now - until >= 0);
    }

    private void refused(PendingMessage m, int reasonCode) {
        String topic = m.topic();
        if (blockedUntilNanos.containsKey(topic)) {
            return;
        }
        int failures = topicFailures.merge(topic, 1, Integer::sum);
        Duration wait = backoff(failures);
        blockedUntilNanos.put(topic, System.nanoTime() + wait.toNanos());
        LOG.error("broker refused {} seq {} on {} with reason code 0x{} ({}); it and later messages on that topic stay "
                        + "in the store; retry in {} ms", m.messageClass().wire(), m.seq(), topic,
                Integer.toHexString(reasonCode), reason(reasonCode), wait.toMillis());
        // An alarm about the alarm topic would only be refused in turn: telemetry and the log carry that one.
        if (alarmedTopics.add(topic) && !topic.equals(topics.alarm())) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("topic", topic);
            detail.put("reasonCode", reasonCode);
            detail.put("reason", reason(reasonCode));
            detail.put("class", m.messageClass().wire());
            raise(Alarm.raised(AlarmCode.PUBLISH_REJECTED,
                    "the broker refuses " + m.messageClass().wire() + " messages on " + topic + " (reason code 0x"
                            + Integer.toHexString(reasonCode) + "); they are kept in the store and retried", detail));
        }
    }

    private void accepted(String topic) {
        if (topicFailures.remove(topic) != null || alarmedTopics.contains(topic)) {
            if (alarmedTopics.remove(topic) && !topic.equals(topics.alarm())) {
                raise(Alarm.cleared(AlarmCode.PUBLISH_REJECTED,
                        "the broker accepts messages on " + topic + " again", Map.of("topic", topic)));
            }
            LOG.info("broker accepts {} again", topic);
        }
    }

    private void raise(Alarm alarm) {
        new Outbox(store, topics, clock, bootId).record(alarm);
    }

    /** MQTT v5 reason codes a PUBACK may carry (OASIS MQTT 5.0, 3.4.2.1). */
    static String reason(int code) {
        return switch (code) {
            case 0x00 -> "success";
            case 0x10 -> "no matching subscribers";
            case 0x80 -> "unspecified error";
            case 0x83 -> "implementation specific error";
            case 0x87 -> "not authorized";
            case 0x90 -> "topic name invalid";
            case 0x91 -> "packet identifier in use";
            case 0x97 -> "quota exceeded";
            case 0x99 -> "payload format invalid";
            default -> "reason code 0x" + Integer.toHexString(code);
        };
    }

    /** Full jitter: a random wait between zero and the ceiling for this many failures. */
    private Duration backoff(int failures) {
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(
                backoffCeiling(failures, config.reconnectMax()).toMillis() + 1));
    }

    /** min(cap, 1 s * 2^(failures-1)): 1 s after the first failure, doubling up to the cap. */
    static Duration backoffCeiling(int failures, Duration cap) {
        long ms = BACKOFF_BASE.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
        return Duration.ofMillis(Math.min(cap.toMillis(), ms));
    }

    /** Waits out a backoff; a stop cuts it short. Responses asked for meanwhile are dropped (no connection). */
    private void sleep(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        try {
            while (running && System.nanoTime() < end) {
                Signal s = signals.poll(Math.max(1, (end - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                if (s instanceof Respond r) {
                    LOG.debug("response on {} dropped: not connected", r.message().topic());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Waits until the store holds nothing undelivered, or the time is up; true when drained. */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            if (store.undeliveredCount() == 0) {
                return true;
            }
            Thread.sleep(50);
        }
        return store.undeliveredCount() == 0;
    }

    static byte[] bytes(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        running = false;
        signals.offer(new Wake());
        if (thread != null) {
            try {
                thread.join(5_000);
                if (thread.isAlive()) {
                    thread.interrupt();
                    thread.join(5_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        inbound.shutdownNow();
        authority.close();
        drops.flush();
        deliveries.close();
    }
}
