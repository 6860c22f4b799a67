package ckp.kiosk.scan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.common.reedsolomon.GenericGF;
import com.google.zxing.common.reedsolomon.ReedSolomonEncoder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReedSolomonErasuresTest {
    /** A random block of {@code n} codewords with {@code ec} check codewords, encoded by ZXing's encoder with QR's field. */
    private static int[] block(Random random, int n, int ec) {
        int[] block = new int[n];
        for (int i = 0; i < n - ec; i++) {
            block[i] = random.nextInt(256);
        }
        new ReedSolomonEncoder(GenericGF.QR_CODE_FIELD_256).encode(block, ec);
        return block;
    }

    /** Distinct random indices into a block. */
    private static int[] positions(Random random, int n, int count, int[] avoid) {
        int[] out = new int[count];
        int k = 0;
        while (k < count) {
            int p = random.nextInt(n);
            boolean taken = false;
            for (int i = 0; i < k; i++) {
                taken |= out[i] == p;
            }
            for (int a : avoid) {
                taken |= a == p;
            }
            if (!taken) {
                out[k++] = p;
            }
        }
        return out;
    }

    @Test
    void everyMixOfErrorsAndErasuresWithinTheCapacityIsCorrected() {
        Random random = new Random(11);
        for (int trial = 0; trial < 3000; trial++) {
            int ec = 2 + random.nextInt(29);
            int n = ec + 1 + random.nextInt(Math.min(254 - ec, 150));
            int[] sent = block(random, n, ec);
            int erasureCount = random.nextInt(ec + 1);
            int errorCount = random.nextInt((ec - erasureCount) / 2 + 1);
            int[] erasures = positions(random, n, erasureCount, new int[0]);
            int[] errors = positions(random, n, errorCount, erasures);
            int[] received = sent.clone();
            for (int p : erasures) {
                received[p] = random.nextInt(256);
            }
            for (int p : errors) {
                received[p] ^= 1 + random.nextInt(255);
            }
            assertTrue(ReedSolomonErasures.correct(received, ec, erasures, 0),
                    "n=" + n + " ec=" + ec + " erasures=" + erasureCount + " errors=" + errorCount);
            assertArrayEquals(sent, received);
        }
    }

    @Test
    void aBlockBeyondWhatTheMarginAllowsIsLeftAsItWas() {
        Random random = new Random(12);
        int n = 44;
        int ec = 16;
        int[] sent = block(random, n, ec);
        // 7 errors: within ZXing's capacity (8) but 2 * 7 > 16 - 3.
        int[] errors = positions(random, n, 7, new int[0]);
        int[] received = sent.clone();
        for (int p : errors) {
            received[p] ^= 0x5A;
        }
        int[] before = received.clone();
        assertFalse(ReedSolomonErasures.correct(received, ec, new int[0], 3));
        assertArrayEquals(before, received);
        assertTrue(ReedSolomonErasures.correct(received, ec, new int[0], 0));
        assertArrayEquals(sent, received);
    }

    @Test
    void theSyndromesOfACodewordAreZeroAndOfAnErrorAreItsLocatorPowers() {
        Random random = new Random(13);
        int[] sent = block(random, 26, 7);
        for (int s : ReedSolomonErasures.syndromes(sent, 7)) {
            assertEquals(0, s);
        }
        int[] received = sent.clone();
        received[25] ^= 9; // the constant term: every syndrome equals the error value
        for (int s : ReedSolomonErasures.syndromes(received, 7)) {
            assertEquals(9, s);
        }
    }
}
