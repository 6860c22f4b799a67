package ckp.kiosk.publish;

import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.message.Alarm;
import ckp.kiosk.message.AlarmCode;
import ckp.kiosk.message.Topics;
import ckp.kiosk.store.EventStore;
import ckp.kiosk.store.Outbox;
import ckp.kiosk.store.PendingMessage;
import ckp.kiosk.store.StoreCounter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
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
 * the store, many per transaction. Subscribed messages go to their handlers through {@link InboundRoutes}. The loop's
 * state lives in small parts that take the time as an argument: {@link InFlightWindow}, {@link TokenBucket},
 * {@link LiveCursor}, {@link RefusedTopics} and {@link Backoff}; docs/mqtt.md states the rules they hold as a contract.
 */
public final class Publisher implements AutoCloseable {
    private static final TaggedLogger LOG = Logger.tag("publish");
    /** A connection that lived this long was healthy: the next loss starts the backoff from the base again. */
    private static final Duration STABLE_CONNECTION = Duration.ofSeconds(30);
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
    private final ClockStatus clock;
    private final String bootId;
    /** Monotonic nanoseconds ({@link System#nanoTime} in the kiosk; a hand-moved ticker in tests). */
    private final LongSupplier ticker;
    private final Backoff backoff;
    private final Mailbox<SessionSignal> signals = new Mailbox<>();
    private final InboundRoutes routes;
    private final RefusedTopics refused;
    private final DeliveryLog deliveries;
    private final BrokerConnector connector;
    private final ConnectionPump.Parts pumpParts;
    private final SessionThreads threads;
    /** Topics with a raised publish-rejected alarm; read by telemetry's thread. */
    private final Set<String> alarmedTopics = ConcurrentHashMap.newKeySet();
    private volatile double drainRatePerSecond;
    private volatile boolean running = true;
    private volatile boolean connected;
    private volatile long bdSeq;
    private Instant lostAt;
    private Thread thread;

    public Publisher(EventStore store, BrokerLink link, MqttConfig config, Topics topics, String version,
                     ClockStatus clock, String bootId) {
        this(store, link, config, topics, version, clock, bootId, System::nanoTime,
                Backoff.fullJitter(config.reconnectMax()), SessionThreads.platform());
    }

    /** On the threads of the caller's choice: a process of many sessions shares them ({@link SessionThreads}). */
    public Publisher(EventStore store, BrokerLink link, MqttConfig config, Topics topics, String version,
                     ClockStatus clock, String bootId, SessionThreads threads) {
        this(store, link, config, topics, version, clock, bootId, System::nanoTime,
                Backoff.fullJitter(config.reconnectMax()), threads);
    }

    /** With a ticker and a backoff of the caller's choice: tests move time by hand and choose the jitter. */
    Publisher(EventStore store, BrokerLink link, MqttConfig config, Topics topics, String version, ClockStatus clock,
              String bootId, LongSupplier ticker, Backoff backoff) {
        this(store, link, config, topics, version, clock, bootId, ticker, backoff, SessionThreads.platform());
    }

    private Publisher(EventStore store, BrokerLink link, MqttConfig config, Topics topics, String version,
                      ClockStatus clock, String bootId, LongSupplier ticker, Backoff backoff, SessionThreads threads) {
        this.threads = threads;
        this.store = store;
        this.link = link;
        this.config = config;
        this.topics = topics;
        this.clock = clock;
        this.bootId = bootId;
        this.ticker = ticker;
        this.backoff = backoff;
        this.refused = new RefusedTopics(backoff);
        this.routes = new InboundRoutes(System::nanoTime, threads);
        this.drainRatePerSecond = config.drainRatePerSecond();
        this.deliveries = new DeliveryLog(store, clock, threads);
        this.connector = new BrokerConnector(link, config.uris(), topics, version, clock, routes);
        this.pumpParts = new ConnectionPump.Parts(link, signals, new StoreLedger(), deliveries, refused, connector,
                routes, ticker, clock, () -> drainRatePerSecond, () -> running,
                telemetryExpiry(config.telemetryInterval()), threads);
    }

    public void start() {
        thread = threads.start("publisher", false, this::run);
    }

    /** Tells the publisher a message was committed. Cheap; callable from any thread. */
    public void wake() {
        signals.offer(new SessionSignal.Wake());
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
        routes.add(topicFilter, handler, false);
        signals.offer(new SessionSignal.Resubscribe());
    }

    /**
     * Subscribes (QoS 1) to an authority topic filter — a state the central side publishes, retained, such as the
     * site deny list — on every connection from now on. The newest message of each matching topic is kept in a slot
     * of its own and always handed to {@code handler}, on a thread of its own, one message at a time: it shares no
     * queue with commands, so no flood of them can drop or delay it. A message overtaken by a newer one on the same
     * topic before its turn is skipped.
     */
    public void subscribeLatest(String topicFilter, Consumer<InboundMessage> handler) {
        routes.add(topicFilter, handler, true);
        signals.offer(new SessionSignal.Resubscribe());
    }

    /** Inbound messages dropped since the start because the command queue was full. */
    public long droppedInbound() {
        return routes.dropped();
    }

