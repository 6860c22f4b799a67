package ckp.kiosk.pass;

import java.io.ByteArrayOutputStream;
import java.util.Optional;

/** Base45 (RFC 9285): the encoding that keeps a pass in the QR alphanumeric mode. */
public final class Base45 {
    static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    private static final int[] VALUE = new int[128];

    static {
        java.util.Arrays.fill(VALUE, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            VALUE[ALPHABET.charAt(i)] = i;
        }
    }

    private Base45() {
    }

    /**
     * Decodes Base45 text; empty for a character outside the alphabet, a triplet above 65535, a pair above 255 or a
     * lone trailing character — all of which RFC 9285 calls invalid.
     */
    public static Optional<byte[]> decode(CharSequence text) {
        int n = text.length();
        if (n % 3 == 1) {
            return Optional.empty();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(n / 3 * 2 + 1);
        for (int i = 0; i < n; i += 3) {
            int c = value(text.charAt(i));
            int d = value(text.charAt(i + 1));
            if (c < 0 || d < 0) {
                return Optional.empty();
            }
            if (i + 2 < n) {
                int e = value(text.charAt(i + 2));
                if (e < 0) {
                    return Optional.empty();
                }
                int v = c + d * 45 + e * 45 * 45;
                if (v > 0xFFFF) {
                    return Optional.empty();
                }
                out.write(v >> 8);
                out.write(v & 0xFF);
            } else {
                int v = c + d * 45;
                if (v > 0xFF) {
                    return Optional.empty();
                }
                out.write(v);
            }
        }
        return Optional.of(out.toByteArray());
    }

    public static String encode(byte[] data) {
        StringBuilder sb = new StringBuilder(data.length / 2 * 3 + 2);
        for (int i = 0; i + 1 < data.length; i += 2) {
            int v = ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
            sb.append(ALPHABET.charAt(v % 45)).append(ALPHABET.charAt(v / 45 % 45)).append(ALPHABET.charAt(v / 2025));
        }
        if (data.length % 2 == 1) {
            int v = data[data.length - 1] & 0xFF;
            sb.append(ALPHABET.charAt(v % 45)).append(ALPHABET.charAt(v / 45));
        }
        return sb.toString();
    }

    private static int value(char ch) {
        return ch < 128 ? VALUE[ch] : -1;
    }
}
