package ckp.kiosk.publish;

import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.store.EventStore;
import ckp.kiosk.message.MessageClass;
import ckp.kiosk.store.PendingMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * Publishes on one connection until it is lost or the session stops: live messages (committed after the connection
 * came up) as soon as the in-flight window allows, the backlog before them at the drain rate, command responses in
 * the control slots, each PUBACK handed to the ledger. The rules it keeps are written down in docs/mqtt.md.
 */
final class ConnectionPump {
    private static final TaggedLogger LOG = Logger.tag("publish");
    /** Live messages are looked for on every wake-up from the lane, and at least this often. */
    private static final Duration LIVE_RECHECK = Duration.ofMillis(100);
    /**
     * Backlog rows the reader keeps ahead of the publisher, in in-flight windows: 16 (288 rows, some 130 KB, at
     * Mosquitto's default receive maximum) let one query serve many round trips; a row cost the reader 2.2 us of CPU
     * this way against 3.5 us at 4 windows, as every query after a delivery commit reads its pages afresh.
     */
    private static final int READ_AHEAD_WINDOWS = 16;

    /** What the pump asks of the session's store and alarms (the publisher keeps those calls in one place). */
    interface Ledger {
        /** The last position committed: everything up to it is this connection's backlog. */
        long lastPosition();

        /** Undelivered messages after {@code after}, in commit order, skipping held topics. */
        List<PendingMessage> pending(long after, int limit, Set<String> skip);

        /** Counts a send attempt of messages whose PUBACK did not say delivered. */
        void attempted(List<Long> positions, Instant sentAt);

        /** The broker refused a message (reason code 0x80 or more). */
        void refused(PendingMessage message, int reasonCode);

        /** The broker accepted a message on a topic. */
        void accepted(String topic);
    }

    /** The session-long parts every connection's pump works with. */
    record Parts(BrokerLink link, Mailbox<SessionSignal> signals, Ledger ledger, DeliveryLog deliveries,
                 RefusedTopics refused, BrokerConnector connector, InboundRoutes routes, LongSupplier ticker,
                 ClockStatus clock, DoubleSupplier drainRatePerSecond, BooleanSupplier running,
                 Duration telemetryExpiry, SessionThreads threads) {
    }

    private final long connection;
    private final InFlightWindow inFlight;
    private final BrokerLink link;
    private final Mailbox<SessionSignal> signals;
    private final Ledger ledger;
    private final DeliveryLog deliveries;
    private final RefusedTopics refused;
    private final Parts parts;
    private final ArrayDeque<OutgoingMessage> responses = new ArrayDeque<>();

    ConnectionPump(long connection, InFlightWindow inFlight, Parts parts) {
        this.connection = connection;
        this.inFlight = inFlight;
        this.parts = parts;
        this.link = parts.link();
        this.signals = parts.signals();
        this.ledger = parts.ledger();
        this.deliveries = parts.deliveries();
        this.refused = parts.refused();
    }

    /**
     * Runs until the session stops (returns normally) or the connection is lost (returns why). {@code connected}
     * runs once the backlog boundary is taken: whatever is committed after it is live.
     */
    Optional<String> run(EventStore store, Runnable connected) throws BrokerException, InterruptedException {
        long boundary = ledger.lastPosition();
        connected.run();
        try (BacklogReader backlog = new BacklogReader(store, boundary, READ_AHEAD_WINDOWS * inFlight.window(),
                refused.held(), () -> signals.offer(new SessionSignal.BacklogRows()), parts.threads())) {
            return pump(new LiveCursor(boundary, LIVE_RECHECK, parts.ticker().getAsLong()), backlog);
        }
    }

