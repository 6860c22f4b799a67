package ckp.kiosk;

import ckp.kiosk.fixtures.TestCa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.fixtures.KioskConfigFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken TLS files are a configuration error: exit 78 (systemd does not restart), and the message names the key. */
class BadTlsConfigTest {
    @TempDir
    Path dir;

    @Test
    void aKeyFileWithoutAKeyExits78NamingMqttTlsKey() throws Exception {
        TestCa ca = TestCa.create(dir.resolve("ca"), "test-ca");
        Path[] kiosk = ca.issue("k1", null);
        Path junkKey = dir.resolve("junk.key");
        Files.writeString(junkKey, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        Path config = KioskConfigFile.write(dir, "ssl://127.0.0.1:8883", KioskConfigFile.frames(dir), Optional.empty(),
                Optional.empty(), "36.6", 10, 1, false);
        Files.writeString(config, "mqtt.tls.ca=" + ca.cert + "\nmqtt.tls.cert=" + kiosk[0] + "\nmqtt.tls.key=" + junkKey
                + "\n", java.nio.file.StandardOpenOption.APPEND);

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.runService(config, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), true);
        assertEquals(ConfigException.EXIT_STATUS, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("mqtt.tls.key"), err.toString(StandardCharsets.UTF_8));
        assertTrue(!Files.exists(dir.resolve("events.db")), "nothing opened before the config is known good");
    }
}
