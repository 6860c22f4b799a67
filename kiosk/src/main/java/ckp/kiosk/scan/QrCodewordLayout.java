package ckp.kiosk.scan;

import com.google.zxing.FormatException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.decoder.Version;

/**
 * Where a QR code of one size keeps its format information, version information and codewords (ISO 18004): the
 * format words' module positions, the data masks, the zigzag placement of codeword bits and the interleaving of
 * codewords into Reed-Solomon blocks. Written here because ZXing's own (BitMatrixParser, DataBlock, DataMask,
 * FormatInformation) are package-private, and the soft-decision rescue must read each codeword with the modules it is
 * made of and write corrected codewords back into a matrix for ZXing's decoder.
 */
final class QrCodewordLayout {
    /** The 32 valid format words (masked with 0x5412), indexed by their five data bits (EC level bits, mask). */
    private static final int[] FORMAT_WORDS = new int[32];
    /** The valid version words of versions 7 to 40, indexed by version number. */
    private static final int[] VERSION_WORDS = new int[41];

    static {
        for (int d = 0; d < 32; d++) {
            FORMAT_WORDS[d] = ((d << 10) | remainder(d << 10, 0x537, 10)) ^ 0x5412;
        }
        for (int v = 7; v <= 40; v++) {
            VERSION_WORDS[v] = (v << 12) | remainder(v << 12, 0x1F25, 12);
        }
    }

    final int dimension;
    final Version version;
    /** For each module, row-major: the index of the codeword it belongs to, or -1 (function pattern, remainder bit). */
    final int[] codewordOf;
    /** For each module, row-major: its bit within its codeword (7 the most significant). */
    final int[] bitOf;

    QrCodewordLayout(int dimension) throws FormatException {
        this.dimension = dimension;
        this.version = Version.getProvisionalVersionForDimension(dimension);
        boolean[] function = functionPattern(version, dimension);
        codewordOf = new int[dimension * dimension];
        bitOf = new int[dimension * dimension];
        java.util.Arrays.fill(codewordOf, -1);
        int total = version.getTotalCodewords();
        int read = 0;
        boolean up = true;
        for (int j = dimension - 1; j > 0; j -= 2) {
            if (j == 6) {
                j--;
            }
            for (int count = 0; count < dimension; count++) {
                int row = up ? dimension - 1 - count : count;
                for (int c = 0; c < 2; c++) {
                    int m = row * dimension + j - c;
                    if (!function[m] && read < total * 8) {
                        codewordOf[m] = read / 8;
                        bitOf[m] = 7 - read % 8;
                        read++;
                    }
                }
            }
            up = !up;
        }
        if (read != total * 8) {
            throw FormatException.getFormatInstance();
        }
    }

    /**
     * The modules (column, row) of the first and second copy of the format word, most significant bit first, in the
     * order ZXing's BitMatrixParser reads them, so that a word written here reads back there.
     */
    int[][] formatModules(int copy) {
        int[][] out = new int[15][];
        int k = 0;
        if (copy == 0) {
            for (int i = 0; i < 6; i++) {
                out[k++] = new int[] {i, 8};
            }
            out[k++] = new int[] {7, 8};
            out[k++] = new int[] {8, 8};
            out[k++] = new int[] {8, 7};
            for (int j = 5; j >= 0; j--) {
                out[k++] = new int[] {8, j};
            }
        } else {
            for (int j = dimension - 1; j >= dimension - 7; j--) {
                out[k++] = new int[] {8, j};
            }
            for (int i = dimension - 8; i < dimension; i++) {
                out[k++] = new int[] {i, 8};
            }
        }
        return out;
    }

    /** The modules (column, row) of the two copies of the version word (versions 7 and up), most significant bit first. */
    int[][] versionModules(int copy) {
        int[][] out = new int[18][];
        int k = 0;
        for (int a = 5; a >= 0; a--) {
            for (int b = dimension - 9; b >= dimension - 11; b--) {
                out[k++] = copy == 0 ? new int[] {b, a} : new int[] {a, b};
            }
        }
        return out;
    }

    /** The valid format word for this level and mask, as it is placed (masked with 0x5412). */
    static int formatWord(ErrorCorrectionLevel level, int mask) {
        return FORMAT_WORDS[(level.getBits() << 3) | mask];
    }

    /** The valid version word of this version (7 to 40). */
    static int versionWord(int version) {
        return VERSION_WORDS[version];
    }

