package ckp.provisioning.provision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A throwaway certificate authority made with the openssl command, as a fleet operator would. */
public final class TestCa {
    public final Path dir;
    public final Path cert;
    public final Path key;

    private TestCa(Path dir) {
        this.dir = dir;
        this.cert = dir.resolve("ca.pem");
        this.key = dir.resolve("ca.key");
    }

    public static TestCa create(Path dir, String name) throws IOException {
        TestCa ca = new TestCa(dir);
        Files.createDirectories(dir);
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", ca.key.toString(), "-out", ca.cert.toString(), "-days", "2", "-subj", "/CN=" + name);
        return ca;
    }

    /** A key (PKCS#8 PEM) and a certificate signed by this CA, with the given SAN extension when not null. */
    public Path[] issue(String cn, String subjectAltName) throws IOException {
        Path k = dir.resolve(cn + ".key");
        Path csr = dir.resolve(cn + ".csr");
        openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", k.toString(), "-out", csr.toString(), "-subj", "/CN=" + cn);
        return new Path[] {sign(csr, cn, subjectAltName), k};
    }

    /** Signs a CSR, as the fleet CA does with the one {@code kioskctl provision} writes. */
    public Path sign(Path csr, String name, String subjectAltName) throws IOException {
        Path out = dir.resolve(name + ".pem");
        List<String> cmd = new ArrayList<>(List.of("x509", "-req", "-in", csr.toString(), "-CA", cert.toString(),
                "-CAkey", key.toString(), "-CAcreateserial", "-days", "2", "-sha256", "-out", out.toString()));
        if (subjectAltName != null) {
            Path ext = dir.resolve(name + ".ext");
            Files.writeString(ext, "subjectAltName=" + subjectAltName + "\n");
            cmd.addAll(List.of("-extfile", ext.toString()));
        }
        openssl(dir, cmd.toArray(new String[0]));
        return out;
    }

    public static String openssl(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
