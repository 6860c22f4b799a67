package ckp.kiosk.site;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.fixtures.TestIssuer;
import ckp.kiosk.fixtures.TestSiteAuthority;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteAuthorityTest {
    @TempDir
    Path dir;

    @Test
    void aMessageSignedByTheKiosksOwnSignerVerifiesAndNamesItsKindInTyp() throws Exception {
        TestSiteAuthority site = new TestSiteAuthority("central-1");
        site.writePublicKey(dir);
        SiteAuthority authority = SiteAuthority.load(dir);
        byte[] payload = "{\"version\":1,\"ids\":[]}".getBytes(StandardCharsets.UTF_8);

        String jws = SiteJws.sign(site.keys().getPrivate(), "central-1", "denylist", payload);

        SiteAuthority.Verified v = authority.verify(jws.getBytes(StandardCharsets.US_ASCII), "denylist", 1024);
        assertTrue(v.ok(), v.problem());
        assertArrayEquals(payload, v.payload().orElseThrow());
        assertEquals("central-1", v.kid());
        String header = new String(Base64.getUrlDecoder().decode(jws.substring(0, jws.indexOf('.'))),
                StandardCharsets.UTF_8);
        assertTrue(header.contains("\"typ\":\"ckp-denylist+jws\""), header);
        SiteAuthority.Verified asRules = authority.verify(jws.getBytes(StandardCharsets.US_ASCII), "rules", 1024);
        assertFalse(asRules.ok(), "a deny list is not taken for another kind of site message");
        assertTrue(asRules.problem().contains("typ"), asRules.problem());
    }

    @Test
    void aPayloadOverTheKindsLimitIsRefusedUnread() {
        TestSiteAuthority site = new TestSiteAuthority("s");
        SiteAuthority authority = SiteAuthority.of(java.util.Map.of("s", site.keys().getPublic()));
        SiteAuthority.Verified v = authority.verify(site.signedBytes("x".repeat(2000)), "denylist", 1000);
        assertFalse(v.ok());
        assertTrue(v.problem().contains("over"), v.problem());
    }

    @Test
    void badKeyFilesAreSkippedByNameAndAnIssuerKeyIsNoSiteKeyUnlessPutThere() throws Exception {
        TestSiteAuthority site = new TestSiteAuthority("good");
        site.writePublicKey(dir);
        Files.writeString(dir.resolve("broken.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        Files.writeString(dir.resolve("Bad Name.pem"), "x");
        new TestIssuer("issuer1").writePublicKey(dir.resolve("issuers"));
        SiteAuthority authority = SiteAuthority.load(dir);
        assertEquals(List.of("good"), List.copyOf(authority.kids()));
        assertEquals(2, authority.problems().size(), authority.problems().toString());
    }
}
