package ckp.kiosk.rules;

import ckp.kiosk.lane.Decision;
import java.util.Objects;
import java.util.Optional;

/**
 * One plate-origin watch rule: a plate whose registration starts with this prefix gets at least this decision.
 * A prefix is one of the 31 mainland provinces' one-character abbreviations, optionally followed by the city letter
 * (A-Z without I, which is never issued): the origin part of a plate, and nothing of its serial.
 */
public record PlateWatchRule(String prefix, Decision decision) {
    /**
     * The official one-character abbreviations of the 31 mainland provincial-level divisions, as the first character
     * of a plate shows them. Not accepted: 港 澳 (their vehicles carry 粤Z plates on the mainland), 台 (no mainland
     * plate starts with it), and 使 领 警 学 挂 军-style marks, which say what a vehicle is, not where it is from.
     */
    public static final String PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

    public PlateWatchRule {
        Objects.requireNonNull(prefix);
        Objects.requireNonNull(decision);
        problem(prefix).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        if (decision == Decision.PASS) {
            throw new IllegalArgumentException("a watch rule's decision is manual or stop, not pass");
        }
    }

    /** Why a text is not a watch prefix; empty when it is one. Never repeats the text (it may be any sender's). */
    public static Optional<String> problem(String prefix) {
        int[] cps = prefix.codePoints().toArray();
        if (cps.length < 1 || cps.length > 2) {
            return Optional.of("a prefix is a province abbreviation, optionally with one city letter (1 or 2 "
                    + "characters), got " + cps.length + " characters");
        }
        if (PROVINCES.indexOf(cps[0]) < 0 || Character.isSupplementaryCodePoint(cps[0])) {
            return Optional.of("a prefix starts with one of the 31 province abbreviations " + PROVINCES);
        }
        if (cps.length == 2 && !isCityLetter(cps[1])) {
            return Optional.of("a prefix's city letter is one of A-Z (upper case, not I)");
        }
        return Optional.empty();
    }

    private static boolean isCityLetter(int c) {
        return c >= 'A' && c <= 'Z' && c != 'I';
    }

    /** Whether this rule covers the plate's origin: the same province, and the same city letter when it names one. */
    public boolean covers(PlateOrigin origin) {
        String province = new String(Character.toChars(origin.province()));
        if (!prefix.startsWith(province)) {
            return false;
        }
        return prefix.length() == 1 || origin.cityLetter().isPresent()
                && prefix.charAt(1) == origin.cityLetter().get();
    }
}
