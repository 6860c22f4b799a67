package ckp.kiosk.publish;

import java.net.URI;
import java.util.List;
import java.util.function.Consumer;

/**
 * One MQTT v5 connection, as small as the publisher needs. Implementations deliver callbacks on their own threads;
 * callers must not call back into the link from them (Paho deadlocks when its callback thread publishes).
 */
public interface BrokerLink extends AutoCloseable {

    /** What the link reports from the broker's side: both run on the client's thread and must return quickly. */
    interface Listener {
        void connectionLost(String why);

        void messageArrived(InboundMessage message);
    }

    /**
     * Connects with a fresh client and a retained QoS 1 will on {@code willTopic}.
     *
     * @return the broker's receive maximum: how many QoS 1 messages may await PUBACK at once
     */
    int connect(URI uri, String willTopic, byte[] willPayload, Listener listener) throws BrokerException;

    /**
     * Sends one message; {@code onAck} later receives the PUBACK reason code (below 0x80 is success, e.g. 0x10 "no
     * matching subscribers"; 0x80 and above is a refusal, e.g. 0x87 not authorized), or -1 when the connection
     * failed before an acknowledgement. A QoS 0 message is acknowledged with 0 once written.
     */
    void publish(OutgoingMessage message, Consumer<Integer> onAck) throws BrokerException;

    /** Subscribes at QoS 1 and waits for the SUBACK; returns its reason codes, one per filter. */
    List<Integer> subscribe(List<String> topicFilters) throws BrokerException;

    /** Disconnects (cleanly when the connection is healthy, so the will is not sent) and releases everything. */
    @Override
    void close();
}
