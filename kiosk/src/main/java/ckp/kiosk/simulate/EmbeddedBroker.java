package ckp.kiosk.simulate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * A small in-memory MQTT 5.0 broker on a loopback port, for the demo on a machine without Mosquitto: CONNECT with
 * will, clean sessions only, PUBLISH at QoS 0 and 1 (QoS 2 is refused: CONNACK announces Maximum QoS 1), retained
 * messages, SUBSCRIBE/UNSUBSCRIBE with {@code +} and {@code #}, PINGREQ and keep-alive, DISCONNECT. No persistence,
 * no authentication, no TLS, no topic aliases, no shared subscriptions: it is not a production broker.
 */
public final class EmbeddedBroker implements LocalBroker {
    private static final TaggedLogger LOG = Logger.tag("simulate");

    private final ServerSocket listener;
    /** Every open connection, CONNECTed or not, so {@link #close()} reaches them all. */
    private final Set<BrokerSession> connections = ConcurrentHashMap.newKeySet();
    private final Map<String, BrokerSession> byClientId = new ConcurrentHashMap<>();
    private final Map<String, BrokerMessage> retained = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private volatile boolean closed;

    private EmbeddedBroker(ServerSocket listener) {
        this.listener = listener;
    }

    /** Listens on a free port of 127.0.0.1 (never another interface) and serves clients until {@link #close()}. */
    public static EmbeddedBroker start() throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        EmbeddedBroker broker = new EmbeddedBroker(listener);
        Thread.ofPlatform().daemon().name("mqtt-accept").start(broker::acceptConnections);
        LOG.debug("embedded MQTT broker listening on {}", broker.uri());
        return broker;
    }

    private void acceptConnections() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.error("embedded broker stopped accepting connections: {}", e.getMessage());
                }
                return;
            }
            long n = accepted.incrementAndGet();
            try {
                socket.setTcpNoDelay(true);
                BrokerSession session = new BrokerSession(this, socket);
                connections.add(session);
                if (closed) {
                    session.shutdown();
                    return;
                }
                Thread.ofVirtual().name("mqtt-in-" + n).start(session::run);
            } catch (IOException e) {
                LOG.warn("connection {} failed at once: {}", n, e.getMessage());
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Already broken.
                }
            }
        }
    }

    /** Stores or clears the retained copy, then hands {@code m} to every connection with a matching subscription. */
    void publish(BrokerMessage m, BrokerSession from) {
        if (closed) {
            return;
        }
        if (m.retain()) {
            // Spec 3.3.1.3: a retained message with an empty payload clears the topic and is not stored.
            if (m.payload().length == 0) {
                retained.remove(m.topic());
            } else {
                retained.put(m.topic(), m);
            }
        }
        for (BrokerSession s : connections) {
            s.offer(m, from);
        }
    }

    /** The retained messages a new subscription with this filter receives. */
    List<BrokerMessage> retained(TopicFilter filter) {
        return retained.values().stream().filter(m -> filter.matches(m.topic())).toList();
    }

    /** Records the connection of a client id; returns the older connection of the same id, which must go. */
    BrokerSession register(String clientId, BrokerSession session) {
        BrokerSession previous = byClientId.put(clientId, session);
        return previous == session ? null : previous;
    }

    void unregister(BrokerSession session) {
        connections.remove(session);
        byClientId.remove(session.clientId(), session);
    }

    /** A client id for a client that sent an empty one (spec 3.1.3.1). */
    String assignClientId() {
        return "embedded-" + accepted.get() + "-" + Long.toHexString(System.nanoTime());
    }

    public int port() {
        return listener.getLocalPort();
    }

    @Override
    public String uri() {
        return "tcp://127.0.0.1:" + port();
    }

    @Override
    public String describe() {
        return "embedded MQTT 5 broker on " + uri() + " (in memory; QoS 0 and 1)";
    }

    /** Stops listening and closes every connection with DISCONNECT 0x8B (server shutting down). */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        for (BrokerSession s : connections) {
            s.shutdown();
        }
    }
}
