package ckp.kiosk.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.clock.ClockStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassCheckerTest {
    static final SaltedHash SALT = new SaltedHash("0123456789abcdef-site-salt".getBytes(StandardCharsets.US_ASCII));
    static final ClockStatus CLOCK = ClockStatus.fixed(
            Clock.fixed(Instant.ofEpochSecond(Ckp1VerifierTest.NOW), ZoneOffset.UTC), true);

    @Test
    void inRecordModeAnyCodeIsAcceptedAndOnlyItsSaltedHashIsKept() {
        PassChecker checker = new PassChecker(true, TrustStore.of(Map.of()), Optional.empty(), DenyList.EMPTY,
                Duration.ofSeconds(300), CLOCK, Optional.of(SALT));
        PassCheck c = checker.check("110101199001011234");
        assertEquals(PassOutcome.RECORDED, c.outcome());
        assertEquals(Optional.empty(), c.claims());
        assertEquals(Optional.empty(), c.digest(), "an unsalted digest of a short code could be reversed");
        assertEquals(32, c.hash().orElseThrow().length());
        assertEquals(c.hash(), checker.check("110101199001011234").hash(), "the same code, the same hash");
        assertNotEquals(c.hash(), checker.check("110101199001011235").hash());
        SaltedHash otherSite = new SaltedHash("another-site-salt-0123".getBytes(StandardCharsets.US_ASCII));
        assertNotEquals(c.hash().get(), otherSite.of("110101199001011234"));
    }

    @Test
    void inVerifyModeAForeignCodeIsHashedWithTheSaltAndAPassDigestedWithout() {
        PassChecker checker = new PassChecker(false, TrustStore.of(Map.of()), Optional.empty(), DenyList.EMPTY,
                Duration.ofSeconds(300), CLOCK, Optional.of(SALT));
        PassCheck foreign = checker.check("https://example.org/?id=110101199001011234");
        assertEquals(PassOutcome.FOREIGN, foreign.outcome());
        assertEquals(Optional.of(SALT.of("https://example.org/?id=110101199001011234")), foreign.hash());
        PassCheck malformed = checker.check("CKP1:AB");
        assertTrue(malformed.digest().isPresent());
        assertFalse(malformed.hash().isPresent());
        PassChecker noSalt = new PassChecker(false, TrustStore.of(Map.of()), Optional.empty(), DenyList.EMPTY,
                Duration.ofSeconds(300), CLOCK, Optional.empty());
        assertEquals(Optional.empty(), noSalt.check("https://example.org").hash());
    }

    @Test
    void aSaltFileIsItsBytesWithoutTrailingWhiteSpaceAndMustHold16(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("salt");
        Files.writeString(f, "0123456789abcdef-site-salt\n");
        assertEquals(SALT.of("x"), SaltedHash.load(f).orElseThrow().of("x"));
        Files.writeString(f, "short\n");
        assertEquals(Optional.empty(), SaltedHash.load(f));
    }

    @Test
    void platesAreMaskedHashedOrClearAsConfigured() {
        assertEquals("鲁L***45", PlatePrivacy.MASKED.apply("鲁L12345"));
        assertEquals("****", PlatePrivacy.MASKED.apply("AB12"));
        assertEquals("", PlatePrivacy.MASKED.apply(""));
        assertEquals("\uD83D\uDE97A*B\uD83D\uDE97", PlatePrivacy.MASKED.apply("\uD83D\uDE97AXB\uD83D\uDE97"),
                "characters, not UTF-16 units");
        assertEquals("鲁L12345", PlatePrivacy.CLEAR.apply("鲁L12345"));
        String hashed = PlatePrivacy.hashed(SALT).apply("鲁L12345");
        assertEquals(SALT.of("plate:鲁L12345"), hashed);
        assertFalse(hashed.contains("12345"));
    }
}
