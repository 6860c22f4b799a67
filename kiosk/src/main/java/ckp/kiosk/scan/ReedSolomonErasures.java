package ckp.kiosk.scan;

/**
 * A Reed-Solomon errors-and-erasures decoder over GF(256) with QR's field (primitive polynomial 0x11D, generator
 * roots alpha^0 .. alpha^(ec-1)), written from the algebra: syndromes, the erasure locator, Berlekamp-Massey started
 * from it, a Chien search and Forney's formula. It exists because ZXing's decoder corrects errors only: a symbol known
 * to be unreliable (an erasure) costs one check symbol to fix where an unknown error costs two, so knowing which
 * codewords a glare or a shadow touched reads codes with up to twice as many bad codewords.
 */
final class ReedSolomonErasures {
    private static final int[] EXP = new int[512];
    private static final int[] LOG = new int[256];

    static {
        int x = 1;
        for (int i = 0; i < 255; i++) {
            EXP[i] = x;
            LOG[x] = i;
            x <<= 1;
            if ((x & 0x100) != 0) {
                x ^= 0x11D;
            }
        }
        for (int i = 255; i < 512; i++) {
            EXP[i] = EXP[i - 255];
        }
    }

    private ReedSolomonErasures() {
    }

    static int multiply(int a, int b) {
        return a == 0 || b == 0 ? 0 : EXP[LOG[a] + LOG[b]];
    }

    private static int inverse(int a) {
        return EXP[255 - LOG[a]];
    }

    /** alpha^e for any integer e. */
    static int power(int e) {
        return EXP[Math.floorMod(e, 255)];
    }

    /**
     * Corrects a block in place: {@code block} holds its data codewords then its {@code ec} check codewords, the first
     * one the highest power of x; {@code erasures} are indices of codewords known to be unreliable. Succeeds only when
     * the errors found (ν) and the erasures (s) satisfy 2ν + s <= ec - margin, every locator root lies inside the
     * block, and the corrected block has all syndromes zero; otherwise the block is left as it was.
     *
     * @return whether the block is now a codeword
     */
    static boolean correct(int[] block, int ec, int[] erasures, int margin) {
        int n = block.length;
        int s = erasures.length;
        if (n > 255 || ec <= 0 || ec >= n || s + margin > ec) {
            return false;
        }
        int[] syndromes = syndromes(block, ec);
        boolean clean = true;
        for (int v : syndromes) {
            clean &= v == 0;
        }
        if (clean) {
            return true;
        }
        // The erasure locator: the product of (1 + X x) over the erased positions, X = alpha^(n - 1 - index).
        int[] locator = new int[ec + 1];
        locator[0] = 1;
        int degree = 0;
        for (int index : erasures) {
            int xk = power(n - 1 - index);
            for (int i = ++degree; i >= 1; i--) {
                locator[i] ^= multiply(locator[i - 1], xk);
            }
        }
        // Berlekamp-Massey started from the erasure locator (length s) at syndrome s: it finds the error-and-erasure
        // locator of least degree that generates the syndromes.
        int[] previous = locator.clone();
        int length = s;
        int[] scratch = new int[ec + 1];
        for (int k = s; k < ec; k++) {
            int delta = 0;
            for (int j = 0; j <= length && j <= k; j++) {
                delta ^= multiply(locator[j], syndromes[k - j]);
            }
            // previous <- x * previous happens below in both branches that keep it.
            if (delta == 0) {
                shiftUp(previous);
                continue;
            }
            System.arraycopy(locator, 0, scratch, 0, ec + 1);
            for (int i = ec; i >= 1; i--) {
                locator[i] ^= multiply(delta, previous[i - 1]);
            }
            if (2 * length <= k + s) {
                int inv = inverse(delta);
                for (int i = 0; i <= ec; i++) {
                    previous[i] = multiply(scratch[i], inv);
                }
                length = k + 1 + s - length;
            } else {
                shiftUp(previous);
            }
        }
        int errors = length - s;
        if (errors < 0 || 2 * errors + s > ec - margin) {
            return false;
        }
        for (int i = length + 1; i <= ec; i++) {
            if (locator[i] != 0) {
                return false;
            }
        }
        // Chien search: position index is in error when the locator vanishes at alpha^-(n - 1 - index).
        int[] positions = new int[length];
        int found = 0;
        for (int index = 0; index < n; index++) {
            if (evaluate(locator, length, power(-(n - 1 - index))) == 0) {
                if (found == length) {
                    return false;
                }
                positions[found++] = index;
            }
        }
        if (found != length) {
            return false;
        }
        // The evaluator: syndromes times locator, modulo x^ec. Forney (first root alpha^0): e = X * Omega(1/X) / Lambda'(1/X).
        int[] evaluator = new int[ec];
        for (int i = 0; i < ec; i++) {
            int v = 0;
            for (int j = 0; j <= Math.min(i, length); j++) {
                v ^= multiply(locator[j], syndromes[i - j]);
            }
            evaluator[i] = v;
        }
        int[] corrected = block.clone();
        for (int p = 0; p < found; p++) {
            int index = positions[p];
            int xk = power(n - 1 - index);
            int xInv = power(-(n - 1 - index));
            int derivative = 0;
            for (int i = 1; i <= length; i += 2) {
                derivative ^= multiply(locator[i], power(LOG[xInv] * (i - 1)));
            }
            if (derivative == 0) {
                return false;
            }
            int magnitude = multiply(xk, multiply(evaluate(evaluator, ec - 1, xInv), inverse(derivative)));
            corrected[index] ^= magnitude;
        }
        for (int v : syndromes(corrected, ec)) {
            if (v != 0) {
                return false;
            }
        }
        System.arraycopy(corrected, 0, block, 0, n);
        return true;
    }

    /** S_i = r(alpha^i) for i = 0 .. ec - 1, the block read as a polynomial with its first codeword the highest power. */
    static int[] syndromes(int[] block, int ec) {
        int[] out = new int[ec];
        for (int i = 0; i < ec; i++) {
            int a = EXP[i];
            int v = 0;
            for (int c : block) {
                v = multiply(v, a) ^ c;
            }
            out[i] = v;
        }
        return out;
    }

    private static void shiftUp(int[] poly) {
        System.arraycopy(poly, 0, poly, 1, poly.length - 1);
        poly[0] = 0;
    }

    /** The polynomial's value at x, its coefficients lowest power first up to {@code degree}. */
    private static int evaluate(int[] poly, int degree, int x) {
        int v = 0;
        for (int i = degree; i >= 0; i--) {
            v = multiply(v, x) ^ poly[i];
        }
        return v;
    }
}
