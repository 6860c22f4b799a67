package ckp.kiosk.publish;

import ckp.kiosk.fixtures.TestCa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsContextsTest {
    @TempDir
    static Path dir;
    static TestCa ca;

    @BeforeAll
    static void makeCa() throws IOException {
        ca = TestCa.create(dir.resolve("ca"), "test-ca");
    }

    @Test
    void aPkcs8EcKeyIsReadByTheJdkAndMatchesItsCertificate() throws Exception {
        Path key = dir.resolve("p256.key");
        TestCa.openssl(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
                key.toString());
        assertTrue(Files.readString(key).contains("BEGIN PRIVATE KEY"));
        Path csr = dir.resolve("p256.csr");
        TestCa.openssl(dir, "req", "-new", "-key", key.toString(), "-subj", "/CN=p256", "-out", csr.toString());
        Path cert = ca.sign(csr, "p256", null);
        assertEquals("EC", TlsContexts.privateKey(key).getAlgorithm());
        TlsContexts.checkPair(cert, key);
    }

    @Test
    void pkcs8Ed25519AndRsaKeysAreAccepted() throws Exception {
        Path ed = dir.resolve("ed.key");
        TestCa.openssl(dir, "genpkey", "-algorithm", "ed25519", "-out", ed.toString());
        assertEquals("EdDSA", TlsContexts.privateKey(ed).getAlgorithm());
        Path rsa = dir.resolve("rsa.key");
        TestCa.openssl(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", rsa.toString());
        assertEquals("RSA", TlsContexts.privateKey(rsa).getAlgorithm());
    }

    @Test
    void aTraditionalSec1OrPkcs1KeyIsAConfigErrorNamingTheFileAndTheOpensslCommandThatConvertsIt() throws Exception {
        Path sec1 = dir.resolve("sec1.key");
        TestCa.openssl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", sec1.toString());
        Path rsa = dir.resolve("pkcs1.key");
        TestCa.openssl(dir, "genrsa", "-traditional", "-out", rsa.toString(), "2048");
        for (Path key : new Path[] {sec1, rsa}) {
            assertTrue(TlsContexts.holdsTraditionalKey(key));
            ConfigException e = assertThrows(ConfigException.class, () -> TlsContexts.privateKey(key));
            assertEquals("mqtt.tls.key", e.key());
            assertTrue(e.getMessage().contains(key.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt -in " + key), e.getMessage());
        }
        // The command the message gives works, and its output is read.
        Path converted = dir.resolve("sec1.pk8");
        TestCa.openssl(dir, "pkcs8", "-topk8", "-nocrypt", "-in", sec1.toString(), "-out", converted.toString());
        assertEquals("EC", TlsContexts.privateKey(converted).getAlgorithm());
        assertTrue(!TlsContexts.holdsTraditionalKey(converted));
    }

    @Test
    void anEncryptedKeyIsAConfigErrorNamingTheKeyAndTheFix() throws Exception {
        Path enc = dir.resolve("enc.key");
        TestCa.openssl(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-aes256", "-pass", "pass:secret", "-out", enc.toString());
        ConfigException e = assertThrows(ConfigException.class, () -> TlsContexts.privateKey(enc));
        assertEquals("mqtt.tls.key", e.key());
        assertTrue(e.getMessage().contains("passphrase"), e.getMessage());
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefusedBeforeAnyHandshake() throws Exception {
        Path[] a = ca.issue("kiosk-a", null);
        Path[] b = ca.issue("kiosk-b", null);
        ConfigException e = assertThrows(ConfigException.class,
                () -> TlsContexts.socketFactory(ca.cert, Optional.of(a[0]), Optional.of(b[1])));
        assertEquals("mqtt.tls.key", e.key());
    }

    @Test
    void aCaFileWithoutACertificateIsAConfigErrorNamingMqttTlsCa() throws Exception {
        Path junk = dir.resolve("junk.pem");
        Files.writeString(junk, "not a certificate\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> TlsContexts.socketFactory(junk, Optional.empty(), Optional.empty()));
        assertEquals("mqtt.tls.ca", e.key());
    }

    @Test
    void aServerWhoseCertificateDoesNotNameTheHostIsRefused() throws Exception {
        Path[] right = ca.issue("right-host", "IP:127.0.0.1,DNS:localhost");
        Path[] wrong = ca.issue("wrong-host", "DNS:broker.example.net");
        SSLSocketFactory client = TlsContexts.socketFactory(ca.cert, Optional.empty(), Optional.empty());
        assertEquals("ok", handshake(client, right));
        assertThrows(SSLHandshakeException.class, () -> handshake(client, wrong));
    }

    @Test
    void theClientOffersNothingOlderThanTls12() throws Exception {
        SSLSocketFactory client = TlsContexts.socketFactory(ca.cert, Optional.empty(), Optional.empty());
        try (SSLSocket s = (SSLSocket) client.createSocket()) {
            for (String p : s.getEnabledProtocols()) {
                assertTrue(p.equals("TLSv1.2") || p.equals("TLSv1.3"), p);
            }
        }
    }

    /** Runs one TLS server on loopback with the given certificate; returns what it read after the handshake. */
    private static String handshake(SSLSocketFactory client, Path[] serverIdentity) throws Exception {
        SSLContext server = SSLContext.getInstance("TLS");
        // The server's key material, read with TlsContexts' PEM parsing.
        var ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("s", TlsContexts.privateKey(serverIdentity[1]), new char[0],
                TlsContexts.certificates(serverIdentity[0], "cert").toArray(new java.security.cert.Certificate[0]));
        var kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        server.init(kmf.getKeyManagers(), null, null);
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = Thread.ofPlatform().daemon().start(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept(); OutputStream o = s.getOutputStream()) {
                    o.write("ok".getBytes());
                } catch (IOException ignored) {
                    // The client refused us: that is the case under test.
                }
            });
            try (SSLSocket s = (SSLSocket) client.createSocket("127.0.0.1", listener.getLocalPort())) {
                s.startHandshake();
                InputStream in = s.getInputStream();
                return new String(in.readNBytes(2));
            } finally {
                t.join(5_000);
            }
        }
    }
}
