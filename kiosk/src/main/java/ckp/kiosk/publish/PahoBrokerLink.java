package ckp.kiosk.publish;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
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
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The Eclipse Paho MQTT v5 client (1.2.5) in the restricted mode the kiosk trusts: in-memory persistence (SQLite is
 * the only source of truth), no offline buffer, no automatic reconnect, and a fresh client for every connection.
 * Paho exceptions are translated here and nowhere else.
 *
 * <p>Checked against Mosquitto 2.0 with an ACL: Paho 1.2.5 reports a PUBACK carrying 0x87 (not authorized) through
 * {@code onSuccess}, with the code in {@code token.getReasonCodes()}, not through {@code onFailure}; a success PUBACK
 * may carry 0x10 (no matching subscribers). Both paths are read, so a refusal is never taken for a delivery.
 */
public final class PahoBrokerLink implements BrokerLink {
    private static final TaggedLogger LOG = Logger.tag("publish");
    /** MQTT v5 default when the broker sends no Receive Maximum property. */
    private static final int DEFAULT_RECEIVE_MAXIMUM = 65535;
    private static final long SUBACK_TIMEOUT_MILLIS = 10_000;

    private final String clientId;
    private final Optional<String> username;
    private final Optional<Path> passwordFile;
    private final Optional<SSLSocketFactory> tls;
    private final int keepAliveSeconds;
    private final Optional<ScheduledExecutorService> executor;
    private volatile MqttAsyncClient client;

    public PahoBrokerLink(String clientId, Optional<String> username, Optional<Path> passwordFile,
                          Optional<SSLSocketFactory> tls, int keepAliveSeconds) {
        this(clientId, username, passwordFile, tls, keepAliveSeconds, Optional.empty());
    }

    /** With the executor Paho runs its tasks on ({@link SessionThreads#pahoTasks}); empty: threads of its own. */
    public PahoBrokerLink(String clientId, Optional<String> username, Optional<Path> passwordFile,
                          Optional<SSLSocketFactory> tls, int keepAliveSeconds,
                          Optional<ScheduledExecutorService> executor) {
        this.executor = executor;
        this.clientId = clientId;
        this.username = username;
        this.passwordFile = passwordFile;
        this.tls = tls;
        this.keepAliveSeconds = keepAliveSeconds;
    }

