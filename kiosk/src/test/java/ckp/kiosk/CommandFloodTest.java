package ckp.kiosk;

import ckp.kiosk.fixtures.Await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.KioskEndToEndTest.KioskProcess;
import ckp.kiosk.fixtures.Mqtt;
import ckp.kiosk.fixtures.QrFrames;
import ckp.kiosk.fixtures.TestIssuer;
import ckp.kiosk.fixtures.TestSiteAuthority;
import ckp.kiosk.fixtures.MosquittoBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 1: a flood of commands must not cost the site's deny list. {@code kiosk run} in a child process, a
 * real Mosquitto, 5,000 QoS 0 {@code trust} commands with a signed retained deny list published in the middle, while
 * the first trust reload hangs on a key file that does not answer (a FIFO standing in for a stuck SD card or network
 * mount): the list comes into force all the same (the pass it revokes is stopped), each command does not log a line,
 * and drop warnings are few and name their topic.
 */
class CommandFloodTest {
    private static final String BASE = "ckp/v1/site-f/lane-1/k-flood";
    private static final int COMMANDS = 5_000;

    @TempDir
    Path dir;

    @Test
    void aSignedDenyListPublishedInTheMiddleOfACommandFloodComesIntoForce() throws Exception {
        TestIssuer issuer = new TestIssuer("f1");
        Path trust = dir.resolve("trust");
        issuer.writePublicKey(trust);
        // A site with several issuers: each trust command re-reads them all, as a real reload does.
        for (int i = 0; i < 20; i++) {
            new TestIssuer("extra" + i).writePublicKey(trust);
        }
        TestSiteAuthority site = new TestSiteAuthority("central");
        site.writePublicKey(dir.resolve("site-trust"));
        Path frames = Files.createDirectories(dir.resolve("frames"));
        QrFrames.write(frames.resolve("00.png"), issuer.validPass("FLOOD-REVOKED", null));
        for (int i = 1; i <= 12; i++) {
            QrFrames.write(frames.resolve(String.format("%02d.png", i)), null);
        }

        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"), List.of());
             Mqtt central = Mqtt.subscribe(broker.uri(), BASE + "/event")) {
            Path config = Files.writeString(dir.resolve("kiosk.properties"), String.join("\n",
                    "kiosk.id=k-flood", "kiosk.site=site-f", "kiosk.lane=lane-1", "mqtt.uris=" + broker.uri(),
                    "mqtt.reconnect.max.seconds=2",
                    "store.path=events.db", "camera.source=files", "camera.files.dir=frames",
                    "camera.files.fps=10", "camera.files.hold=1", "camera.files.loop=true", "scan.repeat.seconds=1",
                    "thermometer.type=sim", "thermometer.sim.readings=36.6", "pass.trust.dir=trust",
                    "site.trust.dir=site-trust", "lane.signal.ms=0", "shutdown.drain.seconds=5", ""));
            Process kiosk = KioskProcess.start(dir, "run", "--config", config.toString(), "--assume-clock-synced");
            try {
                List<Mqtt.Received> before = central.await(r -> true, 1, Await.GENEROUS);
                assertFalse(before.isEmpty(), "the kiosk runs and sees the pass; its output:\n"
                        + KioskProcess.output(dir));
                assertEquals("valid", before.getFirst().json().path("pass").path("result").asText());

                // From now on a trust reload blocks reading this file until the test writes to it.
                Path stuck = trust.resolve("stuck.pem");
                Process mkfifo = new ProcessBuilder("mkfifo", stuck.toString()).inheritIO().start();
                assertEquals(0, mkfifo.waitFor(), "mkfifo");
                MqttClient operator = new MqttClient(broker.uri(), "flooder", new MemoryPersistence());
                operator.connect(new MqttConnectionOptions());
                try {
                    byte[] request = "{}".getBytes(StandardCharsets.UTF_8);
                    for (int i = 0; i < COMMANDS; i++) {
                        if (i == COMMANDS / 2) {
                            operator.publish("ckp/v1/site-f/denylist", new MqttMessage(
                                    site.signedBytes("{\"version\":301,\"ids\":[\"FLOOD-REVOKED\"]}"), 1, true, null));
                        }
                        publishQos0(operator, BASE + "/cmd/trust", request);
                    }
                } finally {
                    operator.disconnect();
                    operator.close();
                }

                List<Mqtt.Received> revoked = central.await(r -> r.json().path("pass").path("result").asText()
                        .equals("revoked"), 1, Await.GENEROUS);
                assertFalse(revoked.isEmpty(), "the deny list published during the flood is in force; output:\n"
                        + tail(KioskProcess.output(dir)));
                assertEquals(301, revoked.getFirst().json().path("pass").path("denylistVersion").asInt());
                assertEquals("stop", revoked.getFirst().json().path("decision").asText());

                // Release the hung reload: open the FIFO (the kiosk waits on it), unlink it so no later reload
                // finds it, then give the kiosk a line of junk to read.
                try (java.io.FileOutputStream release = new java.io.FileOutputStream(stuck.toFile())) {
                    Files.delete(stuck);
                    release.write("not a key\n".getBytes(StandardCharsets.US_ASCII));
                }
            } finally {
                kiosk.destroy();
                assertTrue(kiosk.waitFor(Await.GENEROUS.toSeconds(), TimeUnit.SECONDS), "the kiosk stops on SIGTERM");
            }
            List<String> lines = KioskProcess.output(dir).lines().toList();
            List<String> drops = lines.stream().filter(l -> l.contains("dropped")).toList();
            assertTrue(drops.size() <= 20, "drop warnings are summed up, not one per message: " + drops.size()
                    + " lines, e.g. " + drops.stream().limit(3).toList());
            for (String d : drops) {
                assertTrue(d.contains(BASE + "/cmd/trust") || !d.contains("WARN"), "a drop warning names its topic: "
                        + d);
            }
            assertFalse(drops.stream().anyMatch(l -> l.contains("denylist")), "the deny list is never dropped: "
                    + drops);
            long trustLines = lines.stream().filter(l -> l.contains("[pass]") && l.contains("trust")).count();
            assertTrue(trustLines <= 10, "a trust command that changes nothing logs nothing (start, and the stuck file "
                    + "appearing and going, log a few): " + trustLines
                    + " lines");
        }
    }

    /** QoS 0 as fast as the client takes it; a full client queue is waited out, not counted as sent. */
    private static void publishQos0(MqttClient client, String topic, byte[] payload) throws Exception {
        while (true) {
            try {
                client.publish(topic, payload, 0, false);
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                    throw e;
                }
                Thread.onSpinWait();
            }
        }
    }

    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
