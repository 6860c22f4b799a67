package ckp.kiosk.simulate;

import static ckp.kiosk.simulate.MqttPacket.CONNACK;
import static ckp.kiosk.simulate.MqttPacket.CONNECT;
import static ckp.kiosk.simulate.MqttPacket.DISCONNECT;
import static ckp.kiosk.simulate.MqttPacket.PINGREQ;
import static ckp.kiosk.simulate.MqttPacket.PINGRESP;
import static ckp.kiosk.simulate.MqttPacket.PUBACK;
import static ckp.kiosk.simulate.MqttPacket.PUBCOMP;
import static ckp.kiosk.simulate.MqttPacket.PUBLISH;
import static ckp.kiosk.simulate.MqttPacket.PUBREC;
import static ckp.kiosk.simulate.MqttPacket.PUBREL;
import static ckp.kiosk.simulate.MqttPacket.SUBACK;
import static ckp.kiosk.simulate.MqttPacket.SUBSCRIBE;
import static ckp.kiosk.simulate.MqttPacket.UNSUBACK;
import static ckp.kiosk.simulate.MqttPacket.UNSUBSCRIBE;
import static ckp.kiosk.simulate.MqttProperty.AUTH_METHOD;
import static ckp.kiosk.simulate.MqttProperty.ASSIGNED_CLIENT_ID;
import static ckp.kiosk.simulate.MqttProperty.AUTH_DATA;
import static ckp.kiosk.simulate.MqttProperty.CONTENT_TYPE;
import static ckp.kiosk.simulate.MqttProperty.CORRELATION_DATA;
import static ckp.kiosk.simulate.MqttProperty.MAXIMUM_PACKET_SIZE;
import static ckp.kiosk.simulate.MqttProperty.MAXIMUM_QOS;
import static ckp.kiosk.simulate.MqttProperty.MESSAGE_EXPIRY;
import static ckp.kiosk.simulate.MqttProperty.PAYLOAD_FORMAT;
import static ckp.kiosk.simulate.MqttProperty.REASON_STRING;
import static ckp.kiosk.simulate.MqttProperty.RECEIVE_MAXIMUM;
import static ckp.kiosk.simulate.MqttProperty.REQUEST_PROBLEM_INFO;
import static ckp.kiosk.simulate.MqttProperty.REQUEST_RESPONSE_INFO;
import static ckp.kiosk.simulate.MqttProperty.RESPONSE_TOPIC;
import static ckp.kiosk.simulate.MqttProperty.SESSION_EXPIRY;
import static ckp.kiosk.simulate.MqttProperty.SHARED_SUBSCRIPTIONS_AVAILABLE;
import static ckp.kiosk.simulate.MqttProperty.SUBSCRIPTION_ID;
import static ckp.kiosk.simulate.MqttProperty.SUBSCRIPTION_IDS_AVAILABLE;
import static ckp.kiosk.simulate.MqttProperty.TOPIC_ALIAS;
import static ckp.kiosk.simulate.MqttProperty.TOPIC_ALIAS_MAXIMUM;
import static ckp.kiosk.simulate.MqttProperty.USER_PROPERTY;
import static ckp.kiosk.simulate.MqttProperty.WILL_DELAY;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * One client connection of the embedded broker: a reader thread that handles the client's packets in order and
 * answers them, and a writer thread that sends the messages routed to it, so a client that stops reading stalls
 * only itself. The session lives exactly as long as the connection (every session is a clean one).
 */
