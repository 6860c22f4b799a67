package ckp.kiosk.pass;

/**
 * How a plate appears in events: a plate is personal data, so by default only its first two and last two characters
 * are kept ({@code 鲁L12345} → {@code 鲁L***45}), enough for an officer to match a vehicle in front of them.
 */
public enum PlatePrivacy {
    CLEAR, MASKED;

    public String apply(String plate) {
        if (this == CLEAR) {
            return plate;
        }
        int[] cps = plate.codePoints().toArray();
        if (cps.length <= 4) {
            return "*".repeat(cps.length);
        }
        StringBuilder sb = new StringBuilder();
        sb.appendCodePoint(cps[0]).appendCodePoint(cps[1]);
        sb.append("*".repeat(cps.length - 4));
        sb.appendCodePoint(cps[cps.length - 2]).appendCodePoint(cps[cps.length - 1]);
        return sb.toString();
    }
}
