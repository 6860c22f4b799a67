package ckp.provisioning.deb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb that {@code mvn package} built: its contents and control fields (dpkg-deb), lintian, and a real
 * install, upgrade, remove and purge on this machine (root on Debian only; it cleans up what it created).
 */
class DebianPackageIT {
    private static final Path DEB = Path.of(System.getProperty("ckp.deb", "target/checkpoint-kiosk_0.1.0_all.deb"));
    private static final String PKG = "checkpoint-kiosk";
    private static final String PROVIDER = "ckp-local-java21-runtime";

    @TempDir
    Path dir;

    @Test
    void thePackageHoldsJarsLaunchersUnitConffileAndDocsWithTheirModes() throws Exception {
        assumeTrue(onPath("dpkg-deb"), "dpkg-deb is not installed (apt-get install dpkg)");
        String listing = ok("dpkg-deb", "-c", DEB.toString());
        for (String[] entry : new String[][] {
                {"-rw-r--r--", "./usr/share/checkpoint-kiosk/kiosk.jar"},
                {"-rw-r--r--", "./usr/share/checkpoint-kiosk/provisioning.jar"},
                {"-rw-r--r--", "./usr/share/checkpoint-kiosk/tinylog-journald.properties"},
                {"-rwxr-xr-x", "./usr/bin/checkpoint-kiosk"},
                {"-rwxr-xr-x", "./usr/bin/kioskctl"},
                {"-rw-r--r--", "./lib/systemd/system/checkpoint-kiosk.service"},
                {"-rw-r--r--", "./etc/checkpoint-kiosk/kiosk.example.properties"},
                {"-rw-r--r--", "./usr/share/doc/checkpoint-kiosk/copyright"},
                {"-rw-r--r--", "./usr/share/doc/checkpoint-kiosk/changelog.gz"},
                {"-rw-r--r--", "./usr/share/doc/checkpoint-kiosk/technician-guide.md"}}) {
            assertTrue(listing.lines().anyMatch(l -> l.startsWith(entry[0] + " root/root") && l.endsWith(" " + entry[1])),
                    entry[1] + " as " + entry[0] + " root/root in:\n" + listing);
        }
        assertEquals(PKG, ok("dpkg-deb", "-f", DEB.toString(), "Package").strip());
        assertEquals("all", ok("dpkg-deb", "-f", DEB.toString(), "Architecture").strip());
        String depends = ok("dpkg-deb", "-f", DEB.toString(), "Depends");
        assertTrue(depends.contains("openjdk-21-jre-headless | openjdk-25-jre-headless | java21-runtime-headless"), depends);
        assertTrue(depends.contains("adduser"), depends);
        Path control = dir.resolve("control");
        ok("dpkg-deb", "-e", DEB.toString(), control.toString());
        assertEquals("/etc/checkpoint-kiosk/kiosk.example.properties", Files.readString(control.resolve("conffiles")).strip());
        for (String script : List.of("postinst", "prerm", "postrm")) {
            assertTrue(Files.isExecutable(control.resolve(script)), script + " is executable");
        }
    }

    @Test
    void lintianReportsNoErrors() throws Exception {
        assumeTrue(onPath("lintian"), "lintian is not installed (apt-get install lintian)");
        Result r = run(List.of("lintian", "--tag-display-limit", "0", DEB.toString()));
        List<String> errors = r.output().lines().filter(l -> l.startsWith("E: ")).toList();
        assertTrue(errors.isEmpty(), "lintian errors:\n" + r.output());
    }

