package ckp.provisioning.provision;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.publish.TlsContexts;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * The kiosk's TLS identity on disk: an EC P-256 private key made on the device, and its CSR. P-256 because Mosquitto
 * (OpenSSL), the JDK's TLS and fleet CAs all handle it as a client key; it is what the TLS identity test proves.
 */
final class KioskKeys {
    private KioskKeys() {
    }

    /** Makes a new key and writes it as PKCS#8 PEM; the file is created 0600, so the key is never readable by others. */
    static void writeNewKey(Path keyFile) throws IOException {
        byte[] pkcs8;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            pkcs8 = g.generateKeyPair().getPrivate().getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IOException("this Java has no EC P-256 key generator: " + e.getMessage(), e);
        }
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
        Path tmp = keyFile.resolveSibling(keyFile.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream o = Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
            o.write(pem.getBytes(StandardCharsets.US_ASCII));
        }
        Files.move(tmp, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Rewrites a key in a traditional form (SEC1 {@code EC PRIVATE KEY}, PKCS#1 {@code RSA PRIVATE KEY}, which keys
     * made by hand with openssl may be) as PKCS#8, the form the JDK reads: the same key, so its certificate still
     * fits. The new file is made 0600 beside the old one and moved over it.
     */
    static void convertToPkcs8(String openssl, Path keyFile) throws IOException {
        Path tmp = keyFile.resolveSibling(keyFile.getFileName() + ".pk8");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        ProvisionCommand.exec(List.of(openssl, "pkcs8", "-topk8", "-nocrypt", "-in", keyFile.toString(),
                "-out", tmp.toString()));
        Files.move(tmp, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Writes a PKCS#10 CSR with CN = kiosk id. The JDK has no CSR API; openssl (on every Raspberry Pi OS image, and
     * what a fleet CA uses to sign) does it in one call, where BouncyCastle would add 9 MB of jars to the kiosk.
     */
    static void writeCsr(String openssl, Path keyFile, String kioskId, Path csrFile) throws IOException {
        ProvisionCommand.exec(List.of(openssl, "req", "-new", "-sha256", "-key", keyFile.toString(),
                "-subj", "/CN=" + kioskId, "-out", csrFile.toString()));
    }

    /** Checks a signed certificate: it is for this key, names this kiosk and is valid now. */
    static X509Certificate checkCertificate(Path certFile, Path keyFile, String kioskId) throws ConfigException {
        X509Certificate c = TlsContexts.checkPair(certFile, keyFile);
        String cn = ProvisionCommand.commonName(c);
        if (!cn.equals(kioskId)) {
            throw new ConfigException("mqtt.tls.cert", certFile + " is for CN=" + cn + ", not " + kioskId);
        }
        try {
            c.checkValidity();
        } catch (java.security.cert.CertificateException e) {
            throw new ConfigException("mqtt.tls.cert", certFile + " is not valid now (" + c.getNotBefore().toInstant()
                    + " to " + c.getNotAfter().toInstant() + ", clock says " + Instant.now() + ")");
        }
        return c;
    }
}
