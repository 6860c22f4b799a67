package ckp.kiosk.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A site may not be called {@code reply}: {@code {prefix}/reply/} is the subtree of command responses. */
class KioskIdentityTest {
    @Test
    void theSiteNameReplyIsRefusedNamingTheKey() throws Exception {
        Settings s = new Settings(Map.of("kiosk.id", "k1", "kiosk.site", "reply", "kiosk.lane", "l1"),
                KioskIdentity.KEYS, null);
        ConfigException e = assertThrows(ConfigException.class, () -> KioskIdentity.from(s));
        assertTrue(e.getMessage().contains("kiosk.site"), e.getMessage());
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new KioskIdentity("k1", "reply", "l1"));
        assertEquals("replies", new KioskIdentity("k1", "replies", "l1").site(), "only the exact name is reserved");
        assertEquals(List.of("kiosk.id", "kiosk.site", "kiosk.lane"),
                KioskIdentity.KEYS.stream().map(ConfigKey::name).toList());
    }
}
