package ckp.kiosk.simulate;

import ckp.kiosk.pass.DenyListFeed;
import ckp.kiosk.site.SiteJws;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * The demo's setup: sample frames, a demo trust store and the demo site authority's public key unpacked from the
 * jar, a broker when none is given, the site's deny list signed with the demo site key as the central side would
 * publish it, and a config file for the same service {@code run} starts.
 */
public final class Simulation {
    /** The demo set shipped in the jar: pass codes signed by the demo key, plain codes and empty frames. */
    static final String DEMO = "/ckp/kiosk/demo/";
    static final List<String> DEMO_FRAMES = List.of(
            "01-empty.png", "02-valid-freight.png", "03-empty.png", "04-plain-url.png", "05-valid-passenger.png",
            "06-expired.png", "07-revoked.png", "08-forged.png", "09-empty.png", "10-hc1-vaccination.png");
    /** One forehead temperature per vehicle, in the order the demo frames show them: the third runs a fever. */
    public static final String DEMO_READINGS = "36.6,36.7,38.4,36.5,36.9,36.4,36.7";

    private Simulation() {
    }

    /**
     * The demo site authority's key id. Its key pair is made afresh by {@link #unpackDemo} in the demo's folder, so no
     * private key ships in the jar (one there would sign deny lists for anyone who trusted its public half).
     */
    public static final String DEMO_SITE_KID = "demo-site";

    /** Unpacks the demo frames, trust store, site trust folder and deny list into {@code dir}; returns the frames. */
    public static Path unpackDemo(Path dir) throws IOException {
        Path frames = dir.resolve("frames");
        Path trust = dir.resolve("trust");
        Path siteTrust = dir.resolve("site-trust");
        Files.createDirectories(frames);
        Files.createDirectories(trust);
        Files.createDirectories(siteTrust);
        for (String f : DEMO_FRAMES) {
            copy(DEMO + "frames/" + f, frames.resolve(f));
        }
        copy(DEMO + "trust/demo1.pem", trust.resolve("demo1.pem"));
        copy(DEMO + "trust/demo-dsc.pem", trust.resolve("demo-dsc.pem"));
        writeDemoSiteKeys(dir);
        copy(DEMO + "denylist.txt", dir.resolve("denylist.txt"));
        return frames;
    }

    /**
     * Publishes the demo site's deny list ({@code denylist.json} in the jar), signed with the demo site key, retained
     * on the site topic, as the central side does with {@code kioskctl site sign}; returns the JWS.
     */
    public static String publishSignedDenyList(Path demoDir, String brokerUri, String topic) throws IOException {
        try {
            String jws = SiteJws.sign(demoSiteKey(demoDir), DEMO_SITE_KID, DenyListFeed.KIND, resource(DEMO + "denylist.json"));
            MqttClient central = new MqttClient(brokerUri, "demo-central-" + System.nanoTime(), new MemoryPersistence());
            central.connect(new MqttConnectionOptions());
            try {
                central.publish(topic, new MqttMessage(jws.getBytes(StandardCharsets.US_ASCII), 1, true, null));
            } finally {
                central.disconnect();
                central.close();
            }
            return jws;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the demo site key in " + demoDir + " is not an Ed25519 PKCS#8 key", e);
        } catch (MqttException e) {
            throw new IOException("cannot publish the demo deny list to " + brokerUri + ": " + e.getMessage(), e);
        }
    }

    /** A new demo site key pair: {@code site/demo-site.key} (PKCS#8 DER, owner-only) and {@code site-trust/demo-site.pem}. */
    private static void writeDemoSiteKeys(Path dir) throws IOException {
        KeyPair pair;
        try {
            pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519 (Java 15 and later have it)", e);
        }
        Path site = Files.createDirectories(dir.resolve("site"));
        Path key = site.resolve(DEMO_SITE_KID + ".key");
        Files.deleteIfExists(key);
        Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(key, pair.getPrivate().getEncoded());
        String pub = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Files.writeString(dir.resolve("site-trust").resolve(DEMO_SITE_KID + ".pem"), pub, StandardCharsets.US_ASCII);
    }

