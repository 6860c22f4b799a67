package ckp.provisioning.deb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a kiosk in the field runs: the .deb unpacked into a temporary folder (dpkg-deb -x; nothing is installed) holds
 * the service jar and kioskctl's jar only, and the service jar holds no demo, broker, simulator or benchmark.
 */
class ShippedJarsIT {
    private static final Path DEB = Path.of(System.getProperty("ckp.deb", "target/checkpoint-kiosk_0.1.0_all.deb"));

    @TempDir
    Path dir;

    @Test
    void thePackageShipsTheServiceJarWithoutTheDemoBrokersOrBenchmarks() throws Exception {
        assertTrue(Files.isRegularFile(DEB), DEB + " is not built: run mvn verify (the .deb is made in package)");
        Process unpack = new ProcessBuilder("dpkg-deb", "-x", DEB.toString(), dir.toString()).inheritIO().start();
        assertTrue(unpack.waitFor(120, TimeUnit.SECONDS) && unpack.exitValue() == 0, "dpkg-deb -x " + DEB);
        Path share = dir.resolve("usr/share/checkpoint-kiosk");
        List<String> jars;
        try (Stream<Path> files = Files.list(share)) {
            jars = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().toList();
        }
        assertEquals(List.of("kiosk.jar", "provisioning.jar"), jars);
        List<String> entries;
        try (JarFile jar = new JarFile(share.resolve("kiosk.jar").toFile())) {
            entries = jar.stream().map(ZipEntry::getName).toList();
        }
        assertTrue(entries.contains("ckp/kiosk/Main.class"), "the service's entry point is in kiosk.jar");
        List<String> foreign = entries.stream().filter(n -> n.startsWith("ckp/kiosk/simulate/")
                || n.startsWith("ckp/kiosk/demo/") || n.startsWith("com/hivemq/") || n.contains("Benchmark")
                || n.contains("/fixtures/")).toList();
        assertEquals(List.of(), foreign, "demo, broker, simulator, benchmark or test classes in the service jar");
    }
}