    /** The data bits (EC level bits << 3 | mask) of the valid format word nearest to either word read, or -1 when none lies within 3 bits. */
    static int nearestFormat(int first, int second) {
        int best = -1;
        int bestDistance = 4;
        for (int d = 0; d < 32; d++) {
            int distance = Math.min(Integer.bitCount(first ^ FORMAT_WORDS[d]), Integer.bitCount(second ^ FORMAT_WORDS[d]));
            if (distance < bestDistance) {
                best = d;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Whether either version word read lies within 3 bits of this version's word and nearer to it than to any other. */
    static boolean versionMatches(int version, int first, int second) {
        for (int word : new int[] {first, second}) {
            int best = -1;
            int bestDistance = 4;
            for (int v = 7; v <= 40; v++) {
                int distance = Integer.bitCount(word ^ VERSION_WORDS[v]);
                if (distance < bestDistance) {
                    best = v;
                    bestDistance = distance;
                }
            }
            if (best == version) {
                return true;
            }
        }
        return false;
    }

    /** Whether data mask {@code mask} flips the module at this row and column. */
    static boolean masked(int mask, int row, int col) {
        return switch (mask) {
            case 0 -> ((row + col) & 1) == 0;
            case 1 -> (row & 1) == 0;
            case 2 -> col % 3 == 0;
            case 3 -> (row + col) % 3 == 0;
            case 4 -> ((row / 2 + col / 3) & 1) == 0;
            case 5 -> (row * col) % 2 + (row * col) % 3 == 0;
            case 6 -> (((row * col) % 2 + (row * col) % 3) & 1) == 0;
            default -> (((row + col) % 2 + (row * col) % 3) & 1) == 0;
        };
    }

    /**
     * For each block (shorter blocks first, as ISO 18004 orders them), the index in the placed sequence of each of its
     * codewords: data codewords interleaved one from each block in turn, then check codewords the same way.
     */
    int[][] blocks(ErrorCorrectionLevel level) {
        Version.ECBlocks ec = version.getECBlocksForLevel(level);
        int perBlockEc = ec.getECCodewordsPerBlock();
        int count = ec.getNumBlocks();
        int[][] out = new int[count][];
        int[] dataLength = new int[count];
        int b = 0;
        int maxData = 0;
        for (Version.ECB group : ec.getECBlocks()) {
            for (int i = 0; i < group.getCount(); i++) {
                dataLength[b] = group.getDataCodewords();
                out[b++] = new int[group.getDataCodewords() + perBlockEc];
                maxData = Math.max(maxData, group.getDataCodewords());
            }
        }
        int next = 0;
        for (int i = 0; i < maxData; i++) {
            for (int k = 0; k < count; k++) {
                if (i < dataLength[k]) {
                    out[k][i] = next++;
                }
            }
        }
        for (int i = 0; i < perBlockEc; i++) {
            for (int k = 0; k < count; k++) {
                out[k][dataLength[k] + i] = next++;
            }
        }
        return out;
    }

    /** The modules that are not data: finder patterns with their separators and format areas, timing, alignment and version areas. */
    private static boolean[] functionPattern(Version version, int dimension) {
        boolean[] f = new boolean[dimension * dimension];
        region(f, dimension, 0, 0, 9, 9);
        region(f, dimension, dimension - 8, 0, 8, 9);
        region(f, dimension, 0, dimension - 8, 9, 8);
        int[] centres = version.getAlignmentPatternCenters();
        int max = centres.length;
        for (int x = 0; x < max; x++) {
            for (int y = 0; y < max; y++) {
                if ((x == 0 && (y == 0 || y == max - 1)) || (x == max - 1 && y == 0)) {
                    continue;
                }
                region(f, dimension, centres[y] - 2, centres[x] - 2, 5, 5);
            }
        }
        region(f, dimension, 6, 9, 1, dimension - 17);
        region(f, dimension, 9, 6, dimension - 17, 1);
        if (version.getVersionNumber() > 6) {
            region(f, dimension, dimension - 11, 0, 3, 6);
            region(f, dimension, 0, dimension - 11, 6, 3);
        }
        return f;
    }

    private static void region(boolean[] f, int dimension, int left, int top, int width, int height) {
        for (int y = top; y < top + height; y++) {
            for (int x = left; x < left + width; x++) {
                f[y * dimension + x] = true;
            }
        }
    }

    /** The remainder of a polynomial over GF(2) divided by the generator, whose degree is {@code degree}. */
    private static int remainder(int value, int generator, int degree) {
        for (int bit = 31 - Integer.numberOfLeadingZeros(value); bit >= degree; bit--) {
            if ((value & (1 << bit)) != 0) {
                value ^= generator << (bit - degree);
            }
        }
        return value;
    }

    /** Sets a module of a matrix to a bit, column and row as {@link #formatModules} gives them. */
    static void put(BitMatrix matrix, int col, int row, boolean dark) {
        if (dark) {
            matrix.set(col, row);
        } else {
            matrix.unset(col, row);
        }
    }
}