    @Override
    public int connect(URI uri, String willTopic, byte[] willPayload, Listener listener) throws BrokerException {
        close();
        try {
            MqttAsyncClient c = new MqttAsyncClient(uri.toString(), clientId, new MemoryPersistence(), null,
                    executor.orElse(null));
            client = c;
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            o.setAutomaticReconnect(false);
            o.setKeepAliveInterval(keepAliveSeconds);
            o.setConnectionTimeout(10);
            o.setWill(willTopic, new MqttMessage(willPayload, 1, true, new MqttProperties()));
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
            c.setCallback(new MqttCallback() {
                @Override
                public void disconnected(MqttDisconnectResponse response) {
                    listener.connectionLost("broker " + uri + " disconnected: "
                            + (response.getReasonString() == null ? "connection lost" : response.getReasonString())
                            + (response.getException() == null ? "" : " (" + response.getException().getMessage() + ")"));
                }

                @Override
                public void mqttErrorOccurred(MqttException exception) {
                    listener.connectionLost("broker " + uri + " error: " + exception.getMessage());
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    MqttProperties p = message.getProperties();
                    listener.messageArrived(new InboundMessage(topic, message.getPayload(), message.isRetained(),
                            Optional.ofNullable(p == null ? null : p.getResponseTopic()),
                            Optional.ofNullable(p == null ? null : p.getCorrelationData())));
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
            IMqttToken token = c.connect(o);
            token.waitForCompletion(15_000);
            Integer receiveMaximum = token.getResponseProperties() == null ? null
                    : token.getResponseProperties().getReceiveMaximum();
            return receiveMaximum == null ? DEFAULT_RECEIVE_MAXIMUM : receiveMaximum;
        } catch (MqttException e) {
            close();
            throw new BrokerException("cannot connect to " + uri + ": "
                    + why(e, uri, tls.flatMap(TlsContexts::clientCertificate), java.time.Instant.now()),
                    e.getReasonCode(), e);
        } catch (java.io.IOException e) {
            close();
            throw new BrokerException("cannot read the MQTT password file " + passwordFile.orElseThrow() + ": "
                    + e.getMessage(), -1, e);
        }
    }

    @Override
    public void publish(OutgoingMessage m, Consumer<Integer> onAck) throws BrokerException {
        MqttAsyncClient c = client;
        if (c == null) {
            throw new BrokerException("not connected", -1, null);
        }
        MqttProperties p = new MqttProperties();
        m.expiry().ifPresent(e -> p.setMessageExpiryInterval(e.toSeconds()));
        m.correlationData().ifPresent(p::setCorrelationData);
        MqttMessage message = new MqttMessage(m.payload(), m.qos(), m.retain(), p);
        try {
            c.publish(m.topic(), message, null, new MqttActionListener() {
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
            throw new BrokerException("cannot publish to " + m.topic() + ": " + e.getMessage(), e.getReasonCode(), e);
        }
    }

    @Override
    public List<Integer> subscribe(List<String> topicFilters) throws BrokerException {
        MqttAsyncClient c = client;
        if (c == null) {
            throw new BrokerException("not connected", -1, null);
        }
        MqttSubscription[] subs = topicFilters.stream().map(f -> new MqttSubscription(f, 1))
                .toArray(MqttSubscription[]::new);
        try {
            IMqttToken token = c.subscribe(subs, null, null, new MqttProperties());
            token.waitForCompletion(SUBACK_TIMEOUT_MILLIS);
            List<Integer> codes = new ArrayList<>();
            int[] raw = token.getReasonCodes();
            for (int i = 0; i < topicFilters.size(); i++) {
                codes.add(raw != null && i < raw.length ? raw[i] : 0x80);
            }
            return codes;
        } catch (MqttException e) {
            throw new BrokerException("cannot subscribe to " + topicFilters + ": " + e.getMessage(), e.getReasonCode(), e);
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
            if (c.isConnected()) {
                // A broker that stopped answering (SIGSTOP, a dead link) never completes the DISCONNECT.
                c.disconnectForcibly(0, 1_000, false);
            }
        } catch (MqttException e) {
            LOG.debug("forced disconnect: {}", e.getMessage());
        }
        try {
            c.close(true);
        } catch (MqttException e) {
            LOG.debug("close: {}", e.getMessage());
        }
    }

    /**
     * Why a connect failed, in a technician's words: for TLS the cause Paho hides behind "Untranslated MqttException -
     * RC: 0" (the broker's certificate names another host, has expired or is not yet valid, comes from a CA
     * {@code mqtt.tls.ca} does not hold; the broker refused this kiosk's certificate); otherwise Paho's message with
     * the underlying cause.
     */
    static String why(MqttException e, URI uri, Optional<java.security.cert.X509Certificate> ownCertificate,
                      java.time.Instant now) {
        Optional<String> tls = tlsReason(e, uri);
        // The broker's refusal of an expired client certificate often reaches us as a reset or broken pipe, not as
        // its TLS alert: what this kiosk presents is known here, so say it whatever the broker managed to send.
        Optional<String> own = ownCertificate.filter(c -> c.getNotAfter().toInstant().isBefore(now)).map(c ->
                "this kiosk's certificate (mqtt.tls.cert, " + c.getSubjectX500Principal() + ") expired on "
                        + java.time.format.DateTimeFormatter.ISO_INSTANT.format(c.getNotAfter().toInstant())
                        + " and the broker refused it; renew it (kioskctl provision)");
        if (own.isPresent() && "ssl".equals(uri.getScheme())
                && (tls.isEmpty() || tls.get().contains("refused this kiosk's certificate"))) {
            return "TLS: " + own.get();
        }
        if (tls.isPresent()) {
            return "TLS: " + tls.get();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage();
        if (root != e && root.getMessage() != null && (message == null || !message.contains(root.getMessage()))) {
            message = message + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        return message;
    }

    /** The TLS reason of a failed connect, when the failure was in the TLS handshake. */
    static java.util.Optional<String> tlsReason(Throwable failure, URI uri) {
        java.time.format.DateTimeFormatter day = java.time.format.DateTimeFormatter.ISO_INSTANT;
        String hostMismatch = null;
        String alert = null;
        String other = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof java.security.cert.CertPathValidatorException v
                    && (v.getReason() == java.security.cert.CertPathValidatorException.BasicReason.EXPIRED
                    || v.getReason() == java.security.cert.CertPathValidatorException.BasicReason.NOT_YET_VALID)
                    && v.getCertPath() != null && v.getIndex() >= 0
                    && v.getIndex() < v.getCertPath().getCertificates().size()
                    && v.getCertPath().getCertificates().get(v.getIndex()) instanceof java.security.cert.X509Certificate c) {
                boolean expired = v.getReason() == java.security.cert.CertPathValidatorException.BasicReason.EXPIRED;
                return java.util.Optional.of("the broker's certificate chain holds " + c.getSubjectX500Principal()
                        + (expired ? ", which expired on " + day.format(c.getNotAfter().toInstant())
                                : ", which is not valid before " + day.format(c.getNotBefore().toInstant()))
                        + (expired ? "" : " (or this kiosk's clock is wrong)"));
            }
            if (t instanceof java.security.cert.CertificateExpiredException) {
                return java.util.Optional.of(m.startsWith("the CA ") ? m
                        : "the broker's certificate (or its CA) has expired (" + m + ")");
            }
            if (t instanceof java.security.cert.CertificateNotYetValidException) {
                return java.util.Optional.of(m.startsWith("the CA ") ? m
                        : "the broker's certificate is not valid yet (" + m + "); check this kiosk's clock");
            }
            if (t instanceof java.security.cert.CertPathBuilderException) {
                return java.util.Optional.of("unknown CA: the broker's certificate is not signed by a CA in "
                        + "mqtt.tls.ca (" + m + ")");
            }
            if (t instanceof java.security.cert.CertificateException
                    && (m.startsWith("No subject alternative") || m.startsWith("No name matching"))) {
                hostMismatch = m;
            }
            if (t instanceof javax.net.ssl.SSLPeerUnverifiedException) {
                hostMismatch = hostMismatch == null ? m : hostMismatch;
            }
            int at = m.indexOf("Received fatal alert: ");
            if (t instanceof javax.net.ssl.SSLException && at >= 0) {
                alert = m.substring(at + "Received fatal alert: ".length()).strip();
            } else if (t instanceof javax.net.ssl.SSLException && other == null) {
                other = m;
            }
        }
        if (hostMismatch != null) {
            return java.util.Optional.of("the broker's certificate does not name the host name " + uri.getHost()
                    + " of the URI in its subject alternative names (" + hostMismatch + ")");
        }
        if (alert != null) {
            return java.util.Optional.of(switch (alert) {
                case "bad_certificate", "certificate_expired", "certificate_revoked", "unknown_ca",
                     "certificate_unknown", "certificate_required", "unsupported_certificate", "access_denied" ->
                        "the broker refused this kiosk's certificate (TLS alert " + alert + "): check mqtt.tls.cert "
                                + "is valid, unexpired and signed by the CA the broker trusts";
                default -> "the broker ended the handshake (TLS alert " + alert + ")";
            });
        }
        return other == null ? java.util.Optional.empty() : java.util.Optional.of("handshake failed (" + other + ")");
    }
}