    private Optional<String> pump(LiveCursor live, BacklogReader backlog) throws BrokerException, InterruptedException {
        TokenBucket drain = new TokenBucket(parts.ticker().getAsLong());
        while (parts.running().getAsBoolean()) {
            long now = parts.ticker().getAsLong();
            parts.routes().reportDropsIfDue();
            if (refused.liftDue(now)) {
                // A refused topic may be tried again: scan both streams from their starts for its kept messages.
                deliveries.flush();
                live.restart();
                backlog.restart(refused.held());
            }
            while (!responses.isEmpty() && inFlight.controlRoom()) {
                link.publish(responses.poll(), code -> signals.offer(new SessionSignal.ControlAck(connection)));
                inFlight.controlSent();
            }
            List<PendingMessage> toSend = new ArrayList<>();
            int free = inFlight.free();
            if (free > 0 && live.due(now)) {
                List<PendingMessage> rows = ledger.pending(live.after(), free, refused.held());
                for (PendingMessage m : rows) {
                    live.advance(m.position());
                    if (!inFlight.contains(m.position())) {
                        toSend.add(m);
                    }
                }
                live.checked(now, rows.size() == free);
            }
            double rate = parts.drainRatePerSecond().getAsDouble();
            drain.refill(now, rate, inFlight.window());
            free = inFlight.free() - toSend.size();
            while (free > 0 && drain.hasToken()) {
                PendingMessage m = backlog.poll();
                if (m == null) {
                    break; // read to the boundary, or the reader is behind: it signals when it has rows
                }
                if (inFlight.contains(m.position()) || refused.isHeld(m.topic())) {
                    continue; // in flight already, or its topic was refused since it was read
                }
                toSend.add(m);
                drain.take();
                free--;
            }
            send(toSend);
            boolean backlogLeft = !backlog.finished();
            long waitNanos = TimeUnit.MILLISECONDS.toNanos(inFlight.isEmpty() && !backlogLeft ? 500 : 100);
            if (backlogLeft && !drain.hasToken() && inFlight.free() > 0) {
                waitNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(waitNanos, drain.nanosUntilToken(rate)));
            }
            Optional<String> lost = handleSignals(signals.poll(waitNanos, TimeUnit.NANOSECONDS), live, backlog);
            if (lost.isPresent()) {
                // Count the attempt of everything that was in flight; those rows stay undelivered.
                deliveries.flush();
                ledger.attempted(inFlight.positions(), parts.clock().now());
                LOG.warn("{}", lost.get());
                return lost;
            }
        }
        deliveries.flush();
        return Optional.empty();
    }

    /** Takes {@code first} and every signal queued behind it; returns why the connection was lost, if it was. */
    private Optional<String> handleSignals(SessionSignal first, LiveCursor live, BacklogReader backlog)
            throws BrokerException {
        List<String> ackedTopics = new ArrayList<>();
        int heldBefore = refused.held().size();
        String lost = null;
        for (SessionSignal s = first; s != null && lost == null; s = lost == null ? signals.poll() : null) {
            switch (s) {
                case SessionSignal.Ack a when a.connection() == connection -> lost = acknowledged(a, ackedTopics);
                case SessionSignal.ControlAck c when c.connection() == connection -> inFlight.controlAcked();
                case SessionSignal.Lost l when l.connection() == connection -> lost = l.why();
                case SessionSignal.Respond r -> responses.add(r.message());
                case SessionSignal.Resubscribe r -> parts.connector().resubscribe();
                case SessionSignal.Wake w -> live.wake();
                default -> {
                    // Backlog rows (the loop takes them), or a stale signal from an earlier connection.
                }
            }
        }
        ackedTopics.forEach(ledger::accepted);
        if (refused.held().size() != heldBefore) {
            backlog.exclude(refused.held());
        }
        if (inFlight.isEmpty() && !ackedTopics.isEmpty()) {
            deliveries.idle();
        }
        return Optional.ofNullable(lost);
    }

    /** One PUBACK: delivered, refused, or the connection failed first (returns why; the message stays in flight). */
    private String acknowledged(SessionSignal.Ack a, List<String> ackedTopics) {
        InFlightWindow.Sent sent = inFlight.remove(a.position()).orElse(null);
        if (sent == null) {
            return null;
        }
        PendingMessage m = sent.message();
        if (a.reasonCode() >= 0 && a.reasonCode() < 0x80) {
            deliveries.delivered(m.position(), sent.sentAt());
            ackedTopics.add(m.topic());
        } else if (a.reasonCode() >= 0x80) {
            ledger.attempted(List.of(m.position()), sent.sentAt());
            ledger.refused(m, a.reasonCode());
        } else {
            inFlight.putBack(sent);
            return "connection failed before the PUBACK of " + m.messageClass().wire() + " seq " + m.seq()
                    + "; it stays in the store";
        }
        return null;
    }

    /** Hands a batch to the client; the store learns of the attempt with the PUBACK (or when the connection fails). */
    private void send(List<PendingMessage> batch) throws BrokerException {
        Instant now = parts.clock().now();
        for (PendingMessage m : batch) {
            inFlight.add(m, now);
            Optional<Duration> expiry = m.messageClass() == MessageClass.TELEMETRY
                    ? Optional.of(parts.telemetryExpiry()) : Optional.empty();
            link.publish(new OutgoingMessage(m.topic(), m.payload(), 1, m.retain(), expiry, Optional.empty()),
                    code -> signals.offer(new SessionSignal.Ack(connection, m.position(), code)));
        }
    }
}
