package ckp.provisioning.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.pass.Ckp1Verifier;
import ckp.kiosk.pass.DenyList;
import ckp.kiosk.pass.PassOutcome;
import ckp.kiosk.pass.TrustStore;
import ckp.kiosk.scan.DecodeFiles;
import ckp.provisioning.KioskCtl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.Result;
import com.google.zxing.ResultMetadataType;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.decoder.Mode;
import com.google.zxing.qrcode.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PassCommandTest {
    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    static Run kioskctl(String... args) {
        CommandLine cmd = KioskCtl.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int status = cmd.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void verifyAnImageTooLargeToDecodeIsRefusedNamingItsSize() throws Exception {
        Path huge = ckp.kiosk.fixtures.HugePng.write(dir.resolve("huge.png"), 20_000, 20_000);
        Run r = kioskctl("pass", "verify", "--image", huge.toString(), "--trust", dir.toString());
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("20000x20000") && r.err().contains("4096x4096"), r.err());
    }

    private String issue(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("pass", "issue", "--key", dir.resolve("bench1.key").toString(),
                "--id", "BENCH-0001", "--plate", "鲁L12345", "--class", "F", "--valid-from", "2026-11-01",
                "--valid-until", "2026-12-01T00:00:00+08:00"));
        args.addAll(List.of(extra));
        Run r = kioskctl(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        return r.out().strip();
    }

    @Test
    void keygenWritesAnOwnerOnlyPrivateKeyAndAPublicKeyTheKioskAndOpensslAgreeOn() throws Exception {
        Run r = kioskctl("pass", "keygen", "--kid", "bench1", "--dir", dir.toString());
        assertEquals(0, r.status(), r.err());
        Path priv = dir.resolve("bench1.key");
        Path pub = dir.resolve("bench1.pem");
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(priv));
        assertTrue(Files.readString(priv).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertEquals(Set.of("bench1"), TrustStore.load(dir).kids());

        Process p = new ProcessBuilder("openssl", "pkey", "-in", priv.toString(), "-pubout").start();
        String opensslPub = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "openssl could not read the private key");
        assertEquals(opensslPub, Files.readString(pub), "byte for byte what openssl pkey -pubout writes");

        Run again = kioskctl("pass", "keygen", "--kid", "bench1", "--dir", dir.toString());
        assertEquals(2, again.status(), "never overwrites a key");
        assertTrue(again.err().contains("exists already"), again.err());
        assertEquals(2, kioskctl("pass", "keygen", "--kid", "Bad_Kid", "--dir", dir.toString()).status());
    }

    @Test
    void anIssuedPassVerifiesOnTheKioskAndInKioskctlUntilItExpiresOrIsRevoked() throws Exception {
        kioskctl("pass", "keygen", "--kid", "bench1", "--dir", dir.toString());
        String text = issue();
        assertTrue(text.startsWith("CKP1:"), text);

        Ckp1Verifier kiosk = new Ckp1Verifier(TrustStore.load(dir), DenyList.EMPTY, Duration.ofSeconds(300));
        assertEquals(PassOutcome.VALID, kiosk.verify(text, Instant.parse("2026-11-15T00:00:00Z"), true).outcome());

        Run valid = kioskctl("pass", "verify", text, "--trust", dir.toString(), "--now", "2026-11-15");
        assertEquals(0, valid.status(), valid.err());
        assertTrue(valid.out().startsWith("valid\nid=BENCH-0001 kid=bench1 cls=F"), valid.out());

        Run expired = kioskctl("pass", "verify", text, "--trust", dir.toString(), "--now", "2026-12-02");
        assertEquals(PassCommand.NOT_VALID, expired.status());
        assertTrue(expired.out().startsWith("expired\n"), expired.out());

        Path deny = dir.resolve("deny.txt");
        Files.writeString(deny, "BENCH-0001\n");
        Run revoked = kioskctl("pass", "verify", text, "--trust", dir.toString(), "--denylist", deny.toString(),
                "--now", "2026-11-15");
        assertTrue(revoked.out().startsWith("revoked\n"), revoked.out());

        Path otherTrust = Files.createDirectory(dir.resolve("other"));
        kioskctl("pass", "keygen", "--kid", "bench1", "--dir", otherTrust.toString());
        Run forged = kioskctl("pass", "verify", text, "--trust", otherTrust.toString(), "--now", "2026-11-15");
        assertTrue(forged.out().startsWith("bad_signature\n"), forged.out());
    }

    @Test
    void theQrImageIsAlphanumericAtLevelMAndTheKioskDecodesItToTheSameText() throws Exception {
        kioskctl("pass", "keygen", "--kid", "bench1", "--dir", dir.toString());
        Path png = dir.resolve("out").resolve("pass.png");
        String text = issue("--png", png.toString());

        assertEquals(Mode.ALPHANUMERIC, Encoder.encode(text, ErrorCorrectionLevel.M).getMode());
        Result zxing = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                new BufferedImageLuminanceSource(ImageIO.read(png.toFile())))), Map.of(DecodeHintType.PURE_BARCODE, true));
        assertEquals("M", zxing.getResultMetadata().get(ResultMetadataType.ERROR_CORRECTION_LEVEL));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, DecodeFiles.run(List.of(png), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream())));
        JsonNode line = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals(text, line.at("/codes/0/text").asText(), "the kiosk's decoder reads the bench's QR code");

        Run fromImage = kioskctl("pass", "verify", "--image", png.toString(), "--trust", dir.toString(), "--now",
                "2026-11-15");
        assertEquals(0, fromImage.status(), fromImage.out() + fromImage.err());
    }

    @Test
    void badIssueArgumentsAreRefusedWithTheReason() {
        kioskctl("pass", "keygen", "--kid", "bench1", "--dir", dir.toString());
        Run backwards = kioskctl("pass", "issue", "--key", dir.resolve("bench1.key").toString(), "--id", "X",
                "--class", "F", "--valid-from", "2026-12-01", "--valid-until", "2026-11-01");
        assertEquals(2, backwards.status());
        assertTrue(backwards.err().contains("exp must be after nbf"), backwards.err());
        Run badClass = kioskctl("pass", "issue", "--key", dir.resolve("bench1.key").toString(), "--id", "X",
                "--class", "Q", "--valid-from", "2026-11-01", "--valid-until", "2026-12-01");
        assertTrue(badClass.err().contains("cls must be F, P or R"), badClass.err());
        Run badTime = kioskctl("pass", "issue", "--key", dir.resolve("bench1.key").toString(), "--id", "X",
                "--class", "F", "--valid-from", "next week", "--valid-until", "2026-12-01");
        assertEquals(2, badTime.status());
        assertTrue(badTime.err().contains("is not a time"), badTime.err());
        Run notAKey = kioskctl("pass", "issue", "--key", dir.resolve("bench1.pem").toString(), "--id", "X",
                "--class", "F", "--valid-from", "2026-11-01", "--valid-until", "2026-12-01");
        assertTrue(notAKey.status() != 0);
        assertTrue(notAKey.err().contains("no PRIVATE KEY block"), notAKey.err());
    }
}