final class BrokerSession {
    private static final TaggedLogger LOG = Logger.tag("simulate");
    /** Largest packet accepted, announced in CONNACK, so a bogus Remaining Length cannot make us allocate 256 MB. */
    static final int MAX_PACKET_BYTES = 1 << 20;
    /** QoS 1 messages a client may have unacknowledged with us; PUBACKs go out at once, so any number would do. */
    static final int INBOUND_RECEIVE_MAXIMUM = 100;
    /** Messages waiting for a client that does not read; beyond this they are dropped, as Mosquitto does. */
    private static final int OUTBOX_LIMIT = 10_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private static final Set<Integer> CONNECT_PROPERTIES = Set.of(SESSION_EXPIRY, RECEIVE_MAXIMUM,
            MAXIMUM_PACKET_SIZE, TOPIC_ALIAS_MAXIMUM, REQUEST_RESPONSE_INFO, REQUEST_PROBLEM_INFO, USER_PROPERTY,
            AUTH_METHOD, AUTH_DATA);
    private static final Set<Integer> WILL_PROPERTIES = Set.of(WILL_DELAY, PAYLOAD_FORMAT, MESSAGE_EXPIRY,
            CONTENT_TYPE, RESPONSE_TOPIC, CORRELATION_DATA, USER_PROPERTY);
    private static final Set<Integer> PUBLISH_PROPERTIES = Set.of(PAYLOAD_FORMAT, MESSAGE_EXPIRY, TOPIC_ALIAS,
            RESPONSE_TOPIC, CORRELATION_DATA, USER_PROPERTY, SUBSCRIPTION_ID, CONTENT_TYPE);
    private static final Set<Integer> SUBSCRIBE_PROPERTIES = Set.of(SUBSCRIPTION_ID, USER_PROPERTY);
    private static final Set<Integer> ACK_PROPERTIES = Set.of(REASON_STRING, USER_PROPERTY);
    private static final Set<Integer> DISCONNECT_PROPERTIES = Set.of(SESSION_EXPIRY, REASON_STRING, USER_PROPERTY);

    /** What a SUBSCRIBE asked for one filter (spec 3.8.3.1), with the QoS granted. */
    private record Subscription(TopicFilter filter, int qos, boolean noLocal, boolean retainAsPublished) {
    }

    /** A message on its way to this client, at the QoS and with the RETAIN flag it is sent with. */
    private record Delivery(BrokerMessage message, int qos, boolean retain) {
    }

    private final EmbeddedBroker broker;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final LinkedBlockingQueue<Delivery> outbox = new LinkedBlockingQueue<>(OUTBOX_LIMIT);
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Set<Integer> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicReference<BrokerMessage> will = new AtomicReference<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean connected;
    private volatile String clientId = "";
    private volatile Thread writer;
    private Semaphore sendWindow;
    private long clientMaxPacketBytes;
    private int lastPacketId;

    BrokerSession(EmbeddedBroker broker, Socket socket) throws IOException {
        this.broker = broker;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
    }

    String clientId() {
        return clientId;
    }

    /** The reader loop; returns when the connection ends, after publishing the will if it is still due. */
    void run() {
        String why = "client disconnected";
        try {
            socket.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
            connect(MqttPacket.read(in, MAX_PACKET_BYTES));
            while (handle(MqttPacket.read(in, MAX_PACKET_BYTES))) {
                // Each packet is handled in order; DISCONNECT ends the loop.
            }
        } catch (MqttViolation v) {
            why = "protocol violation 0x" + Integer.toHexString(v.reasonCode()) + ": " + v.getMessage();
            LOG.warn("client '{}': {}; closing its connection", clientId, why);
            if (connected) {
                sendQuietly(disconnect(v.reasonCode()));
            }
        } catch (SocketTimeoutException e) {
            why = connected ? "keep-alive expired" : "no CONNECT within " + CONNECT_TIMEOUT_MILLIS + " ms";
            if (connected) {
                sendQuietly(disconnect(0x8D)); // Keep Alive timeout.
            }
        } catch (IOException e) {
            why = "connection lost: " + e.getMessage();
        } catch (RuntimeException e) {
            why = "broker defect: " + e;
            LOG.error(e, "client '{}': the embedded broker failed on its packet; closing its connection", clientId);
        } finally {
            BrokerMessage dueWill = end(why);
            if (dueWill != null) {
                broker.publish(dueWill.publishedAt(System.nanoTime()), this);
            }
        }
    }

