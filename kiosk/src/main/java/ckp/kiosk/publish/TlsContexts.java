package ckp.kiosk.publish;

import ckp.kiosk.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the kiosk's TLS client socket factory from the PEM files a technician or {@code kioskctl provision} puts in
 * /etc: a CA bundle that signs the broker, and optionally this kiosk's certificate chain and private key.
 *
 * <p>Private keys are PKCS#8 {@code PRIVATE KEY} (EC, Ed25519, RSA), the form the JDK reads and {@code kioskctl
 * provision} writes; the traditional SEC1 and PKCS#1 forms are refused with the openssl command that converts them,
 * rather than parsed by hand here. Encrypted keys are refused: the service starts unattended and has nobody to type a
 * passphrase. Sockets speak TLS 1.2 or 1.3 only and verify the broker's
 * host name against its certificate (SAN), whatever the caller forgets to set.
 */
public final class TlsContexts {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsContexts() {
    }

    /** The socket factory the MQTT link needs, or empty when no broker URI is {@code ssl://}. */
    public static Optional<SSLSocketFactory> forMqtt(MqttConfig mqtt) throws ConfigException {
        boolean tls = mqtt.uris().stream().anyMatch(u -> "ssl".equals(u.getScheme()));
        if (!tls) {
            return Optional.empty();
        }
        if (mqtt.tlsCa().isEmpty()) {
            throw new ConfigException("mqtt.tls.ca", "missing; an ssl:// broker URI needs the CA file that signs the broker");
        }
        return Optional.of(socketFactory(mqtt.tlsCa().get(), mqtt.tlsCert(), mqtt.tlsKey()));
    }

    /**
     * A TLS 1.2+ client socket factory trusting only the CAs in {@code caFile}, presenting {@code certFile} with
     * {@code keyFile} when both are given. Bad files raise a {@link ConfigException} naming the config key.
     */
    public static SSLSocketFactory socketFactory(Path caFile, Optional<Path> certFile, Optional<Path> keyFile)
            throws ConfigException {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            List<X509Certificate> cas = certificates(caFile, "mqtt.tls.ca");
            for (int i = 0; i < cas.size(); i++) {
                trust.setCertificateEntry("ca" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);

            KeyManagerFactory kmf = null;
            Optional<X509Certificate> leaf = Optional.empty();
            if (certFile.isPresent() && keyFile.isPresent()) {
                List<X509Certificate> chain = certificates(certFile.get(), "mqtt.tls.cert");
                leaf = Optional.of(chain.get(0));
                PrivateKey key = privateKey(keyFile.get());
                requireMatching(key, chain.get(0), keyFile.get());
                char[] password = new char[0];
                KeyStore identity = KeyStore.getInstance("PKCS12");
                identity.load(null, null);
                identity.setKeyEntry("kiosk", key, password, chain.toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(identity, password);
            } else if (certFile.isPresent() != keyFile.isPresent()) {
                throw new ConfigException(certFile.isPresent() ? "mqtt.tls.key" : "mqtt.tls.cert",
                        "missing; mqtt.tls.cert and mqtt.tls.key go together");
            }
            javax.net.ssl.TrustManager[] trustManagers = tmf.getTrustManagers();
            for (int i = 0; i < trustManagers.length; i++) {
                if (trustManagers[i] instanceof javax.net.ssl.X509ExtendedTrustManager x) {
                    trustManagers[i] = new CaDatesTrustManager(x, cas);
                }
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), trustManagers, new SecureRandom());
            return new StrictFactory(context.getSocketFactory(), leaf);
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("mqtt.tls.ca", "cannot build the TLS context (" + e.getMessage()
                    + "); check the CA, certificate and key files");
        }
    }

    /** The certificate this kiosk presents through a factory made here, when it presents one. */
    public static Optional<X509Certificate> clientCertificate(SSLSocketFactory factory) {
        return factory instanceof StrictFactory f ? f.clientCertificate : Optional.empty();
    }

    /** Checks that a PEM certificate and PEM private key belong together; returns the certificate (the leaf). */
    public static X509Certificate checkPair(Path certFile, Path keyFile) throws ConfigException {
        X509Certificate leaf = certificates(certFile, "mqtt.tls.cert").get(0);
        requireMatching(privateKey(keyFile), leaf, keyFile);
        return leaf;
    }

