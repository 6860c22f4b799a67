package ckp.provisioning.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.pass.DenyList;
import ckp.kiosk.pass.DenyListFeed;
import ckp.kiosk.rules.PlateWatchFeed;
import ckp.kiosk.site.SiteAuthority;
import ckp.provisioning.KioskCtl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SiteCommandTest {
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
    void aListSignedWithAKeygenKeyIsAcceptedByAKioskTrustingItsPublicKey() throws Exception {
        Path keys = dir.resolve("keys");
        Run keygen = kioskctl("site", "keygen", "--kid", "central-2026", "--dir", keys.toString());
        assertEquals(0, keygen.status(), keygen.err());
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(keys.resolve("central-2026.key")));
        Path trust = Files.createDirectories(dir.resolve("site-trust"));
        Files.copy(keys.resolve("central-2026.pem"), trust.resolve("central-2026.pem"));
        Path list = Files.writeString(dir.resolve("deny.json"), "{\"version\":3,\"ids\":[\"P-1\",\"P-2\"]}");

        Run sign = kioskctl("site", "sign", list.toString(), "--key", keys.resolve("central-2026.key").toString());

        assertEquals(0, sign.status(), sign.err());
        String jws = sign.out().strip();
        assertTrue(jws.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{86}"), jws);
        DenyListFeed feed = DenyListFeed.open(dir.resolve("cache.json"), SiteAuthority.load(trust), l -> { }, u -> { });
        DenyListFeed.Update u = feed.accept(jws.getBytes(StandardCharsets.US_ASCII));
        assertEquals(DenyListFeed.Result.APPLIED, u.result(), u.detail());
        assertEquals(new DenyList(3, Set.of("P-1", "P-2")), feed.current());
        assertEquals("central-2026", u.kid());

        Path out = dir.resolve("deny.jws");
        assertEquals(0, kioskctl("site", "sign", list.toString(), "--key", keys.resolve("central-2026.key").toString(),
                "--out", out.toString()).status());
        assertEquals(jws, Files.readString(out), "the file holds the JWS alone, ready for mosquitto_pub -f");
    }

    @Test
    void aRulesDocumentIsSignedForTheRulesTopicOnlyAndAKioskAcceptsIt() throws Exception {
        kioskctl("site", "keygen", "--kid", "central", "--dir", dir.toString());
        Path trust = Files.createDirectories(dir.resolve("site-trust"));
        Files.copy(dir.resolve("central.pem"), trust.resolve("central.pem"));
        Path rules = Files.writeString(dir.resolve("rules.json"), "{\"version\":4,\"issued\":\"2026-11-30T06:00:00Z\","
                + "\"plateWatch\":[{\"prefix\":\"鄂A\",\"decision\":\"manual\"},{\"prefix\":\"黑B\",\"decision\":\"stop\"}]}");

        Run sign = kioskctl("site", "sign", rules.toString(), "--key", dir.resolve("central.key").toString());

        assertEquals(0, sign.status(), sign.err());
        byte[] jws = sign.out().strip().getBytes(StandardCharsets.US_ASCII);
        PlateWatchFeed feed = PlateWatchFeed.open(dir.resolve("rules-cache.json"), SiteAuthority.load(trust), r -> { },
                u -> { });
        assertEquals(DenyListFeed.Result.APPLIED, feed.accept(jws).result());
        assertEquals(2, feed.current().rules().size());
        DenyListFeed deny = DenyListFeed.open(dir.resolve("deny-cache.json"), SiteAuthority.load(trust), l -> { },
                u -> { });
        DenyListFeed.Update replayed = deny.accept(jws);
        assertEquals(DenyListFeed.Result.UNTRUSTED, replayed.result(), "signed rules replayed on the deny list topic");
        assertTrue(replayed.detail().contains("typ"), replayed.detail());

        Path badRules = Files.writeString(dir.resolve("bad-rules.json"),
                "{\"version\":5,\"plateWatch\":[{\"prefix\":\"港A\",\"decision\":\"stop\"}]}");
        Run refused = kioskctl("site", "sign", badRules.toString(), "--key", dir.resolve("central.key").toString());
        assertEquals(2, refused.status());
        assertTrue(refused.err().contains("rules document") && refused.err().contains("prefix"), refused.err());
        assertEquals(2, kioskctl("site", "sign", rules.toString(), "--kind", "denylist", "--key",
                dir.resolve("central.key").toString()).status(), "a rules document is no deny list");
    }

    @Test
    void aFileNoKioskWouldAcceptIsNotSigned() throws Exception {
        kioskctl("site", "keygen", "--kid", "k", "--dir", dir.toString());
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"version\":0,\"ids\":[]}");
        Run sign = kioskctl("site", "sign", bad.toString(), "--key", dir.resolve("k.key").toString());
        assertEquals(2, sign.status());
        assertTrue(sign.err().contains("version"), sign.err());
        assertTrue(sign.out().isEmpty());
    }

    @Test
    void keygenRefusesABadKidAndNeverOverwritesAKey() {
        assertEquals(2, kioskctl("site", "keygen", "--kid", "Bad Kid", "--dir", dir.toString()).status());
        assertEquals(0, kioskctl("site", "keygen", "--kid", "k1", "--dir", dir.toString()).status());
        Run again = kioskctl("site", "keygen", "--kid", "k1", "--dir", dir.toString());
        assertEquals(2, again.status());
        assertTrue(again.err().contains("exists already"), again.err());
    }
}