    private void connect(MqttPacket p) throws IOException, MqttViolation {
        if (p.type() != CONNECT) {
            throw MqttViolation.protocolError("first packet is type " + p.type() + ", not CONNECT");
        }
        PacketReader r = p.reader();
        String protocol = r.utf8();
        int level = r.u8();
        if (!(protocol.equals("MQTT") || (protocol.equals("MQIsdp") && level == 3))) {
            throw MqttViolation.malformed("protocol name '" + protocol + "'");
        }
        if (level != 5) {
            // An MQTT 3.x client reads only its own CONNACK layout: return code 0x01, unacceptable protocol version.
            send(level == 3 || level == 4 ? new byte[] {0x20, 0x02, 0x00, 0x01} : connack(0x84, List.of()));
            throw new MqttViolation(0x84, "protocol level " + level + "; only MQTT 5 is served");
        }
        try {
            accept(r);
        } catch (MqttViolation v) {
            send(connack(v.reasonCode(), List.of()));
            throw v;
        }
    }

    /** Reads the rest of a version 5 CONNECT (spec 3.1.2-3.1.3), then takes over any older session and CONNACKs. */
    private void accept(PacketReader r) throws IOException, MqttViolation {
        int flags = r.u8();
        boolean hasWill = (flags & 0x04) != 0;
        int willQos = (flags >> 3) & 3;
        boolean willRetain = (flags & 0x20) != 0;
        if ((flags & 0x01) != 0 || willQos == 3 || (!hasWill && (willQos != 0 || willRetain))) {
            throw MqttViolation.malformed("CONNECT flags 0x" + Integer.toHexString(flags));
        }
        int keepAliveSeconds = r.u16();
        List<MqttProperty> properties = r.properties(CONNECT_PROPERTIES);
        String id = r.utf8();
        BrokerMessage willMessage = null;
        if (hasWill) {
            List<MqttProperty> willProperties = r.properties(WILL_PROPERTIES);
            String willTopic = r.utf8();
            byte[] willPayload = r.binary();
            if (!TopicFilter.isTopicName(willTopic)) {
                throw new MqttViolation(0x90, "will topic '" + willTopic + "'");
            }
            if (willQos == 2) {
                throw new MqttViolation(0x9B, "will QoS 2; this broker serves QoS 0 and 1");
            }
            willMessage = new BrokerMessage(willTopic, willPayload, willQos, willRetain, willProperties,
                    System.nanoTime());
        }
        if ((flags & 0x80) != 0) {
            r.utf8(); // The demo broker lets anyone in: user name and password are read and ignored.
        }
        if ((flags & 0x40) != 0) {
            r.binary();
        }
        r.end();
        if (MqttProperty.find(properties, AUTH_METHOD).isPresent()) {
            throw new MqttViolation(0x8C, "enhanced authentication is not supported");
        }
        if (MqttProperty.find(properties, AUTH_DATA).isPresent()) {
            throw MqttViolation.protocolError("Authentication Data without Authentication Method");
        }
        long receiveMaximum = MqttProperty.number(properties, RECEIVE_MAXIMUM, 65_535);
        long maxPacketBytes = MqttProperty.number(properties, MAXIMUM_PACKET_SIZE, Integer.MAX_VALUE);
        if (receiveMaximum == 0 || maxPacketBytes == 0) {
            throw MqttViolation.protocolError("Receive Maximum or Maximum Packet Size of 0");
        }
        List<MqttProperty> ack = new ArrayList<>(List.of(
                new MqttProperty(RECEIVE_MAXIMUM, (long) INBOUND_RECEIVE_MAXIMUM),
                new MqttProperty(MAXIMUM_QOS, 1L),
                new MqttProperty(MAXIMUM_PACKET_SIZE, (long) MAX_PACKET_BYTES),
                new MqttProperty(SUBSCRIPTION_IDS_AVAILABLE, 0L),
                new MqttProperty(SHARED_SUBSCRIPTIONS_AVAILABLE, 0L)));
        if (MqttProperty.number(properties, SESSION_EXPIRY, 0) != 0) {
            ack.add(new MqttProperty(SESSION_EXPIRY, 0L)); // Sessions end with their connection; wills are not delayed.
        }
        if (id.isEmpty()) {
            id = broker.assignClientId();
            ack.add(new MqttProperty(ASSIGNED_CLIENT_ID, id));
        }
        clientId = id;
        sendWindow = new Semaphore((int) receiveMaximum);
        clientMaxPacketBytes = maxPacketBytes;
        will.set(willMessage);
        BrokerSession previous = broker.register(id, this);
        if (previous != null) {
            // Spec 3.1.4-3: the older connection of this client id is closed and its will published before the new
            // CONNACK, so a retained "offline" will can never land after the new connection's "online".
            BrokerMessage previousWill = previous.takeOver();
            if (previousWill != null) {
                broker.publish(previousWill.publishedAt(System.nanoTime()), previous);
            }
        }
        send(connack(0, ack));
        connected = true;
        socket.setSoTimeout(keepAliveSeconds * 1500); // Spec 3.1.2.10: 1.5 times the keep-alive; 0 means none.
        writer = Thread.ofVirtual().name("mqtt-out-" + id).start(this::writeDeliveries);
        if (ended.get()) {
            writer.interrupt();
        }
    }

