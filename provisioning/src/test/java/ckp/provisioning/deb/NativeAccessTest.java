package ckp.provisioning.deb;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On Java 24 and newer the JVM warns at every start when a library loads native code (sqlite-jdbc, JNA) without
 * native access granted. The service (java -jar, the manifest's Enable-Native-Access) and kioskctl (the Debian
 * launcher's -cp, the command-line flag) must start on such a JDK without that warning, which fills the journal
 * and becomes an error in a future release.
 */
class NativeAccessTest {
    private static final Path ROOT = Path.of(System.getProperty("ckp.root", ".."));
    private static final String WARNING = "restricted method";

    @Test
    void theServiceJarStartsOnJava24OrNewerWithoutARestrictedMethodWarning(@TempDir Path dir) throws Exception {
        Path config = config(dir);
        String out = run(List.of(java24().toString(), "-jar", kioskJar().toString(), "run", "--config",
                config.toString(), "--assume-clock-synced"), dir);
        assertTrue(out.contains("store open"), "SQLite was loaded: " + out);
        assertFalse(out.toLowerCase().contains(WARNING), out);
    }

    @Test
    void theKioskctlLauncherStartsOnJava24OrNewerWithoutARestrictedMethodWarning(@TempDir Path dir) throws Exception {
        // The launcher as installed, with /usr/share/checkpoint-kiosk pointing at this build.
        Path share = Files.createDirectories(dir.resolve("share"));
        Files.copy(ROOT.resolve("provisioning/src/deb/bin/find-java"), share.resolve("find-java"));
        Files.createSymbolicLink(share.resolve("kiosk.jar"), kioskJar().toAbsolutePath());
        // A folder on the class path works as a jar does: the classes this module's tests run against.
        Files.createSymbolicLink(share.resolve("provisioning.jar"),
                ROOT.resolve("provisioning/target/classes").toAbsolutePath());
        Path launcher = dir.resolve("kioskctl");
        Files.writeString(launcher, Files.readString(ROOT.resolve("provisioning/src/deb/bin/kioskctl"))
                .replace("/usr/share/checkpoint-kiosk/", share + "/"));
        Path config = config(dir);
        // status opens the store read-only with sqlite-jdbc, when there is one.
        ckp.kiosk.store.EventStore.open(dir.resolve("data/events.db")).close();
        String out = run(List.of("sh", launcher.toString(), "status", "--config", config.toString()), dir);
        assertTrue(out.contains("kiosk:") && out.contains("queue"), out);
        assertFalse(out.toLowerCase().contains(WARNING), out);
    }

    private static Path config(Path dir) throws IOException {
        Path frames = Files.createDirectories(dir.resolve("frames"));
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(32, 32,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        javax.imageio.ImageIO.write(img, "png", frames.resolve("a.png").toFile());
        Files.writeString(dir.resolve("salt"), "0123456789abcdef0123456789abcdef\n");
        return Files.writeString(dir.resolve("kiosk.properties"), """
                kiosk.id=k1
                kiosk.site=s1
                kiosk.lane=l1
                mqtt.uris=tcp://127.0.0.1:9
                store.path=%s
                camera.source=files
                camera.files.dir=frames
                camera.files.loop=false
                thermometer.type=sim
                pass.mode=record
                pass.hash.salt.file=salt
                shutdown.drain.seconds=0
                """.formatted(dir.resolve("data/events.db")));
    }

    private static Path kioskJar() {
        Path jar = ROOT.resolve("kiosk/target/kiosk.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is built by the kiosk module's package phase");
        return jar;
    }

    /** A java of version 24 or newer: this JVM's, or one under /usr/lib/jvm; the test fails without one. */
    private static Path java24() throws IOException {
        if (Runtime.version().feature() >= 24) {
            return Path.of(System.getProperty("java.home"), "bin", "java");
        }
        try (Stream<Path> homes = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path home : homes.sorted().toList()) {
                Path release = home.resolve("release");
                if (Files.isReadable(release)) {
                    String v = Files.readString(release).replaceAll("(?s).*JAVA_VERSION=\"(\\d+).*", "$1");
                    if (v.matches("\\d+") && Integer.parseInt(v) >= 24 && Files.isExecutable(home.resolve("bin/java"))) {
                        return home.resolve("bin/java");
                    }
                }
            }
        }
        return fail("no Java 24 or newer in this JVM or /usr/lib/jvm; install openjdk-25-jdk-headless");
    }

    private static String run(List<String> command, Path dir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", java24().getParent().getParent().toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("did not finish: " + String.join(" ", command) + "\n" + out);
        }
        return out;
    }
}
