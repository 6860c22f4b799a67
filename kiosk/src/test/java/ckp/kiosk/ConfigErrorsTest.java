package ckp.kiosk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.config.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad configuration stops the start with exit status 78 and a message that names the key. */
class ConfigErrorsTest {

    @TempDir
    Path dir;

    private Map<String, String> good;

    @BeforeEach
    void aValidConfig() throws Exception {
        Files.createDirectories(dir.resolve("frames"));
        Files.createDirectories(dir.resolve("trust"));
        good = new LinkedHashMap<>();
        good.put("kiosk.id", "k1");
        good.put("kiosk.site", "s1");
        good.put("kiosk.lane", "l1");
        good.put("mqtt.uris", "tcp://127.0.0.1:1");
        good.put("store.path", dir.resolve("events.db").toString());
        good.put("camera.source", "files");
        good.put("camera.files.dir", "frames");
        good.put("thermometer.type", "sim");
        good.put("pass.trust.dir", "trust");
    }

    private Path write(Map<String, String> values) throws Exception {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return Files.writeString(dir.resolve("kiosk.properties"), sb.toString(), StandardCharsets.UTF_8);
    }

    @Test
    void theBaseConfigOfTheseTestsIsValid() throws Exception {
        KioskConfig c = KioskConfig.load(write(good));
        assertEquals("k1", c.kiosk().id());
        assertEquals("ckp/v1", c.mqtt().topicPrefix(), "the documented default prefix");
        assertEquals(3730, c.screening().feverCentiCelsius(), "the documented default fever threshold");
    }

    @ParameterizedTest(name = "{0}={1} -> names {2}")
    @CsvSource(delimiter = '|', nullValues = "<removed>", value = {
        // a missing required key
        "kiosk.id            | <removed>              | kiosk.id",
        "mqtt.uris           | <removed>              | mqtt.uris",
        "camera.source       | <removed>              | camera.source",
        "thermometer.type    | <removed>              | thermometer.type",
        // bad values
        "kiosk.site          | site/with/slashes      | kiosk.site",
        "mqtt.uris           | http://broker:80       | mqtt.uris",
        "mqtt.uris           | tcp://no-port          | mqtt.uris",
        "mqtt.uris           | ssl://broker:8883      | mqtt.tls.ca",
        "mqtt.tls.cert       | missing.pem            | mqtt.tls.cert",
        "mqtt.reconnect.max.seconds | 0               | mqtt.reconnect.max.seconds",
        "camera.source       | webcam                 | camera.source",
        "camera.files.dir    | no-such-folder         | camera.files.dir",
        "camera.files.fps    | fast                   | camera.files.fps",
        "camera.files.loop   | yes                    | camera.files.loop",
        "thermometer.type    | infrared               | thermometer.type",
        "thermometer.sim.readings | 36.6,hot          | thermometer.sim.readings",
        "screening.fever.celsius | 37.25              | screening.fever.celsius",
        "screening.fever.celsius | 41                 | screening.fever.celsius",
        "pass.mode           | trust-everyone         | pass.mode",
        "pass.trust.dir      | no-such-folder         | pass.trust.dir",
        "pass.denylist.file  | no-such-file.txt       | pass.denylist.file",
        "store.retention.hours | -1                   | store.retention.hours",
        "rules.file          | no-such-rules.json     | rules.file",
        // an unknown (misspelt) key
        "mqtt.uri            | tcp://127.0.0.1:1      | mqtt.uri",
    })
    void aBadConfigExits78NamingTheKey(String key, String value, String namedKey) throws Exception {
        Map<String, String> values = new LinkedHashMap<>(good);
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.runService(write(values), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), true);
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(ConfigException.EXIT_STATUS, status, message);
        assertTrue(message.contains(namedKey), "the message names " + namedKey + ": " + message);
    }

    @Test
    void aRulesFileThatIsNotARulesDocumentExits78NamingTheKeyAndTheProblem() throws Exception {
        Files.writeString(dir.resolve("rules.json"), "{\"version\":1,\"plateWatch\":[{\"prefix\":\"港\","
                + "\"decision\":\"stop\"}]}", StandardCharsets.UTF_8);
        Map<String, String> values = new LinkedHashMap<>(good);
        values.put("rules.file", dir.resolve("rules.json").toString());
        ckp.kiosk.fixtures.QrFrames.write(dir.resolve("frames").resolve("00.png"), null);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.runService(write(values), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), true);
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(ConfigException.EXIT_STATUS, status, message);
        assertTrue(message.contains("rules.file") && message.contains("province"), message);
    }

    @Test
    void aMisspeltKeyIsAnsweredWithTheNearestRealOne() throws Exception {
        Map<String, String> values = new LinkedHashMap<>(good);
        values.put("screening.fevr.celsius", "37.5");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.runService(write(values), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), true);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("did you mean 'screening.fever.celsius'"), err.toString());
    }

    @Test
    void theRealProcessExitsWithStatus78() throws Exception {
        Map<String, String> values = new LinkedHashMap<>(good);
        values.put("camera.files.hold", "0");
        Path config = write(values);
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "ckp.kiosk.Main", "run", "--config", config.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(78, p.exitValue(), out);
        assertTrue(out.contains("camera.files.hold") && out.contains("'0'") && out.contains("1 to 1000"), out);
    }
}
