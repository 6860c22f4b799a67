package ckp.provisioning.provision;

import ckp.kiosk.KioskConfig;
import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.KioskIdentity;
import ckp.kiosk.pass.TrustStore;
import ckp.kiosk.publish.TlsContexts;
import ckp.kiosk.site.SiteAuthority;
import ckp.kiosk.site.SiteJws;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code kioskctl provision}: gives a kiosk its identity. Makes the private key on the device (it never leaves it),
 * writes a certificate signing request for the fleet CA, installs the signed certificate, writes and validates the
 * config. Run it twice: once to get the CSR, once with {@code --cert} when the CA has signed it.
 */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = "Give this kiosk its identity: key, CSR for the fleet CA, certificate, config.")
public final class ProvisionCommand implements Callable<Integer> {
    static final int EXIT_FAILED = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--site", description = "checkpoint site, e.g. g15-north") String site;
    @Option(names = "--lane", description = "lane at the site, e.g. lane3") String lane;
    @Option(names = "--kiosk-id", description = "this kiosk's fleet-unique id; becomes the certificate's CN") String kioskId;
    @Option(names = "--broker", split = ",", description = "broker URIs, ssl://host:port, in failover order")
    List<String> brokers;
    @Option(names = "--ca", description = "PEM file of the CA that signs the broker's certificate") Path ca;
    @Option(names = "--cert", description = "the signed certificate (PEM) the fleet CA returned for kiosk.csr") Path cert;
    @Option(names = "--site-key", description = "the site authority's public key <kid>.pem (kioskctl site keygen); "
            + "repeatable. Deny lists from the broker are accepted only when signed by one of these keys")
    List<Path> siteKeys;
    @Option(names = "--config-dir", description = "default: ${DEFAULT-VALUE}") Path configDir = Path.of("/etc/checkpoint-kiosk");
    @Option(names = "--state-dir", description = "default: ${DEFAULT-VALUE}") Path stateDir = Path.of("/var/lib/checkpoint-kiosk");
    @Option(names = "--new-key", description = "replace an existing private key (the old certificate stops working)")
    boolean newKey;
    @Option(names = "--user", description = "system user the service runs as; owns the key (default: ${DEFAULT-VALUE})")
    String serviceUser = "kiosk";
    @Option(names = "--openssl", description = "openssl binary, used to write the CSR (default: ${DEFAULT-VALUE})")
    String openssl = "openssl";