    /** Handles one packet after CONNECT; false after a DISCONNECT. */
    private boolean handle(MqttPacket p) throws IOException, MqttViolation {
        switch (p.type()) {
            case PUBLISH -> onPublish(p);
            case PUBACK -> onPuback(p);
            case SUBSCRIBE -> onSubscribe(p);
            case UNSUBSCRIBE -> onUnsubscribe(p);
            case PINGREQ -> {
                p.reader().end();
                send(new PacketWriter().frame(PINGRESP, 0));
            }
            case DISCONNECT -> {
                onDisconnect(p);
                return false;
            }
            case PUBREC, PUBREL, PUBCOMP -> throw MqttViolation.protocolError("QoS 2 packet type " + p.type()
                    + "; this broker never accepts or sends QoS 2");
            default -> throw MqttViolation.protocolError("packet type " + p.type() + " from a client");
        }
        return true;
    }

    private void onPublish(MqttPacket p) throws IOException, MqttViolation {
        int qos = (p.flags() >> 1) & 3;
        boolean retain = (p.flags() & 1) != 0;
        if (qos == 3) {
            throw MqttViolation.malformed("PUBLISH with QoS 3");
        }
        if (qos == 2) {
            throw new MqttViolation(0x9B, "PUBLISH with QoS 2; CONNACK announced Maximum QoS 1");
        }
        PacketReader r = p.reader();
        String topic = r.utf8();
        int packetId = qos > 0 ? r.u16() : 0;
        List<MqttProperty> properties = r.properties(PUBLISH_PROPERTIES);
        if (qos > 0 && packetId == 0) {
            throw MqttViolation.protocolError("PUBLISH with packet identifier 0");
        }
        if (MqttProperty.find(properties, TOPIC_ALIAS).isPresent()) {
            throw new MqttViolation(0x94, "topic alias; CONNACK allowed none");
        }
        if (MqttProperty.find(properties, SUBSCRIPTION_ID).isPresent()) {
            throw MqttViolation.protocolError("subscription identifier in a client's PUBLISH");
        }
        if (!TopicFilter.isTopicName(topic)) {
            throw MqttViolation.protocolError("PUBLISH topic '" + topic + "' is empty or has a wildcard");
        }
        broker.publish(new BrokerMessage(topic, r.rest(), qos, retain, properties, System.nanoTime()), this);
        if (qos == 1) {
            send(new PacketWriter().u16(packetId).u8(0x00).frame(PUBACK, 0));
        }
    }

