package ckp.kiosk.pass;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class Base45Test {

    @Test
    void theRfc9285ExamplesEncodeAndDecode() {
        String[][] examples = {{"AB", "BB8"}, {"Hello!!", "%69 VD92EX0"}, {"base-45", "UJCLQE7W581"}, {"ietf!", "QED8WEX0"}};
        for (String[] e : examples) {
            assertEquals(e[1], Base45.encode(e[0].getBytes(StandardCharsets.US_ASCII)), e[0]);
            assertArrayEquals(e[0].getBytes(StandardCharsets.US_ASCII), Base45.decode(e[1]).orElseThrow(), e[1]);
        }
        assertArrayEquals(new byte[0], Base45.decode("").orElseThrow());
    }

    @Test
    void theInvalidFormsOfRfc9285AreRefused() {
        assertEquals(Optional.empty(), Base45.decode("GGW"), "65536 is above a triplet's 65535");
        assertTrue(Base45.decode("FGW").isPresent(), "65535 is the largest triplet");
        assertEquals(Optional.empty(), Base45.decode("B"), "a lone trailing character");
        assertEquals(Optional.empty(), Base45.decode("BB8A"), "a lone trailing character after a triplet");
        assertEquals(Optional.empty(), Base45.decode("V5"), "31 + 5*45 = 256: a pair above 255 cannot be one byte");
        assertArrayEquals(new byte[] {(byte) 255}, Base45.decode("U5").orElseThrow(), "30 + 5*45 = 255 is a byte");
        assertEquals(Optional.empty(), Base45.decode("bb8"), "lower case is outside the alphabet");
        assertEquals(Optional.empty(), Base45.decode("BB\u00e9"), "non-ASCII is outside the alphabet");
        assertEquals(Optional.empty(), Base45.decode("BB="), "= is outside the alphabet");
    }
}
