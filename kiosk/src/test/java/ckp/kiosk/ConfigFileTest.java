package ckp.kiosk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ckp.kiosk.config.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The config file as bytes on disk, written by a careless operator or a hostile tester: duplicate keys, a byte order
 * mark, full-width digits, invalid UTF-8, files that cannot be read, a store or camera folder that cannot work. Each
 * stops the start with exit 78 and a message naming the key (or the file and line).
 */
class ConfigFileTest {

    @TempDir
    Path dir;

    private String good;

    @BeforeEach
    void aValidConfig() throws IOException {
        Files.createDirectories(dir.resolve("frames"));
        Files.write(dir.resolve("frames/a.png"), onePixelPng());
        Files.createDirectories(dir.resolve("trust"));
        good = """
                # a kiosk
                ! also a comment
                kiosk.id = k1
                kiosk.site: s1
                kiosk.lane   l1
                mqtt.uris=tcp://127.0.0.1:1
                store.path=%s
                camera.source=files
                camera.files.dir=frames
                thermometer.type=sim
                pass.trust.dir=trust
                camera.files.loop=false
                shutdown.drain.seconds=0
                """.formatted(dir.resolve("data/events.db"));
    }

    private static byte[] onePixelPng() throws IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private record Outcome(int status, String message) {
    }

    private Outcome start(byte[] file) throws IOException {
        Path config = Files.write(dir.resolve("kiosk.properties"), file);
        return start(config);
    }

    private Outcome start(Path config) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.runService(config, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), true);
        return new Outcome(status, err.toString(StandardCharsets.UTF_8));
    }

    private void assertRefused(Outcome o, String... named) {
        assertEquals(ConfigException.EXIT_STATUS, o.status(), o.message());
        for (String n : named) {
            assertTrue(o.message().contains(n), "the message names " + n + ": " + o.message());
        }
    }

    @Test
    void theBaseConfigWithEachSeparatorAndBothCommentsIsValid() throws Exception {
        KioskConfig c = KioskConfig.load(Files.writeString(dir.resolve("kiosk.properties"), good));
        assertEquals("k1", c.kiosk().id());
        assertEquals("s1", c.kiosk().site());
        assertEquals("l1", c.kiosk().lane());
    }

    @Test
    void aKeySetTwiceIsRefusedNamingTheKeyAndBothLines() throws Exception {
        assertRefused(start((good + "kiosk.id=P2\n").getBytes(StandardCharsets.UTF_8)),
                "kiosk.id", "line 3", "line 14");
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstKey() throws Exception {
        String withIdFirst = "kiosk.id=k1\n" + good.replace("kiosk.id = k1\n", "");
        byte[] text = withIdFirst.getBytes(StandardCharsets.UTF_8);
        byte[] bom = new byte[text.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, bom, 3, text.length);
        KioskConfig c = KioskConfig.load(Files.write(dir.resolve("kiosk.properties"), bom));
        assertEquals("k1", c.kiosk().id());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "camera.files.hold          | １０",
        "camera.files.fps           | ５",
        "mqtt.keepalive.seconds     | ٣٠",
        "thermometer.i2c.bus        | １",
        "screening.window.ms        | 1e3",
        "camera.files.fps           | 10d",
        "camera.files.fps           | 0x1p3",
        "mqtt.uris                  | tcp://127.0.0.1:99999",
        "mqtt.uris                  | tcp://127.0.0.1:0",
        "mqtt.uris                  | tcp://127.0.0.1:１８８３",
        "mqtt.uris                  | tcp://user@127.0.0.1:1883",
        "mqtt.uris                  | tcp://127.0.0.1:1883/path",
        "mqtt.uris                  | tcp://127.0.0.1:1883?x=1",
    })
    void numbersAndPortsOutsideAsciiOrRangeAreRefusedNamingTheKey(String key, String value) throws Exception {
        assertRefused(start((good + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8)), key);
    }

    @Test
    void invalidUtf8IsRefusedWithItsLine() throws Exception {
        byte[] latin1 = (good.replace("kiosk.site: s1\n", "") + "kiosk.site=caf\u00e9\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertRefused(start(latin1), "kiosk.properties", "line 13", "UTF-8");
    }

    @Test
    void aMissingConfigFileIsRefusedWithTheCause() {
        Outcome o = start(dir.resolve("nothing-here.properties"));
        assertRefused(o, "nothing-here.properties", "no such file");
    }

    @Test
    void aFolderGivenAsTheConfigFileIsRefusedWithTheCause() throws IOException {
        Files.createDirectories(dir.resolve("conf.d"));
        assertRefused(start(dir.resolve("conf.d")), "conf.d", "is a folder");
    }

    @Test
    void aStorePathThatIsAFolderIsRefusedNamingTheKey() throws Exception {
        Files.createDirectories(dir.resolve("data/events.db"));
        assertRefused(start(good.getBytes(StandardCharsets.UTF_8)), "store.path", "folder");
    }

    @Test
    void aStorePathOnAReadOnlyFileSystemIsRefusedNamingTheKey() throws Exception {
        Path ro = dir.resolve("ro");
        Files.createDirectories(ro);
        run("mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", ro.toString());
        try {
            assertRefused(start(good.replace(dir.resolve("data/events.db").toString(), ro.resolve("events.db").toString())
                    .getBytes(StandardCharsets.UTF_8)), "store.path", "writ");
        } finally {
            run("umount", ro.toString());
        }
    }

    @Test
    void aCameraFolderWithNoImagesIsRefusedNamingTheKey() throws Exception {
        Files.delete(dir.resolve("frames/a.png"));
        assertRefused(start(good.getBytes(StandardCharsets.UTF_8)), "camera.files.dir");
    }

    @Test
    void aCameraFolderThatIsAFileIsRefusedNamingTheKey() throws Exception {
        Files.writeString(dir.resolve("not-a-folder"), "x");
        assertRefused(start(good.replace("camera.files.dir=frames", "camera.files.dir=not-a-folder")
                .getBytes(StandardCharsets.UTF_8)), "camera.files.dir");
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", command) + " failed (this test needs root to mount a tmpfs): " + output);
        }
    }
}