    private void onPuback(MqttPacket p) throws MqttViolation {
        PacketReader r = p.reader();
        int packetId = r.u16();
        if (r.remaining() > 0) {
            r.u8(); // A client's refusal changes nothing: a QoS 1 message is not sent twice on the same connection.
        }
        if (r.remaining() > 0) {
            r.properties(ACK_PROPERTIES);
        }
        r.end();
        if (inFlight.remove(packetId)) {
            sendWindow.release();
        }
    }

    private void onSubscribe(MqttPacket p) throws IOException, MqttViolation {
        PacketReader r = p.reader();
        int packetId = r.u16();
        List<MqttProperty> properties = r.properties(SUBSCRIBE_PROPERTIES);
        if (packetId == 0 || r.remaining() == 0) {
            throw MqttViolation.protocolError("SUBSCRIBE with packet identifier 0 or no topic filter");
        }
        if (MqttProperty.find(properties, SUBSCRIPTION_ID).isPresent()) {
            throw new MqttViolation(0xA1, "subscription identifiers are not supported");
        }
        PacketWriter ack = new PacketWriter().u16(packetId).properties(List.of());
        List<Delivery> retained = new ArrayList<>();
        while (r.remaining() > 0) {
            String text = r.utf8();
            int options = r.u8();
            int qos = options & 3;
            int retainHandling = (options >> 4) & 3;
            if (qos == 3 || retainHandling == 3 || (options & 0xC0) != 0) {
                throw MqttViolation.malformed("subscription options 0x" + Integer.toHexString(options));
            }
            Optional<TopicFilter> filter = TopicFilter.parse(text);
            if (text.startsWith("$share/")) {
                ack.u8(0x9E); // Shared Subscriptions not supported (CONNACK says so too).
                continue;
            }
            if (filter.isEmpty()) {
                ack.u8(0x8F); // Topic Filter invalid.
                continue;
            }
            int granted = Math.min(qos, 1);
            boolean existed = subscriptions.put(text, new Subscription(filter.get(), granted, (options & 0x04) != 0,
                    (options & 0x08) != 0)) != null;
            if (retainHandling == 0 || (retainHandling == 1 && !existed)) {
                for (BrokerMessage m : broker.retained(filter.get())) {
                    retained.add(new Delivery(m, Math.min(m.qos(), granted), true));
                }
            }
            ack.u8(granted);
        }
        send(ack.frame(SUBACK, 0));
        retained.forEach(this::enqueue);
    }

    private void onUnsubscribe(MqttPacket p) throws IOException, MqttViolation {
        PacketReader r = p.reader();
        int packetId = r.u16();
        r.properties(Set.of(USER_PROPERTY));
        if (packetId == 0 || r.remaining() == 0) {
            throw MqttViolation.protocolError("UNSUBSCRIBE with packet identifier 0 or no topic filter");
        }
        PacketWriter ack = new PacketWriter().u16(packetId).properties(List.of());
        while (r.remaining() > 0) {
            ack.u8(subscriptions.remove(r.utf8()) != null ? 0x00 : 0x11); // 0x11: No subscription existed.
        }
        send(ack.frame(UNSUBACK, 0));
    }

    private void onDisconnect(MqttPacket p) throws MqttViolation {
        PacketReader r = p.reader();
        int reason = r.remaining() > 0 ? r.u8() : 0x00;
        if (r.remaining() > 0) {
            r.properties(DISCONNECT_PROPERTIES);
        }
        r.end();
        if (reason == 0x00) {
            will.set(null); // Spec 3.14.4-3: a normal disconnection discards the will; 0x04 and the rest keep it due.
        }
    }

