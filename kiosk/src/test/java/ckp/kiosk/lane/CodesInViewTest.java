package ckp.kiosk.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.pass.PassFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodesInViewTest {
    private static final PassFormat HC1 = new PassFormat("HC1", "HC1:");

    @Test
    void aPassIsChosenOverCodesBeforeIt() {
        CodesInView view = CodesInView.of(List.of("https://example.org", "CKP1:A"), PassFormat.KNOWN);
        assertEquals("CKP1:A", view.chosen());
        assertFalse(view.multiplePasses());
    }

    @Test
    void withoutAPassTheFirstCodeIsChosenAndChecked() {
        CodesInView view = CodesInView.of(List.of("https://example.org", "PARKING-7"), PassFormat.KNOWN);
        assertEquals("https://example.org", view.chosen());
        assertEquals(List.of(), view.passes());
    }

    @Test
    void twoDifferentPassesAreMultipleAndTheSamePassTwiceIsNot() {
        assertTrue(CodesInView.of(List.of("CKP1:A", "CKP1:B"), PassFormat.KNOWN).multiplePasses());
        assertFalse(CodesInView.of(List.of("CKP1:A", "CKP1:A"), PassFormat.KNOWN).multiplePasses());
    }

    @Test
    void anotherPassFormatPlugsInAfterTheMorePreferredOne() {
        List<PassFormat> formats = List.of(PassFormat.CKP1, HC1);
        CodesInView one = CodesInView.of(List.of("HC1:6BF", "a flyer"), formats);
        assertEquals("HC1:6BF", one.chosen());
        CodesInView both = CodesInView.of(List.of("HC1:6BF", "CKP1:A"), formats);
        assertEquals("CKP1:A", both.chosen(), "CKP1 is listed first, so it is preferred");
        assertTrue(both.multiplePasses(), "two different passes, whatever their formats");
        assertTrue(CodesInView.of(List.of("HC1:6BF", "CKP1:A"), PassFormat.KNOWN).multiplePasses(),
                "HC1 is a known format: its codes are passes");
        assertFalse(CodesInView.of(List.of("HC2:6BF", "CKP1:A"), PassFormat.KNOWN).multiplePasses(),
                "a code of an unknown format is another code");
    }

    @Test
    void aFrameWithoutCodesIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CodesInView.of(List.of(), PassFormat.KNOWN));
        assertTrue(e.getMessage().contains("at least one code"), e.getMessage());
    }
}