    private PrintWriter out;
    private int step;
    private static final int STEPS = 7;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        try {
            run();
            return 0;
        } catch (Failure f) {
            out.println("  FAILED: " + f.getMessage());
            out.println("  what to do: " + f.fix);
            return EXIT_FAILED;
        } finally {
            out.flush();
        }
    }

    /** A step that failed, with what the technician should do about it. */
    static final class Failure extends Exception {
        final String fix;

        Failure(String message, String fix) {
            super(message);
            this.fix = fix;
        }
    }

    private void step(String what) {
        step++;
        out.println("[" + step + "/" + STEPS + "] " + what);
        out.flush();
    }

    private void run() throws Failure {
        // The config names files by these folders, and the kiosk resolves a relative path against the config file's
        // own folder, not the technician's working folder: written absolute, they mean the same thing to both.
        configDir = configDir.toAbsolutePath().normalize();
        stateDir = stateDir.toAbsolutePath().normalize();
        Path tls = configDir.resolve("tls");
        Path keyFile = tls.resolve("kiosk.key");
        Path csrFile = tls.resolve("kiosk.csr");
        Path certFile = tls.resolve("kiosk.pem");
        Path caFile = tls.resolve("ca.pem");
        Path configFile = configDir.resolve("kiosk.properties");
        // Answers of a first run that is waiting for its certificate: not in kiosk.properties, whose existence is
        // what lets the service start (ConditionPathExists).
        Path pendingFile = configDir.resolve("provision.pending");
        Map<String, String> existing = new LinkedHashMap<>(ConfigFile.read(configFile));
        existing.putAll(ConfigFile.read(pendingFile));

        step("identity and brokers");
        site = ask(site, existing.get("kiosk.site"), "site (e.g. g15-north)");
        lane = ask(lane, existing.get("kiosk.lane"), "lane (e.g. lane3)");
        kioskId = ask(kioskId, existing.get("kiosk.id"), "kiosk id (e.g. k-g15n-03)");
        for (String[] v : new String[][] {{"--site", site}, {"--lane", lane}, {"--kiosk-id", kioskId}}) {
            if (!KioskIdentity.NAME.matcher(v[1]).matches()) {
                throw new Failure(v[0] + " '" + v[1] + "' is not a valid name", "use 1-64 of A-Z a-z 0-9 _ -");
            }
        }
        String uris = brokers != null ? String.join(",", brokers)
                : ask(null, existing.get("mqtt.uris"), "broker URIs (ssl://host:8883, comma-separated)");
        for (String u : uris.split(",")) {
            URI uri = URI.create(u.strip());
            if (!"ssl".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1) {
                throw new Failure("broker URI '" + u + "' is not ssl://host:port",
                        "give the fleet broker as ssl://host:8883 (plain tcp:// would send events unencrypted)");
            }
        }
        out.println("  kiosk " + kioskId + " at " + site + "/" + lane + ", brokers " + uris);

        step("broker CA");
        try {
            Files.createDirectories(tls);
            if (ca != null) {
                List<X509Certificate> cas = TlsContexts.certificates(ca, "--ca");
                Files.copy(ca, caFile, StandardCopyOption.REPLACE_EXISTING);
                Owner.set(caFile, "rw-r--r--", null);
                out.println("  installed " + caFile + " (" + cas.get(0).getSubjectX500Principal().getName() + ")");
            } else if (Files.exists(caFile)) {
                out.println("  keeping " + caFile);
            } else {
                throw new Failure("no broker CA given", "pass --ca FILE with the fleet's CA certificate (PEM)");
            }
        } catch (ConfigException e) {
            throw new Failure(e.getMessage(), "copy the CA certificate (PEM) again from the fleet's CA");
        } catch (IOException e) {
            throw new Failure("cannot write " + caFile + ": " + e.getMessage(), "run kioskctl as root (sudo)");
        }

        step("site authority keys");
        Path siteTrust = existing.containsKey("site.trust.dir") ? Path.of(existing.get("site.trust.dir"))
                : configDir.resolve("site-trust");
        installSiteKeys(siteTrust);

        step("private key");
        try {
            if (Files.exists(keyFile) && !newKey) {
                if (TlsContexts.holdsTraditionalKey(keyFile)) {
                    KioskKeys.convertToPkcs8(openssl, keyFile);
                    out.println("  converted the existing key " + keyFile + " to PKCS#8, the form the kiosk reads");
                }
                TlsContexts.privateKey(keyFile);
                out.println("  keeping the existing key " + keyFile + " (--new-key replaces it)");
            } else {
                KioskKeys.writeNewKey(keyFile);
                out.println("  made a new EC P-256 key " + keyFile + " (mode 0600)");
            }
            Owner.set(keyFile, "rw-------", serviceUser);
        } catch (ConfigException e) {
            throw new Failure(e.getMessage(), "make a new key with --new-key (then get a new certificate)");
        } catch (IOException e) {
            throw new Failure("cannot write " + keyFile + ": " + e.getMessage(), "run kioskctl as root (sudo)");
        }

        step("certificate signing request");
        try {
            KioskKeys.writeCsr(openssl, keyFile, kioskId, csrFile);
            Owner.set(csrFile, "rw-r--r--", null);
            out.println("  wrote " + csrFile + " (CN=" + kioskId + ")");
        } catch (IOException e) {
            throw new Failure("cannot write the CSR: " + e.getMessage(),
                    "install openssl (apt-get install openssl) and run kioskctl as root");
        }

        step("certificate");
        try {
            if (cert != null) {
                X509Certificate c = KioskKeys.checkCertificate(cert, keyFile, kioskId);
                Path tmp = certFile.resolveSibling("kiosk.pem.new");
                Files.copy(cert, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, certFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Owner.set(certFile, "rw-r--r--", null);
                out.println("  installed " + certFile + " (valid until " + c.getNotAfter().toInstant() + ")");
            } else if (Files.exists(certFile) && !newKey) {
                KioskKeys.checkCertificate(certFile, keyFile, kioskId);
                out.println("  keeping " + certFile);
            } else {
                // Keep the answers, so the second run needs only --cert.
                ConfigFile.update(pendingFile, pendingFile, Map.of(
                        "kiosk.id", kioskId, "kiosk.site", site, "kiosk.lane", lane, "mqtt.uris", uris,
                        "mqtt.tls.ca", caFile.toString(), "site.trust.dir", siteTrust.toString()));
                out.println("  no certificate yet. Send " + csrFile + " to the fleet CA, then run:");
                out.println("    kioskctl provision --cert signed.pem");
                out.println("  (the key stays on this kiosk; only the CSR leaves it)");
                return;
            }
        } catch (ConfigException e) {
            throw new Failure(e.getMessage(), "ask the fleet CA to sign " + csrFile + " for CN=" + kioskId
                    + " and pass the result with --cert");
        } catch (IOException e) {
            throw new Failure("cannot install the certificate: " + e.getMessage(), "run kioskctl as root (sudo)");
        }

        step("config");
        Map<String, String> set = new LinkedHashMap<>();
        set.put("kiosk.id", kioskId);
        set.put("kiosk.site", site);
        set.put("kiosk.lane", lane);
        set.put("mqtt.uris", uris);
        set.put("mqtt.tls.ca", caFile.toString());
        set.put("mqtt.tls.cert", certFile.toString());
        set.put("mqtt.tls.key", keyFile.toString());
        set.put("site.trust.dir", siteTrust.toString());
        if (!existing.containsKey("store.path")) {
            set.put("store.path", stateDir.resolve("events.db").toString());
        }
        try {
            ConfigFile.update(configFile, configDir.resolve("kiosk.example.properties"), set);
            Owner.set(configFile, "rw-r-----", null);
            Owner.setGroup(configFile, serviceUser);
            KioskConfig config = KioskConfig.load(configFile);
            TlsContexts.forMqtt(config.mqtt());
            Files.deleteIfExists(pendingFile);
            out.println("  wrote and validated " + configFile);
        } catch (ConfigException e) {
            throw new Failure("the config does not validate: " + e.getMessage(),
                    "edit " + configFile + " (see docs/configuration.md), then run kioskctl provision again");
        } catch (IOException e) {
            throw new Failure("cannot write " + configFile + ": " + e.getMessage(), "run kioskctl as root (sudo)");
        }
        out.println("done. Start the kiosk with: systemctl start checkpoint-kiosk; then check it with: kioskctl selftest");
    }

    /**
     * Installs the {@code --site-key} files into {@code siteTrust} after checking each is an Ed25519 public key named
     * {@code <kid>.pem}, or keeps the keys already there. A kiosk with none would refuse every deny list the central
     * side sends, so revocation would stop at the kiosk's local file: that is a failed step, not a warning.
     */
    private void installSiteKeys(Path siteTrust) throws Failure {
        try {
            if (siteKeys != null && !siteKeys.isEmpty()) {
                Files.createDirectories(siteTrust);
                Owner.set(siteTrust, "rwxr-xr-x", null);
                for (Path key : siteKeys) {
                    String name = key.getFileName().toString();
                    String kid = name.endsWith(".pem") ? name.substring(0, name.length() - 4) : "";
                    if (!SiteJws.KID.matcher(kid).matches()) {
                        throw new Failure("--site-key " + key + ": the file name must be <kid>.pem with kid 1-64 of "
                                + "A-Z a-z 0-9 . _ -", "pass the <kid>.pem that kioskctl site keygen wrote, unrenamed");
                    }
                    try {
                        TrustStore.parsePublicKey(Files.readString(key, StandardCharsets.UTF_8));
                    } catch (GeneralSecurityException | IllegalArgumentException e) {
                        throw new Failure("--site-key " + key + " is not an Ed25519 PUBLIC KEY PEM (" + e.getMessage()
                                + ")", "pass the public <kid>.pem, never the private <kid>.key");
                    }
                    Path installed = siteTrust.resolve(name);
                    Files.copy(key, installed, StandardCopyOption.REPLACE_EXISTING);
                    Owner.set(installed, "rw-r--r--", null);
                    out.println("  installed site authority key " + installed + " (kid " + kid + ")");
                }
                return;
            }
            SiteAuthority held = Files.isDirectory(siteTrust) ? SiteAuthority.load(siteTrust) : SiteAuthority.NONE;
            if (held.kids().isEmpty()) {
                throw new Failure("no site authority key given", "pass --site-key KID.pem (made on the central side "
                        + "with kioskctl site keygen); without one the kiosk refuses every deny list from the broker");
            }
            out.println("  keeping site authority key(s) " + held.kids() + " in " + siteTrust);
        } catch (IOException e) {
            throw new Failure("cannot install the site authority keys in " + siteTrust + ": " + e.getMessage(),
                    "run kioskctl as root (sudo)");
        }
    }

    /** The given value, else the existing one, else an answer typed at the console. */
    private String ask(String given, String existing, String what) throws Failure {
        if (given != null && !given.isBlank()) {
            return given.strip();
        }
        if (existing != null && !existing.isBlank()) {
            return existing.strip();
        }
        Console console = System.console();
        if (console == null) {
            throw new Failure("no " + what + " given", "pass it as an option (kioskctl provision --help)");
        }
        String answer = console.readLine("  %s: ", what);
        if (answer == null || answer.isBlank()) {
            throw new Failure("no " + what + " given", "type it, or pass it as an option");
        }
        return answer.strip();
    }

    /** The CN of a certificate's subject, or empty. */
    static String commonName(X509Certificate c) {
        try {
            for (Rdn rdn : new LdapName(c.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (javax.naming.InvalidNameException e) {
            return "";
        }
        return "";
    }

    /** Runs a child process to completion; its output is returned, a non-zero exit is an IOException. */
    static String exec(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + output.strip());
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
