package ckp.kiosk.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.clock.ClockStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustStoreTest {
    @TempDir
    Path dir;

    static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    private static String passSignedBy(KeyPair key, String kid) {
        return PassIssuer.issue(key.getPrivate(), new PassClaims("P1", kid, "F", Optional.empty(), Optional.empty(),
                Ckp1VerifierTest.NOW - 10, Ckp1VerifierTest.NOW + 10));
    }

    @Test
    void aKeyThatOpensslWroteIsTrustedUnderItsFileName() throws Exception {
        Path priv = dir.resolve("issuer.key");
        run("openssl", "genpkey", "-algorithm", "ed25519", "-out", priv.toString());
        run("openssl", "pkey", "-in", priv.toString(), "-pubout", "-out", dir.resolve("site-a1.pem").toString());
        TrustStore trust = TrustStore.load(dir);
        assertEquals(Set.of("site-a1"), trust.kids());
        assertEquals(List.of(), trust.problems());
        assertEquals("EdDSA", trust.key("site-a1").orElseThrow().getAlgorithm());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl hung");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
    }

    @Test
    void badFilesAreReportedByNameAndSkippedWhileGoodKeysLoad() throws Exception {
        KeyPair good = Ckp1VerifierTest.ed25519();
        Files.writeString(dir.resolve("k1.pem"), pem(good.getPublic()));
        Files.writeString(dir.resolve("garbage.pem"), "not a key at all");
        Files.writeString(dir.resolve("empty.pem"), "");
        Files.writeString(dir.resolve("Upper.pem"), pem(good.getPublic()));
        KeyPair ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
        Files.writeString(dir.resolve("ec.pem"), pem(ec.getPublic()));
        Files.writeString(dir.resolve("broken-b64.pem"), "-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----\n");
        Files.createDirectory(dir.resolve("folder.pem"));
        Files.writeString(dir.resolve("README.txt"), "not a .pem, not read");

        TrustStore trust = TrustStore.load(dir);

        assertEquals(Set.of("k1"), trust.kids());
        assertEquals(6, trust.problems().size(), trust.problems().toString());
        for (String name : List.of("garbage.pem", "empty.pem", "Upper.pem", "ec.pem", "broken-b64.pem", "folder.pem")) {
            assertTrue(trust.problems().stream().anyMatch(p -> p.startsWith(name + ": ")), name + " not reported");
        }
    }

    @Test
    void aTrustReloadPicksUpANewKeyAndDropsARemovedOne() throws Exception {
        KeyPair k1 = Ckp1VerifierTest.ed25519();
        KeyPair k2 = Ckp1VerifierTest.ed25519();
        Files.writeString(dir.resolve("k1.pem"), pem(k1.getPublic()));
        ClockStatus clock = ClockStatus.fixed(Clock.fixed(Instant.ofEpochSecond(Ckp1VerifierTest.NOW), ZoneOffset.UTC), true);
        PassChecker checker = new PassChecker(false, TrustStore.load(dir), Optional.of(dir), DenyList.EMPTY,
                Duration.ofSeconds(300), clock, Optional.empty());
        assertEquals(PassOutcome.UNKNOWN_KEY, checker.check(passSignedBy(k2, "k2")).outcome());

        Files.writeString(dir.resolve("k2.pem"), pem(k2.getPublic()));
        Files.delete(dir.resolve("k1.pem"));
        TrustStore reloaded = checker.reloadTrust();

        assertEquals(Set.of("k2"), reloaded.kids());
        assertEquals(PassOutcome.VALID, checker.check(passSignedBy(k2, "k2")).outcome());
        assertEquals(PassOutcome.UNKNOWN_KEY, checker.check(passSignedBy(k1, "k1")).outcome());
    }

    @Test
    void aReloadThatCannotReadTheFolderKeepsTheKeysInUse() throws Exception {
        KeyPair k1 = Ckp1VerifierTest.ed25519();
        Path trustDir = Files.createDirectory(dir.resolve("trust"));
        Files.writeString(trustDir.resolve("k1.pem"), pem(k1.getPublic()));
        ClockStatus clock = ClockStatus.fixed(Clock.fixed(Instant.ofEpochSecond(Ckp1VerifierTest.NOW), ZoneOffset.UTC), true);
        PassChecker checker = new PassChecker(false, TrustStore.load(trustDir), Optional.of(trustDir), DenyList.EMPTY,
                Duration.ofSeconds(300), clock, Optional.empty());
        Files.delete(trustDir.resolve("k1.pem"));
        Files.delete(trustDir);

        TrustStore result = checker.reloadTrust();

        assertEquals(Set.of("k1"), result.kids());
        assertTrue(result.problems().getFirst().contains("cannot be read"), result.problems().toString());
        assertEquals(PassOutcome.VALID, checker.check(passSignedBy(k1, "k1")).outcome());
    }

    @Test
    void signerCertificatesInPemAndDerLoadUnderTheirKidBesideTheCkp1KeysAndBadOnesAreSkipped() throws Exception {
        Path made = Files.createDirectories(dir.resolve("made"));
        Hc1TestIssuer pemSigner = Hc1TestIssuer.create(made, "pem-signer", false, 5);
        Hc1TestIssuer derSigner = Hc1TestIssuer.create(made, "der-signer", true, 5);
        Path trust = Files.createDirectories(dir.resolve("trust"));
        Files.copy(pemSigner.certificateFile, trust.resolve("AT-dsc.pem"));
        Files.write(trust.resolve("de signer.der"), derSigner.certificate.getEncoded());
        Files.writeString(trust.resolve("k1.pem"), pem(Ckp1VerifierTest.ed25519().getPublic()));
        Files.writeString(trust.resolve("broken.crt"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Files.write(trust.resolve("short.der"), new byte[] {0x30, 0x03, 0x02});

        TrustStore store = TrustStore.load(trust);

        assertEquals(Set.of("k1"), store.kids());
        assertEquals(Set.of(TrustStore.signerKid(pemSigner.certificate), TrustStore.signerKid(derSigner.certificate)),
                store.signerKids());
        assertEquals(List.of(derSigner.certificate), store.signers(TrustStore.signerKid(derSigner.certificate)));
        assertEquals(3, store.size());
        assertEquals(2, store.problems().size(), store.problems().toString());
        assertTrue(store.problems().stream().anyMatch(p -> p.startsWith("broken.crt: ")), store.problems().toString());
        assertTrue(store.problems().stream().anyMatch(p -> p.startsWith("short.der: ")), store.problems().toString());
        byte[] der = pemSigner.certificate.getEncoded();
        byte[] sha256 = java.security.MessageDigest.getInstance("SHA-256").digest(der);
        assertEquals(Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(sha256, 8)),
                TrustStore.signerKid(pemSigner.certificate), "a DSC's kid is the first 8 bytes of SHA-256 of its DER");
    }

    @Test
    void aTrustReloadPicksUpANewSignerCertificate() throws Exception {
        Hc1TestIssuer signer = Hc1TestIssuer.create(Files.createDirectories(dir.resolve("made")), "dsc", false, 5);
        Path trust = Files.createDirectories(dir.resolve("trust"));
        Instant now = signer.certificate.getNotBefore().toInstant().plusSeconds(600);
        ClockStatus clock = ClockStatus.fixed(Clock.fixed(now, ZoneOffset.UTC), true);
        PassChecker checker = new PassChecker(false, TrustStore.load(trust), Optional.of(trust), DenyList.EMPTY,
                Duration.ofSeconds(300), clock, Optional.empty());
        String pass = signer.issue(Hc1TestIssuer.dcc("v", "URN:UVCI:01:AT:X", "AT"), "AT", now.getEpochSecond() - 60,
                now.getEpochSecond() + 3600);
        assertEquals(PassOutcome.UNKNOWN_KEY, checker.check(pass).outcome());

        Files.copy(signer.certificateFile, trust.resolve("dsc.pem"));
        TrustStore reloaded = checker.reloadTrust();

        assertEquals(Set.of(TrustStore.signerKid(signer.certificate)), reloaded.signerKids());
        assertEquals(PassOutcome.VALID, checker.check(pass).outcome());
    }
}
