package ckp.kiosk.publish;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A broker link a test scripts, for session tests without a broker process: which URIs answer, the receive maximum,
 * PUBACK reason codes per topic, acknowledgements held back (a slow broker) and released by hand, lost connections and
 * refused subscriptions. It records every PUBLISH with the connection it went out on.
 *
 * <p>PUBACKs are delivered on the thread that publishes or releases them, as the session only posts them to its
 * mailbox; connection losses on the test's thread, as Paho's come on its own.
 */
final class ScriptedBrokerLink implements BrokerLink {
    /** One PUBLISH as the session sent it: {@code connection} counts successful connects from 1. */
    record Sent(int connection, OutgoingMessage message) {
        String topic() {
            return message.topic();
        }

        String text() {
            return new String(message.payload(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final Map<String, Integer> pubackByTopic = new HashMap<>();
    private final Map<String, Integer> subackByFilter = new HashMap<>();
    private final Set<URI> down = new HashSet<>();
    private final List<Sent> sent = new ArrayList<>();
    private final List<URI> connectTries = new ArrayList<>();
    private final List<List<String>> subscriptions = new ArrayList<>();
    /** Messages awaiting their PUBACK, in send order, while acknowledgements are held. */
    private final Map<Sent, Consumer<Integer>> unacked = new LinkedHashMap<>();
    private int receiveMaximum = 20;
    private int maxUnacked;
    private boolean holdAcks;
    private int connection;
    private boolean open;
    private Listener listener;

    // --- script -------------------------------------------------------------------------------------------------

    synchronized ScriptedBrokerLink receiveMaximum(int n) {
        receiveMaximum = n;
        return this;
    }

    /** PUBACKs of messages on {@code topic} carry this reason code from now on (e.g. 0x87 not authorized). */
    synchronized ScriptedBrokerLink puback(String topic, int reasonCode) {
        pubackByTopic.put(topic, reasonCode);
        return this;
    }

    /** SUBACKs for {@code filter} carry this reason code (e.g. 0x87 not authorized). */
    synchronized ScriptedBrokerLink suback(String filter, int reasonCode) {
        subackByFilter.put(filter, reasonCode);
        return this;
    }

    /** Connects to {@code uri} fail from now on (or succeed again, with {@code false}). */
    synchronized ScriptedBrokerLink down(URI uri, boolean isDown) {
        if (isDown) {
            down.add(uri);
        } else {
            down.remove(uri);
        }
        return this;
    }

    /** Holds PUBACKs back (a slow broker) until {@link #release} or {@link #holdAcks(boolean) holdAcks(false)}. */
    ScriptedBrokerLink holdAcks(boolean hold) {
        List<Runnable> due = new ArrayList<>();
        synchronized (this) {
            holdAcks = hold;
            if (!hold) {
                due.addAll(takeUnacked(Integer.MAX_VALUE));
            }
        }
        due.forEach(Runnable::run);
        return this;
    }

    /** Acknowledges the {@code n} oldest held messages, each with its topic's reason code. */
    void release(int n) {
        List<Runnable> due;
        synchronized (this) {
            due = takeUnacked(n);
        }
        due.forEach(Runnable::run);
    }

    /** The connection fails: the session hears it, and held messages get -1 (no PUBACK), as Paho reports them. */
    void loseConnection(String why) {
        Listener l;
        List<Consumer<Integer>> failed;
        synchronized (this) {
            if (!open) {
                throw new IllegalStateException("no connection to lose");
            }
            open = false;
            l = listener;
            failed = new ArrayList<>(unacked.values());
            unacked.clear();
            notifyAll();
        }
        failed.forEach(onAck -> onAck.accept(-1));
        l.connectionLost(why);
    }

    /** The broker delivers a message to one of the session's subscriptions. */
    void deliver(InboundMessage message) {
        Listener l;
        synchronized (this) {
            l = listener;
        }
        l.messageArrived(message);
    }

    // --- what happened ------------------------------------------------------------------------------------------

    synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    synchronized List<Sent> sentOn(String topicSuffix) {
        return sent.stream().filter(s -> s.topic().endsWith(topicSuffix)).toList();
    }

    synchronized int unackedCount() {
        return unacked.size();
    }

    /** The most messages that awaited their PUBACK at once while acknowledgements were held. */
    synchronized int maxUnacked() {
        return maxUnacked;
    }

    synchronized int connections() {
        return connection;
    }

    synchronized boolean isOpen() {
        return open;
    }

    synchronized List<URI> connectTries() {
        return List.copyOf(connectTries);
    }

    synchronized List<List<String>> subscriptions() {
        return List.copyOf(subscriptions);
    }

    /**
     * Waits until {@code condition} holds; false when {@code timeout} passed first. It is tested on every event of the
     * link and at least every 10 ms, as it may read the session or the store too.
     */
    synchronized boolean await(Predicate<ScriptedBrokerLink> condition, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.test(this)) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, Math.min(10, left / 1_000_000)));
        }
        return true;
    }

    // --- BrokerLink ---------------------------------------------------------------------------------------------

    @Override
    public synchronized int connect(URI uri, String willTopic, byte[] willPayload, Listener listener)
            throws BrokerException {
        connectTries.add(uri);
        notifyAll();
        if (down.contains(uri)) {
            throw new BrokerException("scripted: " + uri + " does not answer", -1, null);
        }
        connection++;
        open = true;
        this.listener = listener;
        return receiveMaximum;
    }

    @Override
    public void publish(OutgoingMessage message, Consumer<Integer> onAck) throws BrokerException {
        int code;
        synchronized (this) {
            if (!open) {
                throw new BrokerException("scripted: not connected", -1, null);
            }
            Sent s = new Sent(connection, message);
            sent.add(s);
            notifyAll();
            if (holdAcks) {
                unacked.put(s, onAck);
                maxUnacked = Math.max(maxUnacked, unacked.size());
                return;
            }
            code = pubackByTopic.getOrDefault(message.topic(), 0);
        }
        onAck.accept(code);
    }

    @Override
    public synchronized List<Integer> subscribe(List<String> topicFilters) throws BrokerException {
        if (!open) {
            throw new BrokerException("scripted: not connected", -1, null);
        }
        subscriptions.add(List.copyOf(topicFilters));
        notifyAll();
        return topicFilters.stream().map(f -> subackByFilter.getOrDefault(f, 1)).toList();
    }

    @Override
    public synchronized void close() {
        open = false;
        notifyAll();
    }

    private List<Runnable> takeUnacked(int n) {
        List<Runnable> due = new ArrayList<>();
        var it = unacked.entrySet().iterator();
        while (it.hasNext() && due.size() < n) {
            var e = it.next();
            int code = pubackByTopic.getOrDefault(e.getKey().topic(), 0);
            Consumer<Integer> onAck = e.getValue();
            due.add(() -> onAck.accept(code));
            it.remove();
        }
        notifyAll();
        return due;
    }
}