    private static PrivateKey demoSiteKey(Path demoDir) throws IOException, GeneralSecurityException {
        byte[] der = Files.readAllBytes(demoDir.resolve("site").resolve(DEMO_SITE_KID + ".key"));
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = Simulation.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("demo resource " + name + " is missing from the jar; rebuild with mvn package");
            }
            return in.readAllBytes();
        }
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = Simulation.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("demo resource " + resource + " is missing from the jar; rebuild with mvn package");
            }
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Brings up Mosquitto when installed (unless the embedded broker is asked for), else HiveMQ CE embedded. */
    public static LocalBroker startBroker(Path dir, PrintStream out, boolean embedded) throws IOException {
        if (!embedded && MosquittoProcess.binary().isPresent()) {
            return MosquittoProcess.start(dir.resolve("mosquitto"));
        }
        out.println(embedded ? "[demo] using HiveMQ CE embedded" : "[demo] mosquitto is not installed; using HiveMQ CE embedded");
        return HiveMqBroker.start(dir.resolve("hivemq"));
    }

    /** Writes the demo kiosk's config file without a site authority (every deny list from the broker refused). */
    public static Path writeConfig(Path dir, String brokerUri, Path frames, Optional<Path> trustDir,
                                   Optional<Path> denylist, String readings, double fps, int hold, boolean loop)
            throws IOException {
        return writeConfig(dir, brokerUri, frames, trustDir, denylist, Optional.empty(), readings, fps, hold, loop);
    }

    /** Writes the demo kiosk's config file; every key is one a technician would write. */
    public static Path writeConfig(Path dir, String brokerUri, Path frames, Optional<Path> trustDir,
                                   Optional<Path> denylist, Optional<Path> siteTrustDir, String readings, double fps,
                                   int hold, boolean loop)
            throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# written by kiosk/bin/demo\n");
        sb.append("kiosk.id=demo-kiosk\nkiosk.site=demo-site\nkiosk.lane=lane1\n");
        sb.append("mqtt.uris=").append(brokerUri).append('\n');
        sb.append("mqtt.reconnect.max.seconds=5\n");
        sb.append("store.path=").append(dir.resolve("events.db")).append('\n');
        sb.append("camera.source=files\n");
        sb.append("camera.files.dir=").append(frames.toAbsolutePath()).append('\n');
        sb.append("camera.files.fps=").append(fps).append('\n');
        sb.append("camera.files.hold=").append(hold).append('\n');
        sb.append("camera.files.loop=").append(loop).append('\n');
        sb.append("thermometer.type=sim\n");
        sb.append("thermometer.sim.readings=").append(readings).append('\n');
        if (trustDir.isPresent()) {
            sb.append("pass.mode=verify\npass.trust.dir=").append(trustDir.get().toAbsolutePath()).append('\n');
        } else {
            // Record mode publishes a salted hash of each code; the demo makes a throwaway salt of its own.
            Path salt = dir.resolve("salt");
            if (!Files.exists(salt)) {
                byte[] bytes = new byte[32];
                new java.security.SecureRandom().nextBytes(bytes);
                Files.writeString(salt, java.util.HexFormat.of().formatHex(bytes) + "\n");
            }
            sb.append("pass.mode=record\npass.hash.salt.file=").append(salt.toAbsolutePath()).append('\n');
        }
        denylist.ifPresent(d -> sb.append("pass.denylist.file=").append(d.toAbsolutePath()).append('\n'));
        siteTrustDir.ifPresent(d -> sb.append("site.trust.dir=").append(d.toAbsolutePath()).append('\n'));
        sb.append("lane.signal.ms=300\n");
        Path config = dir.resolve("kiosk.properties");
        Files.writeString(config, sb.toString(), StandardCharsets.UTF_8);
        return config;
    }
}