    /** Every certificate in a PEM file, in file order (leaf first for a chain). */
    public static List<X509Certificate> certificates(Path file, String key) throws ConfigException {
        byte[] bytes = read(file, key);
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(bytes)) {
                if (b.type().equals("CERTIFICATE")) {
                    out.add((X509Certificate) cf.generateCertificate(new java.io.ByteArrayInputStream(b.der())));
                }
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException(key, file + " holds a broken certificate (" + e.getMessage()
                    + "); copy the PEM file again");
        }
        if (out.isEmpty()) {
            throw new ConfigException(key, file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    /**
     * The PKCS#8 private key in a PEM file, read by the JDK. The older forms openssl writes (SEC1
     * {@code EC PRIVATE KEY}, PKCS#1 {@code RSA PRIVATE KEY}) are refused with the command that converts them.
     */
    public static PrivateKey privateKey(Path file) throws ConfigException {
        byte[] bytes = read(file, "mqtt.tls.key");
        for (Block b : blocks(bytes)) {
            switch (b.type()) {
                case "PRIVATE KEY":
                    return pkcs8(b.der(), file);
                case "EC PRIVATE KEY", "RSA PRIVATE KEY":
                    throw new ConfigException("mqtt.tls.key", file + " holds an " + b.type() + " (openssl's "
                            + "traditional form), and the kiosk reads PKCS#8 keys only; convert it in place with "
                            + "'openssl pkcs8 -topk8 -nocrypt -in " + file + " -out " + file + ".pk8 && mv " + file
                            + ".pk8 " + file + "' (kioskctl provision does this when it keeps a key)");
                case "ENCRYPTED PRIVATE KEY":
                    throw new ConfigException("mqtt.tls.key", file + " is encrypted; the kiosk starts unattended, "
                            + "so store it without a passphrase (openssl pkey -in old.key -out " + file + ")");
                default:
                    // EC PARAMETERS and other blocks openssl may write before the key.
            }
        }
        throw new ConfigException("mqtt.tls.key", file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    /** True when the file holds a key in a traditional form that {@code openssl pkcs8 -topk8} converts. */
    public static boolean holdsTraditionalKey(Path file) throws ConfigException {
        return blocks(read(file, "mqtt.tls.key")).stream()
                .anyMatch(b -> b.type().equals("EC PRIVATE KEY") || b.type().equals("RSA PRIVATE KEY"));
    }

    private static PrivateKey pkcs8(byte[] der, Path file) throws ConfigException {
        for (String algorithm : new String[] {"EC", "Ed25519", "RSA", "Ed448"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException wrongAlgorithm) {
                // Try the next one: PKCS#8 names the algorithm inside, and each factory accepts only its own.
            }
        }
        throw new ConfigException("mqtt.tls.key", file + " holds a broken private key or one of an unsupported kind; "
                + "use EC P-256 (kioskctl provision --new-key makes one)");
    }

    /** Signs a nonce with the key and checks it with the certificate: a mismatched pair fails here, not in a handshake. */
    private static void requireMatching(PrivateKey key, X509Certificate cert, Path keyFile) throws ConfigException {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] nonce = new byte[32];
            new SecureRandom().nextBytes(nonce);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(nonce);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(nonce);
            if (verifier.verify(sig)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // A key of another algorithm than the certificate's: reported below.
        }
        throw new ConfigException("mqtt.tls.key", keyFile + " does not belong to the certificate in mqtt.tls.cert ("
                + cert.getSubjectX500Principal().getName() + "); install the certificate signed for this key");
    }

    private static byte[] read(Path file, String key) throws ConfigException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(key, "cannot read " + file + " (" + e.getMessage()
                    + "); the kiosk user needs read access");
        }
    }

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(byte[] pem) {
        List<Block> out = new ArrayList<>();
        Matcher m = PEM.matcher(new String(pem, StandardCharsets.US_ASCII));
        while (m.find()) {
            out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
        }
        return out;
    }

    /**
     * The JDK's PKIX trust manager, plus the dates of the trust anchor: PKIX never checks a CA of the trust store
     * itself, so an expired {@code mqtt.tls.ca} would be trusted without a word. Checked at every handshake, as a
     * kiosk outlives many certificates.
     */
    private static final class CaDatesTrustManager extends javax.net.ssl.X509ExtendedTrustManager {
        private final javax.net.ssl.X509ExtendedTrustManager delegate;
        private final List<X509Certificate> cas;

        CaDatesTrustManager(javax.net.ssl.X509ExtendedTrustManager delegate, List<X509Certificate> cas) {
            this.delegate = delegate;
            this.cas = List.copyOf(cas);
        }

        private void anchorDates(X509Certificate[] chain) throws java.security.cert.CertificateException {
            if (chain == null || chain.length == 0) {
                return;
            }
            java.util.Date now = new java.util.Date();
            X509Certificate top = chain[chain.length - 1];
            for (X509Certificate ca : cas) {
                boolean anchor = ca.equals(top) || ca.getSubjectX500Principal().equals(top.getIssuerX500Principal());
                if (!anchor) {
                    continue;
                }
                if (now.after(ca.getNotAfter())) {
                    throw new java.security.cert.CertificateExpiredException("the CA " + ca.getSubjectX500Principal()
                            + " in mqtt.tls.ca expired on " + ca.getNotAfter().toInstant() + "; replace mqtt.tls.ca");
                }
                if (now.before(ca.getNotBefore())) {
                    throw new java.security.cert.CertificateNotYetValidException("the CA "
                            + ca.getSubjectX500Principal() + " in mqtt.tls.ca is not valid before "
                            + ca.getNotBefore().toInstant() + " (or this kiosk's clock is wrong)");
                }
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws java.security.cert.CertificateException {
            delegate.checkServerTrusted(chain, authType, socket);
            anchorDates(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine)
                throws java.security.cert.CertificateException {
            delegate.checkServerTrusted(chain, authType, engine);
            anchorDates(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            delegate.checkServerTrusted(chain, authType);
            anchorDates(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws java.security.cert.CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine)
                throws java.security.cert.CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }

    /** Restricts every socket to TLS 1.2/1.3 and turns on host name verification (RFC 2818 rules, as for HTTPS). */
    private static final class StrictFactory extends SSLSocketFactory {
        private final SSLSocketFactory delegate;
        private final Optional<X509Certificate> clientCertificate;

        StrictFactory(SSLSocketFactory delegate, Optional<X509Certificate> clientCertificate) {
            this.delegate = delegate;
            this.clientCertificate = clientCertificate;
        }

        private Socket strict(Socket s) {
            if (s instanceof SSLSocket ssl) {
                SSLParameters p = ssl.getSSLParameters();
                p.setProtocols(PROTOCOLS);
                p.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(p);
            }
            return s;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return strict(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return strict(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
            return strict(delegate.createSocket(s, consumed, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return strict(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return strict(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return strict(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return strict(delegate.createSocket(address, port, localAddress, localPort));
        }
    }
}