    /** Queues {@code m} for this client when one of its subscriptions matches, at the highest QoS granted. */
    void offer(BrokerMessage m, BrokerSession from) {
        if (!connected || ended.get()) {
            return;
        }
        int qos = -1;
        boolean retain = false;
        boolean local = from != null && from.clientId().equals(clientId);
        for (Subscription s : subscriptions.values()) {
            if (!(s.noLocal() && local) && s.filter().matches(m.topic())) {
                qos = Math.max(qos, Math.min(m.qos(), s.qos()));
                retain |= s.retainAsPublished() && m.retain();
            }
        }
        if (qos >= 0) {
            enqueue(new Delivery(m, qos, retain));
        }
    }

    private void enqueue(Delivery d) {
        if (!outbox.offer(d)) {
            LOG.warn("client '{}' is not reading; dropped a message on {}", clientId, d.message().topic());
        }
    }

    /** The writer loop: sends queued messages, holding back QoS 1 ones while the client's Receive Maximum is used up. */
    private void writeDeliveries() {
        try {
            while (true) {
                Delivery d = outbox.take();
                Optional<List<MqttProperty>> properties = d.message().propertiesAt(System.nanoTime());
                if (properties.isEmpty()) {
                    continue; // Expired while waiting here.
                }
                int packetId = 0;
                PacketWriter w = new PacketWriter().utf8(d.message().topic());
                if (d.qos() == 1) {
                    sendWindow.acquire();
                    packetId = nextPacketId();
                    w.u16(packetId);
                }
                byte[] frame = w.properties(properties.get()).raw(d.message().payload())
                        .frame(PUBLISH, (d.qos() << 1) | (d.retain() ? 1 : 0));
                if (frame.length > clientMaxPacketBytes) {
                    // Spec 3.1.2.11.4: a packet the client cannot take is discarded as if it had been sent.
                    if (inFlight.remove(packetId)) {
                        sendWindow.release();
                    }
                    continue;
                }
                send(frame);
            }
        } catch (InterruptedException e) {
            // The connection ended.
        } catch (IOException e) {
            closeSocket(); // The reader then sees the broken connection and ends the session.
        }
    }

    private int nextPacketId() {
        do {
            lastPacketId = lastPacketId % 65_535 + 1;
        } while (!inFlight.add(lastPacketId));
        return lastPacketId;
    }

    /** Closes this connection for a newer one with the same client id; returns the will, now due. */
    BrokerMessage takeOver() {
        if (connected) {
            sendQuietly(disconnect(0x8E)); // Session taken over.
        }
        return end("taken over by a new connection");
    }

    /** Closes this connection because the broker stops; the will is not published (nobody would receive it). */
    void shutdown() {
        if (connected) {
            sendQuietly(disconnect(0x8B)); // Server shutting down.
        }
        end("broker shutting down");
    }

    /** Ends the session once: closes the socket, stops the writer, unregisters; returns the will if still due. */
    private BrokerMessage end(String why) {
        BrokerMessage dueWill = will.getAndSet(null);
        if (ended.compareAndSet(false, true)) {
            closeSocket();
            Thread w = writer;
            if (w != null) {
                w.interrupt();
            }
            broker.unregister(this);
            LOG.debug("client '{}' gone: {}", clientId, why);
        }
        return dueWill;
    }

    private static byte[] connack(int reasonCode, List<MqttProperty> properties) {
        return new PacketWriter().u8(0).u8(reasonCode).properties(properties).frame(CONNACK, 0);
    }

    private static byte[] disconnect(int reasonCode) {
        return new PacketWriter().u8(reasonCode).properties(List.of()).frame(DISCONNECT, 0);
    }

    private void send(byte[] frame) throws IOException {
        writeLock.lock();
        try {
            out.write(frame);
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    private void sendQuietly(byte[] frame) {
        try {
            send(frame);
        } catch (IOException e) {
            // The connection is being closed anyway.
        }
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing more to release.
        }
    }
}
