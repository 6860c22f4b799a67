package ckp.provisioning.pass;

import ckp.kiosk.pass.TrustStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

/**
 * Ed25519 keys as PEM files, in exactly the forms OpenSSL reads and writes: the private key as a PKCS#8 {@code PRIVATE
 * KEY} block (what {@code openssl genpkey -algorithm ed25519} writes), the public key as an X.509 {@code PUBLIC KEY}
 * block (what {@code openssl pkey -pubout} writes, and what a kiosk's trust store reads).
 */
public final class Ed25519Pem {
    private Ed25519Pem() {
    }

    public static String publicPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    public static String privatePem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
    }

    /** Reads a PKCS#8 Ed25519 private key PEM; the exception names the file and what it should hold. */
    public static PrivateKey readPrivate(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) {
            throw new IOException(file + " holds no PRIVATE KEY block; it must be an Ed25519 key in PKCS#8 PEM "
                    + "(kioskctl pass keygen, or openssl genpkey -algorithm ed25519)");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException ex) {
            throw new IOException(file + " is not an Ed25519 private key (" + ex.getMessage() + "); make one with "
                    + "kioskctl pass keygen", ex);
        }
    }

    /** Reads a public key PEM as the kiosk does. */
    public static PublicKey readPublic(Path file) throws IOException {
        try {
            return TrustStore.parsePublicKey(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + " is not an Ed25519 PUBLIC KEY PEM (" + e.getMessage() + ")", e);
        }
    }

    /** Writes a new file readable by its owner only, created so from the start (no moment with wider permissions). */
    public static void writeSecret(Path file, String text) throws IOException {
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null, "will not overwrite a private key");
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    /** The two files of a key pair: {@code <kid>.key} (mode 0600) and {@code <kid>.pem}. */
    public record KeyPairFiles(Path privateKey, Path publicKey) {
    }

    /**
     * Makes a new Ed25519 key pair and writes it as {@code <kid>.key} (mode 0600) and {@code <kid>.pem} in {@code dir};
     * empty, writing nothing, when either file exists: a key is never overwritten, whoever's it is.
     */
    public static Optional<KeyPairFiles> writeNewKeyPair(Path dir, String kid)
            throws IOException, GeneralSecurityException {
        KeyPairFiles files = new KeyPairFiles(dir.resolve(kid + ".key"), dir.resolve(kid + ".pem"));
        if (Files.exists(files.privateKey()) || Files.exists(files.publicKey())) {
            return Optional.empty();
        }
        Files.createDirectories(dir);
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        writeSecret(files.privateKey(), privatePem(pair.getPrivate()));
        Files.writeString(files.publicKey(), publicPem(pair.getPublic()));
        return Optional.of(files);
    }
}
