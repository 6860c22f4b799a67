package ckp.kiosk.publish;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.fixtures.TestCa;
import ckp.kiosk.fixtures.MosquittoBroker;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 6: a TLS connection that fails says why — the broker's certificate names another host, has
 * expired, or is signed by a CA the kiosk does not trust; the broker refuses the kiosk's expired certificate — instead
 * of Paho's "Untranslated MqttException - RC: 0". Certificates are made by the openssl command, the broker is a real
 * Mosquitto with a TLS listener on a free port.
 */
class TlsFailureReasonsTest {
    private static final String PAST_START = "20200101000000Z";
    private static final String PAST_END = "20200201000000Z";

    @TempDir
    Path dir;

    /** Connects once with a fresh link and returns the failure's message. */
    private static String failure(String uri, SSLSocketFactory tls) {
        PahoBrokerLink link = new PahoBrokerLink("k-tls", Optional.empty(), Optional.empty(), Optional.of(tls), 30);
        try {
            BrokerException e = assertThrows(BrokerException.class, () -> link.connect(URI.create(uri),
                    "ckp/v1/s/l/k-tls/status", "{}".getBytes(), new BrokerLink.Listener() {
                        @Override
                        public void connectionLost(String why) {
                        }

                        @Override
                        public void messageArrived(InboundMessage message) {
                        }
                    }));
            return e.getMessage();
        } finally {
            link.close();
        }
    }

    /** A Mosquitto with a TLS listener on a free port besides its plain one. */
    record TlsBroker(MosquittoBroker broker, String uri) implements AutoCloseable {
        @Override
        public void close() {
            broker.close();
        }
    }

    private TlsBroker tlsBroker(String name, TestCa ca, Path[] serverCert, boolean requireClientCert)
            throws Exception {
        int port = MosquittoBroker.freePort();
        return new TlsBroker(MosquittoBroker.start(dir.resolve(name), List.of("listener " + port + " 127.0.0.1",
                "cafile " + ca.cert, "certfile " + serverCert[0], "keyfile " + serverCert[1],
                "require_certificate " + requireClientCert, "tls_version tlsv1.2")), "ssl://127.0.0.1:" + port);
    }

    @Test
    void aServerCertificateForAnotherHostSaysTheHostNameDoesNotMatch() throws Exception {
        TestCa ca = TestCa.create(dir.resolve("ca"), "fleet-ca");
        Path[] server = ca.issue("broker", "DNS:broker.example.org");
        try (TlsBroker broker = tlsBroker("b1", ca, server, false)) {
            String why = failure(broker.uri(), TlsContexts.socketFactory(ca.cert, Optional.empty(), Optional.empty()));
            assertTrue(why.contains("host name"), why);
            assertTrue(why.contains("127.0.0.1"), why);
            assertTrue(!why.contains("Untranslated"), why);
        }
    }

    @Test
    void anExpiredServerCertificateSaysItExpiredAndWhen() throws Exception {
        TestCa ca = TestCa.create(dir.resolve("ca"), "fleet-ca");
        Path[] server = ca.issueDated("broker", "IP:127.0.0.1", PAST_START, PAST_END);
        try (TlsBroker broker = tlsBroker("b2", ca, server, false)) {
            String why = failure(broker.uri(), TlsContexts.socketFactory(ca.cert, Optional.empty(), Optional.empty()));
            assertTrue(why.contains("expired"), why);
            assertTrue(why.contains("2020-02-01"), why);
        }
    }

    @Test
    void aServerCertificateFromAnotherCaSaysTheCaIsUnknown() throws Exception {
        TestCa ca = TestCa.create(dir.resolve("ca"), "fleet-ca");
        TestCa other = TestCa.create(dir.resolve("other"), "rogue-ca");
        Path[] server = other.issue("broker", "IP:127.0.0.1");
        try (TlsBroker broker = tlsBroker("b3", other, server, false)) {
            String why = failure(broker.uri(), TlsContexts.socketFactory(ca.cert, Optional.empty(), Optional.empty()));
            assertTrue(why.contains("unknown CA"), why);
            assertTrue(why.contains("mqtt.tls.ca"), why);
        }
    }

    @Test
    void anExpiredClientCertificateRefusedByTheBrokerSaysSo() throws Exception {
        TestCa ca = TestCa.create(dir.resolve("ca"), "fleet-ca");
        Path[] server = ca.issue("broker", "IP:127.0.0.1");
        Path[] kiosk = ca.issueDated("k-tls", null, PAST_START, PAST_END);
        try (TlsBroker broker = tlsBroker("b4", ca, server, true)) {
            String why = failure(broker.uri(), TlsContexts.socketFactory(ca.cert, Optional.of(kiosk[0]),
                    Optional.of(kiosk[1])));
            assertTrue(why.contains("this kiosk's certificate"), why);
            assertTrue(why.contains("expired on 2020-02-01"), why);
        }
    }

    @Test
    void anExpiredCaIsNotTrustedAndTheFailureSaysItExpired() throws Exception {
        // The JDK does not check a trust anchor's dates: before, a broker signed by this CA was accepted silently.
        TestCa expired = TestCa.createDated(dir.resolve("old-ca"), "old-fleet-ca", PAST_START, PAST_END);
        Path[] server = expired.issue("broker", "IP:127.0.0.1");
        try (TlsBroker broker = tlsBroker("b5", expired, server, false)) {
            String why = failure(broker.uri(), TlsContexts.socketFactory(expired.cert, Optional.empty(),
                    Optional.empty()));
            assertTrue(why.contains("expired"), why);
            assertTrue(why.contains("CN=old-fleet-ca"), why);
        }
    }
}