    @Test
    void installUpgradeRemoveAndPurgeOnThisMachine() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "installing needs root (CI runs as root)");
        assumeTrue(onPath("apt-get") && onPath("dpkg"), "not a Debian system");
        assumeTrue(!"false".equals(System.getProperty("ckp.deb.install")), "disabled with -Dckp.deb.install=false");
        // Two builds on one machine must not install and purge the same package at once.
        try (java.nio.channels.FileChannel lock = java.nio.channels.FileChannel.open(Path.of("/tmp/ckp-deb-install-test.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock held = lock.lock()) {
            installUpgradeRemoveAndPurge();
        }
    }

    private void installUpgradeRemoveAndPurge() throws Exception {
        assumeTrue(!installed(PKG), PKG + " is already installed here; not touching a real installation");
        boolean userBefore = run(List.of("getent", "passwd", "kiosk")).status() == 0;
        List<String> groupsBefore = Stream.of("i2c", "gpio", "video", "kiosk")
                .filter(g -> run(List.of("getent", "group", g)).status() == 0).toList();

        List<String> debs = new ArrayList<>();
        Optional<Path> provider = javaProviderIfNeeded();
        provider.ifPresent(p -> debs.add(p.toString()));
        debs.add(DEB.toAbsolutePath().toString());
        try {
            apt("install", debs.toArray(new String[0]));
            assertTrue(installed(PKG));

            // The user, its groups, the files and their modes.
            String groups = ok("id", "-nG", "kiosk");
            for (String g : List.of("i2c", "gpio", "video")) {
                assertTrue((" " + groups.strip() + " ").contains(" " + g + " "), "kiosk in " + g + ": " + groups);
            }
            assertMode("/usr/bin/kioskctl", "rwxr-xr-x", "root");
            assertMode("/usr/bin/checkpoint-kiosk", "rwxr-xr-x", "root");
            assertMode("/lib/systemd/system/checkpoint-kiosk.service", "rw-r--r--", "root");
            assertMode("/etc/checkpoint-kiosk", "rwxr-x---", "root");
            assertMode("/var/lib/checkpoint-kiosk", "rwxr-x---", "kiosk");
            assertTrue(Files.isSymbolicLink(Path.of("/etc/systemd/system/multi-user.target.wants/checkpoint-kiosk.service")),
                    "enabled at install");
            assertFalse(Files.exists(Path.of("/etc/checkpoint-kiosk/kiosk.properties")),
                    "not provisioned, so the unit's condition keeps it from starting");
            // The launchers find a Java 21+ and run.
            assertTrue(ok("/usr/bin/checkpoint-kiosk", "version").contains("checkpoint-kiosk"));
            // ... also with the JVM flags the unit passes (a mistyped -XX flag would stop the JVM before main).
            String unit = Files.readString(Path.of("/lib/systemd/system/checkpoint-kiosk.service"));
            String javaOpts = unit.lines().filter(l -> l.startsWith("Environment=\"JAVA_OPTS=")).findFirst().orElseThrow()
                    .replaceFirst("^Environment=\"JAVA_OPTS=", "").replaceFirst("\"$", "");
            Result withUnitFlags = run(List.of("env", "JAVA_OPTS=" + javaOpts, "/usr/bin/checkpoint-kiosk", "version"));
            assertEquals(0, withUnitFlags.status(), withUnitFlags.output());
            assertTrue(withUnitFlags.output().contains("checkpoint-kiosk 0."), withUnitFlags.output());
            assertTrue(ok("/usr/bin/kioskctl", "--help").contains("provision"));
            assertTrue(ok("/usr/bin/kioskctl", "--version").contains("kioskctl 0."), "version from the jar manifest");

            // kioskctl provision on the device: the key is the kiosk user's, 0600; no config until the certificate.
            Path caDir = dir.resolve("ca");
            Files.createDirectories(caDir);
            ok("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", caDir.resolve("ca.key").toString(), "-out", caDir.resolve("ca.pem").toString(),
                    "-days", "1", "-subj", "/CN=test-fleet-ca");
            ok("/usr/bin/kioskctl", "site", "keygen", "--kid", "central-1", "--dir", caDir.toString());
            String provision = ok("/usr/bin/kioskctl", "provision", "--site", "s1", "--lane", "l1", "--kiosk-id", "k-it-1",
                    "--broker", "ssl://127.0.0.1:8883", "--ca", caDir.resolve("ca.pem").toString(),
                    "--site-key", caDir.resolve("central-1.pem").toString());
            assertTrue(Files.exists(Path.of("/etc/checkpoint-kiosk/site-trust/central-1.pem")), provision);
            assertTrue(provision.contains("no certificate yet"), provision);
            assertMode("/etc/checkpoint-kiosk/tls/kiosk.key", "rw-------", "kiosk");
            assertTrue(Files.exists(Path.of("/etc/checkpoint-kiosk/tls/kiosk.csr")));
            assertFalse(Files.exists(Path.of("/etc/checkpoint-kiosk/kiosk.properties")));

            // An upgrade (same package again) keeps the provisioned config, a changed conffile and the data.
            Files.writeString(Path.of("/etc/checkpoint-kiosk/kiosk.properties"), "kiosk.id=kept\n");
            Files.writeString(Path.of("/etc/checkpoint-kiosk/kiosk.example.properties"), "# edited\n",
                    java.nio.file.StandardOpenOption.APPEND);
            Files.writeString(Path.of("/var/lib/checkpoint-kiosk/events.db"), "data");
            apt("install", "--reinstall", DEB.toAbsolutePath().toString());
            assertEquals("kiosk.id=kept\n", Files.readString(Path.of("/etc/checkpoint-kiosk/kiosk.properties")));
            assertTrue(Files.readString(Path.of("/etc/checkpoint-kiosk/kiosk.example.properties")).endsWith("# edited\n"));
            assertEquals("data", Files.readString(Path.of("/var/lib/checkpoint-kiosk/events.db")));

            // remove keeps config and data; purge deletes them.
            apt("remove", PKG);
            assertFalse(Files.exists(Path.of("/usr/bin/kioskctl")));
            assertTrue(Files.exists(Path.of("/etc/checkpoint-kiosk/kiosk.properties")));
            assertTrue(Files.exists(Path.of("/var/lib/checkpoint-kiosk/events.db")));
            apt("purge", PKG);
            assertFalse(Files.exists(Path.of("/etc/checkpoint-kiosk")), "purge removes the config and the key: "
                    + run(List.of("find", "/etc/checkpoint-kiosk")).output());
            assertFalse(Files.exists(Path.of("/var/lib/checkpoint-kiosk")), "purge removes the data");
            assertFalse(Files.exists(Path.of("/etc/systemd/system/multi-user.target.wants/checkpoint-kiosk.service"),
                    LinkOption.NOFOLLOW_LINKS));
        } finally {
            if (installed(PKG)) {
                apt("purge", PKG);
            }
            if (provider.isPresent() && installed(PROVIDER)) {
                apt("purge", PROVIDER);
            }
            // Leave the machine's users and groups as they were (the package itself keeps its system user).
            if (!userBefore) {
                run(List.of("userdel", "kiosk"));
            }
            for (String g : List.of("i2c", "gpio", "video", "kiosk")) {
                if (!groupsBefore.contains(g)) {
                    run(List.of("groupdel", g));
                }
            }
        }
    }

    /**
     * Debian 12 has no Java 21 package, so on a machine whose Java 21+ was installed outside dpkg (a JDK tarball in
     * /usr/lib/jvm, as here) Depends cannot be met by apt. Like equivs, a local package then declares that runtime
     * as {@code java21-runtime-headless}; the launcher finds it in /usr/lib/jvm. Without any Java 21+, the test skips.
     */
    private Optional<Path> javaProviderIfNeeded() throws Exception {
        for (String candidate : List.of("openjdk-21-jre-headless", "openjdk-25-jre-headless", "java21-runtime-headless")) {
            if (installed(candidate)) {
                return Optional.empty();
            }
            String policy = run(List.of("apt-cache", "policy", candidate)).output();
            if (policy.contains("Candidate:") && !policy.contains("Candidate: (none)")) {
                return Optional.empty();
            }
        }
        String jdk = null;
        try (Stream<Path> homes = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path home : homes.sorted().toList()) {
                Path release = home.resolve("release");
                if (Files.isReadable(release) && Files.isExecutable(home.resolve("bin/java"))) {
                    String v = Files.readString(release).replaceAll("(?s).*JAVA_VERSION=\"(\\d+).*", "$1");
                    if (v.matches("\\d+") && Integer.parseInt(v) >= 21) {
                        jdk = home.toString();
                    }
                }
            }
        } catch (IOException noJvmDir) {
            // No /usr/lib/jvm: no local Java to declare.
        }
        assumeTrue(jdk != null, "no package provides a Java 21+ runtime here (Debian 12 has only openjdk-17) and no "
                + "Java 21+ is installed in /usr/lib/jvm: the install test cannot satisfy Depends");
        Path root = dir.resolve("provider");
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.writeString(root.resolve("DEBIAN/control"), """
                Package: %s
                Version: 1.0
                Architecture: all
                Maintainer: checkpoint kiosk tests <kiosk-team@example.org>
                Provides: java21-runtime-headless
                Description: declares the Java 21+ runtime installed outside dpkg
                 At %s (installed from a tarball); made by the checkpoint-kiosk package test.
                """.formatted(PROVIDER, jdk));
        Path deb = dir.resolve(PROVIDER + ".deb");
        ok("dpkg-deb", "--root-owner-group", "--build", root.toString(), deb.toString());
        return Optional.of(deb);
    }

    private static void assertMode(String path, String mode, String owner) throws IOException {
        PosixFileAttributes a = Files.readAttributes(Path.of(path), PosixFileAttributes.class);
        assertEquals(mode, PosixFilePermissions.toString(a.permissions()), path);
        assertEquals(owner, a.owner().getName(), path);
    }

    private static boolean installed(String pkg) {
        return run(List.of("dpkg-query", "-W", "-f=${Status}", pkg)).output().contains("install ok installed");
    }

    private static void apt(String verb, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("apt-get", "-y", "-q", "--no-install-recommends",
                "-o", "DPkg::Lock::Timeout=120", verb));
        cmd.addAll(List.of(args));
        Result r = run(cmd);
        if (r.status() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (" + r.status() + "):\n" + r.output());
        }
    }

    private static boolean onPath(String tool) {
        return run(List.of("sh", "-c", "command -v " + tool)).status() == 0;
    }

    private record Result(int status, String output) {
    }

    private static String ok(String... cmd) throws IOException {
        Result r = run(List.of(cmd));
        if (r.status() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (" + r.status() + "):\n" + r.output());
        }
        return r.output();
    }

    private static Result run(List<String> cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, out + "\n(timed out)");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
