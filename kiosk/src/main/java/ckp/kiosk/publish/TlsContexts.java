package ckp.kiosk.publish;

import ckp.kiosk.config.ConfigException;
import java.io.ByteArrayOutputStream;
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
import java.util.Arrays;
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
 * <p>Accepted private keys: PKCS#8 {@code PRIVATE KEY} (EC, Ed25519, RSA), SEC1 {@code EC PRIVATE KEY} (what
 * {@code openssl ecparam -genkey} writes) and PKCS#1 {@code RSA PRIVATE KEY}. Encrypted keys are refused: the service
 * starts unattended and has nobody to type a passphrase. Sockets speak TLS 1.2 or 1.3 only and verify the broker's
 * host name against its certificate (SAN), whatever the caller forgets to set.
 */
public final class TlsContexts {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** DER of OID 1.2.840.10045.2.1 id-ecPublicKey. */
    private static final byte[] OID_EC_PUBLIC_KEY = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    /** DER of OID 1.2.840.113549.1.1.1 rsaEncryption followed by NULL parameters. */
    private static final byte[] OID_RSA_WITH_NULL = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7,
            0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

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

    /** The private key in a PEM file, in any of the forms listed in the class comment. */
    public static PrivateKey privateKey(Path file) throws ConfigException {
        byte[] bytes = read(file, "mqtt.tls.key");
        for (Block b : blocks(bytes)) {
            try {
                switch (b.type()) {
                    case "PRIVATE KEY":
                        return pkcs8(b.der(), file);
                    case "EC PRIVATE KEY":
                        return pkcs8(sec1ToPkcs8(b.der()), file);
                    case "RSA PRIVATE KEY":
                        return pkcs8(der(0x30, concat(new byte[] {0x02, 0x01, 0x00}, der(0x30, OID_RSA_WITH_NULL),
                                der(0x04, b.der()))), file);
                    case "ENCRYPTED PRIVATE KEY":
                        throw new ConfigException("mqtt.tls.key", file + " is encrypted; the kiosk starts unattended, "
                                + "so store it without a passphrase (openssl pkey -in old.key -out " + file + ")");
                    default:
                        // EC PARAMETERS and other blocks openssl may write before the key.
                }
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new ConfigException("mqtt.tls.key", file + " holds a broken " + b.type() + " (" + e.getMessage()
                        + "); make a new key with kioskctl provision");
            }
        }
        throw new ConfigException("mqtt.tls.key", file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----, "
                + "EC PRIVATE KEY or RSA PRIVATE KEY)");
    }

    private static PrivateKey pkcs8(byte[] der, Path file) throws ConfigException {
        for (String algorithm : new String[] {"EC", "Ed25519", "RSA", "Ed448"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException wrongAlgorithm) {
                // Try the next one: PKCS#8 names the algorithm inside, and each factory accepts only its own.
            }
        }
        throw new ConfigException("mqtt.tls.key", file + " holds a private key of an unsupported kind; use EC P-256 "
                + "(kioskctl provision makes one)");
    }

    /**
     * Wraps a SEC1 ECPrivateKey (RFC 5915) into PKCS#8, taking the curve from its {@code [0] parameters} field: the
     * JDK reads only PKCS#8, while openssl's default EC output is SEC1.
     */
    static byte[] sec1ToPkcs8(byte[] sec1) {
        Der seq = Der.read(sec1, 0);
        if (seq.tag() != 0x30) {
            throw new IllegalArgumentException("not a DER sequence");
        }
        byte[] curveOid = null;
        int p = seq.contentStart();
        while (p < seq.end()) {
            Der field = Der.read(sec1, p);
            if (field.tag() == 0xa0) {
                curveOid = Arrays.copyOfRange(sec1, field.contentStart(), field.end());
            }
            p = field.end();
        }
        if (curveOid == null) {
            throw new IllegalArgumentException("the EC key does not name its curve");
        }
        byte[] algorithm = der(0x30, concat(OID_EC_PUBLIC_KEY, curveOid));
        return der(0x30, concat(new byte[] {0x02, 0x01, 0x00}, algorithm, der(0x04, sec1)));
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

    /** One DER element's tag and where its content lies (single-byte tags; definite lengths, as DER requires). */
    private record Der(int tag, int contentStart, int end) {
        static Der read(byte[] b, int at) {
            int tag = b[at] & 0xff;
            int len = b[at + 1] & 0xff;
            int start = at + 2;
            if (len >= 0x80) {
                int n = len & 0x7f;
                if (n < 1 || n > 3) {
                    throw new IllegalArgumentException("bad DER length");
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (b[start + i] & 0xff);
                }
                start += n;
            }
            if (start + len > b.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            return new Der(tag, start, start + len);
        }
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
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
