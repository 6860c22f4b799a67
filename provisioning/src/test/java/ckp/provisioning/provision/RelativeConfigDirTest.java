package ckp.provisioning.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.KioskConfig;
import ckp.kiosk.fixtures.TestCa;
import ckp.kiosk.fixtures.KioskConfigFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kioskctl provision --config-dir etc} run from the folder that holds {@code etc}, as a technician types it:
 * the config it writes must validate, from its own check and from anywhere else (the service runs elsewhere).
 */
class RelativeConfigDirTest {

    @Test
    void aRelativeConfigDirWritesAConfigThatValidatesWhereverItIsReadFrom(@TempDir Path dir) throws Exception {
        TestCa ca = TestCa.create(dir.resolve("ca"), "fleet-ca");
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Path frames = KioskConfigFile.frames(work);
        Files.copy(KioskConfigFile.write(work, "ssl://127.0.0.1:8883", frames, Optional.empty(), Optional.empty(),
                "36.6", 20, 2, false), etc.resolve("kiosk.properties"));

        assertTrue(kioskctl(dir, "site", "keygen", "--kid", "central-1", "--dir", "central").contains("central-1.pem"));
        String first = kioskctl(dir, "provision", "--config-dir", "etc", "--state-dir", "work", "--site", "s1",
                "--lane", "l1", "--kiosk-id", "k1", "--broker", "ssl://127.0.0.1:8883",
                "--ca", dir.relativize(ca.cert).toString(), "--site-key", "central/central-1.pem");
        assertTrue(first.contains("no certificate yet"), first);
        Path signed = ca.sign(etc.resolve("tls/kiosk.csr"), "k1", null);
        String second = kioskctl(dir, "provision", "--config-dir", "etc", "--cert", dir.relativize(signed).toString());
        assertTrue(second.contains("wrote and validated"), second);

        KioskConfig config = KioskConfig.load(etc.resolve("kiosk.properties"));
        assertEquals(etc.resolve("tls/ca.pem").toRealPath(), config.mqtt().tlsCa().orElseThrow().toRealPath());
        assertEquals(etc.resolve("site-trust").toRealPath(), config.site().trustDir().orElseThrow().toRealPath());
    }

    /** kioskctl in a child JVM whose working folder is {@code cwd}. */
    private static String kioskctl(Path cwd, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "ckp.provisioning.KioskCtl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        return out + "\n(exit " + p.exitValue() + ")";
    }
}