    /**
     * Sends a message that is not kept in the store (a command response) at QoS 1 on the current connection; when
     * there is none it is dropped, and the requester times out and asks again.
     */
    public void respond(OutgoingMessage message) {
        signals.offer(new SessionSignal.Respond(message));
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
                long from = ticker.getAsLong();
                Duration wait = backoff.wait(++failures);
                // connect() logged each URI's cause already: once per try is enough.
                LOG.warn("no broker of mqtt.uris answered; next try in {} ms", wait.toMillis());
                sleep(from, wait);
                continue;
            }
            long upSince = ticker.getAsLong();
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
            if (ticker.getAsLong() - upSince > STABLE_CONNECTION.toNanos()) {
                failures = 0;
            }
            long from = ticker.getAsLong();
            Duration wait = backoff.wait(++failures);
            LOG.info("reconnecting in {} ms", wait.toMillis());
            sleep(from, wait);
        }
        link.close();
        routes.shutdown();
        deliveries.close();
    }

    /** Connects to the first URI of the failover list that answers; returns the broker's receive maximum. */
    private int connect(long connection) throws BrokerException {
        long seq = store.increment(StoreCounter.MQTT_BDSEQ);
        bdSeq = seq;
        BrokerLink.Listener listener = new BrokerLink.Listener() {
            @Override
            public void connectionLost(String why) {
                signals.offer(new SessionSignal.Lost(connection, why));
            }

            @Override
            public void messageArrived(InboundMessage message) {
                routes.dispatch(message);
            }
        };
        return connector.connect(seq, listener, code -> signals.offer(new SessionSignal.ControlAck(connection)));
    }

    /** Publishes until the connection is lost or the publisher stops; says offline on a clean stop. */
    private void pump(long connection, int receiveMaximum) throws BrokerException, InterruptedException {
        InFlightWindow inFlight = new InFlightWindow(config.inflightMax(), receiveMaximum);
        inFlight.controlSent(); // the online status
        Optional<String> lost = new ConnectionPump(connection, inFlight, pumpParts).run(store, () -> connected = true);
        if (lost.isEmpty()) {
            connector.sayOffline(bdSeq);
        }
    }

    /** The pump's calls on the store and the alarms, kept here in one place. */
    private final class StoreLedger implements ConnectionPump.Ledger {
        @Override
        public long lastPosition() {
            return store.lastPosition();
        }

        @Override
        public List<PendingMessage> pending(long after, int limit, Set<String> skip) {
            return store.pending(after, limit, skip);
        }

        @Override
        public void attempted(List<Long> positions, Instant sentAt) {
            store.markPublished(positions, sentAt);
        }

        @Override
        public void refused(PendingMessage message, int reasonCode) {
            Publisher.this.refused(message, reasonCode);
        }

        @Override
        public void accepted(String topic) {
            Publisher.this.accepted(topic);
        }
    }

    /** Telemetry older than ten samples is noise to the central side; the broker drops it rather than queue it. */
    static Duration telemetryExpiry(Duration interval) {
        return interval.multipliedBy(10);
    }

    private void refused(PendingMessage m, int reasonCode) {
        String topic = m.topic();
        Optional<Duration> wait = refused.refuse(topic, ticker.getAsLong());
        if (wait.isEmpty()) {
            return;
        }
        String reason = RefusedTopics.reason(reasonCode);
        LOG.error("broker refused {} seq {} on {} with reason code 0x{} ({}); it and later messages on that topic stay "
                        + "in the store; retry in {} ms", m.messageClass().wire(), m.seq(), topic,
                Integer.toHexString(reasonCode), reason, wait.get().toMillis());
        // An alarm about the alarm topic would only be refused in turn: telemetry and the log carry that one.
        if (alarmedTopics.add(topic) && !topic.equals(topics.alarm())) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("topic", topic);
            detail.put("reasonCode", reasonCode);
            detail.put("reason", reason);
            detail.put("class", m.messageClass().wire());
            raise(Alarm.raised(AlarmCode.PUBLISH_REJECTED,
                    "the broker refuses " + m.messageClass().wire() + " messages on " + topic + " (reason code 0x"
                            + Integer.toHexString(reasonCode) + "); they are kept in the store and retried", detail));
        }
    }

    private void accepted(String topic) {
        if (refused.accepted(topic) || alarmedTopics.contains(topic)) {
            if (alarmedTopics.remove(topic) && !topic.equals(topics.alarm())) {
                raise(Alarm.cleared(AlarmCode.PUBLISH_REJECTED,
                        "the broker accepts messages on " + topic + " again", Map.of("topic", topic)));
            }
            LOG.info("broker accepts {} again", topic);
        }
    }

    private void raise(Alarm alarm) {
        new Outbox(store, topics, clock, bootId).record(alarm);
        wake(); // live: sent at the next turn of the loop
    }

    /**
     * Waits out a backoff that began at {@code fromNanos} on the ticker; a stop cuts it short. Responses asked for
     * meanwhile are dropped (no connection).
     */
    private void sleep(long fromNanos, Duration d) {
        long end = fromNanos + d.toNanos();
        try {
            for (long left = end - ticker.getAsLong(); running && left > 0; left = end - ticker.getAsLong()) {
                SessionSignal s = signals.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
                if (s instanceof SessionSignal.Respond r) {
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

    @Override
    public void close() {
        running = false;
        signals.offer(new SessionSignal.Wake());
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
        routes.close();
        deliveries.close();
    }
}
