package ckp.kiosk.publish;

import java.net.URI;
import java.util.function.Consumer;

/**
 * One MQTT v5 connection, as small as the publisher needs. Implementations deliver callbacks on their own threads;
 * callers must not call back into the link from them (Paho deadlocks when its callback thread publishes).
 */
public interface BrokerLink extends AutoCloseable {

    /**
     * Connects, with a retained will on {@code willTopic}.
     *
     * @return the broker's receive maximum: how many QoS 1 messages may await PUBACK at once
     */
    int connect(URI uri, String willTopic, byte[] willPayload, Runnable onConnectionLost) throws BrokerException;

    /**
     * Sends one message; {@code onAck} later receives the PUBACK reason code (below 0x80 is success), or a code
     * of -1 when the connection failed before an acknowledgement.
     */
    void publish(String topic, byte[] payload, int qos, boolean retain, Consumer<Integer> onAck) throws BrokerException;

    /** Disconnects cleanly (the will is not sent) and releases everything. */
    @Override
    void close();
}
