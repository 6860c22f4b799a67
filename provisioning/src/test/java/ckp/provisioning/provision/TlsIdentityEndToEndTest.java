package ckp.provisioning.provision;

import ckp.kiosk.fixtures.Await;
import ckp.kiosk.fixtures.TestCa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ckp.kiosk.Devices;
import ckp.kiosk.Kiosk;
import ckp.kiosk.KioskConfig;
import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.publish.BrokerLink;
import ckp.kiosk.publish.InboundMessage;
import ckp.kiosk.publish.OutgoingMessage;
import ckp.kiosk.publish.PahoBrokerLink;
import ckp.kiosk.publish.TlsContexts;
import ckp.kiosk.fixtures.MosquittoBroker;
import ckp.kiosk.fixtures.KioskConfigFile;
import ckp.provisioning.KioskCtl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The fleet's TLS identity end to end: {@code kioskctl provision} makes the key and CSR, a CA signs it, the kiosk
 * publishes to a Mosquitto that requires client certificates and takes the CN as the user name, and its ACL keeps
 * every kiosk inside its own topics.
 */
class TlsIdentityEndToEndTest {
    private static final String KIOSK = "k-test-01";

    @TempDir
    Path dir;

    @Test
    void aProvisionedKioskPublishesUnderItsOwnTopicsAndAnotherIdentityCannot() throws Exception {
        assumeTrue(MosquittoBroker.binary().isPresent(), "mosquitto is not installed");
        TestCa ca = TestCa.create(dir.resolve("ca"), "fleet-ca");
        Path[] broker = ca.issue("broker", "IP:127.0.0.1,DNS:localhost");
        Path[] central = ca.issue("central", null);
        Path acl = dir.resolve("acl");
        Files.writeString(acl, """
                pattern write ckp/v1/+/+/%u/#
                user central
                topic read ckp/#
                """);
        int tlsPort = MosquittoBroker.freePort();
        Path brokerDir = dir.resolve("broker");
        Files.createDirectories(brokerDir);
        // Mosquitto started as root drops to its own user: it must be able to read the files it is given.
        for (Path p : List.of(dir, ca.dir, brokerDir, broker[0], broker[1], ca.cert, acl)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
        }
        String uri = "ssl://127.0.0.1:" + tlsPort;
        try (MosquittoBroker b = MosquittoBroker.start(brokerDir, List.of(
                "listener " + tlsPort + " 127.0.0.1",
                "cafile " + ca.cert, "certfile " + broker[0], "keyfile " + broker[1],
                "require_certificate true", "use_identity_as_username true", "tls_version tlsv1.2",
                "acl_file " + acl))) {
            Path configDir = dir.resolve("etc");
            Path work = dir.resolve("work");
            Files.createDirectories(configDir);
            Files.createDirectories(work);
            Path frames = KioskConfigFile.frames(work);
            Path base = KioskConfigFile.write(work, uri, frames, Optional.empty(), Optional.empty(),
                    "36.6,36.7", 20, 2, false);
            Files.copy(base, configDir.resolve("kiosk.properties"));

            // First run: key and CSR, no certificate yet.
            String first = kioskctl("provision", "--config-dir", configDir.toString(), "--state-dir", work.toString(),
                    "--site", "s1", "--lane", "l1", "--kiosk-id", KIOSK, "--broker", uri, "--ca", ca.cert.toString(),
                    "--site-key", siteKey(dir.resolve("central")).toString());
            Path key = configDir.resolve("tls/kiosk.key");
            Path csr = configDir.resolve("tls/kiosk.csr");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)), first);
            assertTrue(first.contains("no certificate yet"), first);
            assertTrue(TestCa.openssl(dir, "req", "-in", csr.toString(), "-noout", "-subject").contains("CN = " + KIOSK)
                    || TestCa.openssl(dir, "req", "-in", csr.toString(), "-noout", "-subject").contains("CN=" + KIOSK));
            assertFalse(Files.readString(configDir.resolve("kiosk.properties")).contains(KIOSK),
                    "kiosk.properties waits for the certificate: its existence lets the service start");
            String keyBefore = Files.readString(key);

            // The fleet CA signs the CSR; the second run installs it, writes and validates the config.
            Path signed = ca.sign(csr, KIOSK, null);
            String second = kioskctl("provision", "--config-dir", configDir.toString(), "--cert", signed.toString());
            assertTrue(second.contains("wrote and validated"), second);
            assertFalse(Files.exists(configDir.resolve("provision.pending")));
            assertEquals(keyBefore, Files.readString(key), "a second run must keep the key the CSR was made for");
            assertTrue(second.contains("keeping site authority key(s) [central-1]"), second);
            assertEquals(configDir.resolve("site-trust").toString(),
                    KioskConfig.load(configDir.resolve("kiosk.properties")).site().trustDir().orElseThrow().toString());

            List<String> seen = new CopyOnWriteArrayList<>();
            MqttClient subscriber = subscriber(uri, ca, central);
            try {
                // Paho 1.2.5's subscribe(filter, qos, listener) recurses forever: use the client callback instead.
                subscriber.setCallback(new Collector(seen));
                subscriber.subscribe("ckp/#", 1);
                KioskConfig config = KioskConfig.load(configDir.resolve("kiosk.properties"));
                assertEquals(KIOSK, config.kiosk().id());
                int status;
                try (Kiosk kiosk = new Kiosk(config, Devices.from(config, new PrintStream(new java.io.ByteArrayOutputStream())),
                        ClockStatus.system(true))) {
                    status = kiosk.run();
                    assertEquals(0, kiosk.store().undeliveredCount(), "every event acknowledged over TLS");
                }
                assertEquals(0, status);
                String events = "ckp/v1/s1/l1/" + KIOSK + "/event";
                Await.until("events reach the independent subscriber: " + seen,
                        () -> seen.stream().anyMatch(m -> m.startsWith(events + " ")));

                // Another kiosk, with a valid certificate and a PKCS#8 key made by hand, tries this kiosk's topic.
                Path otherKey = ca.dir.resolve("k-other.key");
                TestCa.openssl(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
                        otherKey.toString());
                Path otherCsr = ca.dir.resolve("k-other.csr");
                TestCa.openssl(dir, "req", "-new", "-key", otherKey.toString(), "-subj", "/CN=k-other", "-out", otherCsr.toString());
                Path otherCert = ca.sign(otherCsr, "k-other", null);
                try (PahoBrokerLink other = new PahoBrokerLink("k-other", Optional.empty(), Optional.empty(),
                        Optional.of(TlsContexts.socketFactory(ca.cert, Optional.of(otherCert), Optional.of(otherKey))), 30)) {
                    other.connect(URI.create(uri), "ckp/v1/s1/l2/k-other/status", "{}".getBytes(), new BrokerLink.Listener() {
                        @Override
                        public void connectionLost(String why) {
                        }

                        @Override
                        public void messageArrived(InboundMessage message) {
                        }
                    });
                    CompletableFuture<Integer> forged = new CompletableFuture<>();
                    other.publish(OutgoingMessage.qos1("ckp/v1/s1/l1/" + KIOSK + "/event", "{\"forged\":true}".getBytes(), false),
                            forged::complete);
                    CompletableFuture<Integer> own = new CompletableFuture<>();
                    other.publish(OutgoingMessage.qos1("ckp/v1/s1/l2/k-other/event", "{}".getBytes(), false), own::complete);
                    assertEquals(0x87, forged.get(10, TimeUnit.SECONDS), "PUBACK: not authorized");
                    assertTrue(own.get(10, TimeUnit.SECONDS) < 0x80, "its own topics are fine");
                }
                // Sent after the forged one on the same connection: once it is here, the forged one would be too.
                Await.until("the other kiosk's own event arrives",
                        () -> seen.stream().anyMatch(m -> m.startsWith("ckp/v1/s1/l2/k-other/event ")));
                assertFalse(seen.stream().anyMatch(m -> m.contains("forged")), "the forged event never arrives");

                // The technician's checks on the provisioned kiosk: the broker over TLS and a test event pass, the
                // hardware this machine lacks is reported as skipped, not passed.
                String configFile = configDir.resolve("kiosk.properties").toString();
                String selftest = kioskctl("selftest", "--config", configFile, "--dev", dir.resolve("no-dev").toString());
                assertTrue(selftest.contains("selftest PASSED"), selftest);
                assertTrue(selftest.lines().anyMatch(l -> l.matches("broker\\s+PASS\\s+ssl://127.0.0.1:\\d+ over TLS")), selftest);
                assertTrue(selftest.lines().anyMatch(l -> l.matches("test event\\s+PASS .*acknowledged")), selftest);
                assertTrue(selftest.lines().anyMatch(l -> l.matches("i2c bus\\s+SKIP .*not present.*")), selftest);
                assertTrue(selftest.lines().anyMatch(l -> l.matches("thermometer\\s+SKIP .*simulated.*")), selftest);
                assertTrue(selftest.contains("(exit 0)"), selftest);
                String shown = kioskctl("status", "--config", configFile);
                assertTrue(shown.contains("kiosk:      " + KIOSK + " at s1/l1"), shown);
                assertTrue(shown.contains("queue:      0 undelivered"), shown);
                assertTrue(shown.contains("last acknowledgement"), shown);
                assertTrue(shown.lines().anyMatch(l -> l.matches("  seq \\d+ .* delivered .*")), shown);
                // No payloads: no payload words, and no number outside a time of day equals a temperature the
                // kiosk recorded (a bare "36." would also match a timestamp whose second is 36).
                assertFalse(shown.contains("celsius") || shown.contains("temperature") || shown.contains("\"pass\""),
                        "no payloads (temperatures, pass data) in status: " + shown);
                List<Double> recorded = recordedCelsius(seen, events);
                assertFalse(recorded.isEmpty(), "the kiosk recorded temperatures: " + seen);
                List<Double> printed = numbersOutsideTimes(shown);
                assertTrue(printed.stream().noneMatch(recorded::contains),
                        "no recorded temperature " + recorded + " in status: " + shown);
            } finally {
                subscriber.disconnect();
                subscriber.close();
            }
            b.close();
            String down = kioskctl("selftest", "--config", configDir.resolve("kiosk.properties").toString(),
                    "--dev", dir.resolve("no-dev").toString());
            assertTrue(down.lines().anyMatch(l -> l.matches("broker\\s+FAIL .*")), down);
            assertTrue(down.contains("selftest FAILED") && down.contains("(exit 1)"), down);
        }
    }

    @Test
    void provisionWithoutACaSaysWhatToDo() throws Exception {
        String out = kioskctl("provision", "--config-dir", dir.resolve("etc").toString(), "--site", "s1", "--lane", "l1",
                "--kiosk-id", KIOSK, "--broker", "ssl://127.0.0.1:8883");
        assertTrue(out.contains("FAILED: no broker CA given"), out);
        assertTrue(out.contains("what to do: pass --ca FILE"), out);
    }

    @Test
    void provisionWithoutASiteAuthorityKeySaysWhatToDo() throws Exception {
        String out = kioskctl("provision", "--config-dir", dir.resolve("etc-nosite").toString(), "--site", "s1",
                "--lane", "l1", "--kiosk-id", KIOSK, "--broker", "ssl://127.0.0.1:8883", "--ca", caPem().toString());
        assertTrue(out.contains("FAILED: no site authority key given"), out);
        assertTrue(out.contains("what to do: pass --site-key KID.pem"), out);
        assertFalse(Files.exists(dir.resolve("etc-nosite/tls/kiosk.key")), "nothing made past the failed step");
    }

    @Test
    void aPrivateKeyGivenAsTheSiteKeyIsRefused() throws Exception {
        Path pub = siteKey(dir.resolve("central-wrong"));
        Path priv = pub.resolveSibling("central-1.key");
        Path misnamed = Files.copy(priv, pub.resolveSibling("central-2.pem"));
        String out = kioskctl("provision", "--config-dir", dir.resolve("etc-badsite").toString(), "--site", "s1",
                "--lane", "l1", "--kiosk-id", KIOSK, "--broker", "ssl://127.0.0.1:8883", "--ca", caPem().toString(),
                "--site-key", misnamed.toString());
        assertTrue(out.contains("is not an Ed25519 PUBLIC KEY PEM"), out);
        assertTrue(out.contains("never the private <kid>.key"), out);
    }

    /** A site authority key pair made by {@code kioskctl site keygen}; returns the public {@code central-1.pem}. */
    private Path siteKey(Path folder) throws Exception {
        Files.createDirectories(folder);
        String out = kioskctl("site", "keygen", "--kid", "central-1", "--dir", folder.toString());
        Path pem = folder.resolve("central-1.pem");
        assertTrue(Files.exists(pem), out);
        return pem;
    }

    private Path caPem() throws Exception {
        return TestCa.create(dir.resolve("ca-" + System.nanoTime()), "other-ca").cert;
    }

    @Test
    void provisionKeepsAnExistingSec1KeyConvertedToPkcs8SoTheKioskCanReadIt() throws Exception {
        Path etc = dir.resolve("etc-sec1");
        Path key = etc.resolve("tls/kiosk.key");
        Files.createDirectories(key.getParent());
        Files.createDirectories(dir.resolve("work-sec1"));
        TestCa.openssl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString());
        assertTrue(Files.readString(key).contains("BEGIN EC PRIVATE KEY"));
        String publicBefore = TestCa.openssl(dir, "pkey", "-in", key.toString(), "-pubout");
        String out = kioskctl("provision", "--config-dir", etc.toString(), "--state-dir", dir.resolve("work-sec1")
                .toString(), "--site", "s1", "--lane", "l1", "--kiosk-id", KIOSK, "--broker", "ssl://127.0.0.1:8883",
                "--ca", caPem().toString(), "--site-key", siteKey(dir.resolve("central-sec1")).toString());
        assertTrue(out.contains("converted the existing key " + key + " to PKCS#8"), out);
        assertTrue(out.contains("keeping the existing key"), out);
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"), Files.readString(key));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals(publicBefore, TestCa.openssl(dir, "pkey", "-in", key.toString(), "-pubout"), "the same key");
        assertEquals("EC", TlsContexts.privateKey(key).getAlgorithm());
    }

    @Test
    void aPlainTcpBrokerIsRefusedAtProvisioning() throws Exception {
        String out = kioskctl("provision", "--config-dir", dir.resolve("etc").toString(), "--site", "s1", "--lane", "l1",
                "--kiosk-id", KIOSK, "--broker", "tcp://127.0.0.1:1883");
        assertTrue(out.contains("is not ssl://host:port"), out);
    }

    private static String kioskctl(String... args) {
        StringWriter sw = new StringWriter();
        CommandLine cl = KioskCtl.commandLine();
        cl.setOut(new PrintWriter(sw, true));
        cl.setErr(new PrintWriter(sw, true));
        int status = cl.execute(args);
        return sw + "\n(exit " + status + ")";
    }

    /** Records "topic payload" of every message the independent subscriber receives. */
    private record Collector(List<String> seen) implements org.eclipse.paho.mqttv5.client.MqttCallback {
        @Override
        public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
            seen.add(topic + " " + new String(message.getPayload()));
        }

        @Override
        public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) {
        }

        @Override
        public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException e) {
        }

        @Override
        public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
        }

        @Override
        public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) {
        }
    }

    private static MqttClient subscriber(String uri, TestCa ca, Path[] identity) throws Exception {
        MqttClient c = new MqttClient(uri, "central-test", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setSocketFactory(TlsContexts.socketFactory(ca.cert, Optional.of(identity[0]), Optional.of(identity[1])));
        o.setHttpsHostnameVerificationEnabled(true);
        c.connect(o);
        return c;
    }

    /** The temperatures in the events the subscriber received on {@code topic}, as recorded (e.g. 36.61). */
    static List<Double> recordedCelsius(List<String> seen, String topic) throws Exception {
        List<Double> celsius = new ArrayList<>();
        for (String m : seen) {
            if (m.startsWith(topic + " ")) {
                JsonNode t = new ObjectMapper().readTree(m.substring(topic.length() + 1)).path("temperature");
                if (t.path("celsius").isNumber()) {
                    celsius.add(t.path("celsius").asDouble());
                }
            }
        }
        return celsius;
    }

    /**
     * Every decimal number in {@code text} that is not part of a time of day: "12:00:36.623" holds no number here,
     * "36.61" and "queue 36.6" do.
     */
    static List<Double> numbersOutsideTimes(String text) {
        return Pattern.compile("(?<![\\d.:])\\d+\\.\\d+(?![\\d.:])").matcher(text).results()
                .map(r -> Double.valueOf(r.group())).toList();
    }

    @Test
    void theTemperatureCheckFindsATemperatureButNotATimestampsSecond() {
        assertEquals(List.of(36.61), numbersOutsideTimes("  seq 3  2026-11-30T01:55:36.623Z  delivered 36.61"));
        assertEquals(List.of(), numbersOutsideTimes("  seq 3  2026-11-30T01:55:36.623Z  delivered"));
        assertEquals(List.of(36.6), numbersOutsideTimes("celsius=36.6,"));
    }
}
