package ckp.kiosk.publish;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The Eclipse Paho MQTT v5 client in the restricted mode the kiosk trusts: in-memory persistence (SQLite is the only
 * source of truth), no offline buffer, no automatic reconnect, and a fresh client for every connection. Paho
 * exceptions are translated here and nowhere else.
 */
public final class PahoBrokerLink implements BrokerLink {
    private static final TaggedLogger LOG = Logger.tag("publish");
    /** MQTT v5 default when the broker sends no Receive Maximum property. */
    private static final int DEFAULT_RECEIVE_MAXIMUM = 65535;

    private final String clientId;
    private final Optional<String> username;
    private final Optional<Path> passwordFile;
    private final Optional<SSLSocketFactory> tls;
    private final int keepAliveSeconds;
    private MqttAsyncClient client;

    public PahoBrokerLink(String clientId, Optional<String> username, Optional<Path> passwordFile,
                          Optional<SSLSocketFactory> tls, int keepAliveSeconds) {
        this.clientId = clientId;
        this.username = username;
        this.passwordFile = passwordFile;
        this.tls = tls;
        this.keepAliveSeconds = keepAliveSeconds;
    }

    @Override
    public int connect(URI uri, String willTopic, byte[] willPayload, Runnable onConnectionLost) throws BrokerException {
        close();
        try {
            client = new MqttAsyncClient(uri.toString(), clientId, new MemoryPersistence());
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            o.setAutomaticReconnect(false);
            o.setKeepAliveInterval(keepAliveSeconds);
            o.setConnectionTimeout(10);
            MqttMessage will = new MqttMessage(willPayload, 1, true, new MqttProperties());
            o.setWill(willTopic, will);
            if (username.isPresent()) {
                o.setUserName(username.get());
            }
            if (passwordFile.isPresent()) {
                o.setPassword(Files.readString(passwordFile.get(), StandardCharsets.UTF_8).strip()
                        .getBytes(StandardCharsets.UTF_8));
            }
            if (tls.isPresent()) {
                o.setSocketFactory(tls.get());
                o.setHttpsHostnameVerificationEnabled(true);
            }
            client.setCallback(new MqttCallback() {
                @Override
                public void disconnected(MqttDisconnectResponse response) {
                    LOG.warn("broker {} disconnected: {}", uri, response.getReasonString());
                    onConnectionLost.run();
                }

                @Override
                public void mqttErrorOccurred(MqttException exception) {
                    LOG.warn("broker {} error: {}", uri, exception.getMessage());
                    onConnectionLost.run();
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                }

                @Override
                public void deliveryComplete(IMqttToken token) {
                }

                @Override
                public void connectComplete(boolean reconnect, String serverUri) {
                }

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {
                }
            });
            IMqttToken token = client.connect(o);
            token.waitForCompletion(15_000);
            Integer receiveMaximum = token.getResponseProperties() == null ? null
                    : token.getResponseProperties().getReceiveMaximum();
            return receiveMaximum == null ? DEFAULT_RECEIVE_MAXIMUM : receiveMaximum;
        } catch (MqttException e) {
            close();
            throw new BrokerException("cannot connect to " + uri + ": " + e.getMessage(), e.getReasonCode(), e);
        } catch (java.io.IOException e) {
            close();
            throw new BrokerException("cannot read the MQTT password file " + passwordFile.orElseThrow() + ": "
                    + e.getMessage(), -1, e);
        }
    }

    @Override
    public void publish(String topic, byte[] payload, int qos, boolean retain, Consumer<Integer> onAck)
            throws BrokerException {
        MqttAsyncClient c = client;
        if (c == null) {
            throw new BrokerException("not connected", -1, null);
        }
        try {
            c.publish(topic, payload, qos, retain, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] codes = token.getReasonCodes();
                    onAck.accept(codes == null || codes.length == 0 ? 0 : codes[0]);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    int[] codes = token.getReasonCodes();
                    if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                        onAck.accept(codes[0]);
                    } else if (e instanceof MqttException me && me.getReasonCode() >= 0x80 && me.getReasonCode() <= 0xFF) {
                        onAck.accept(me.getReasonCode());
                    } else {
                        onAck.accept(-1);
                    }
                }
            });
        } catch (MqttException e) {
            throw new BrokerException("cannot publish to " + topic + ": " + e.getMessage(), e.getReasonCode(), e);
        }
    }

    @Override
    public void close() {
        MqttAsyncClient c = client;
        client = null;
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            LOG.debug("disconnect: {}", e.getMessage());
        }
        try {
            c.close(true);
        } catch (MqttException e) {
            LOG.debug("close: {}", e.getMessage());
        }
    }
}
