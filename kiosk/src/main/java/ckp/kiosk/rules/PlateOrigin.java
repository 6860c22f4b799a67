package ckp.kiosk.rules;

import java.util.Optional;

/**
 * Where a plate says its vehicle is registered: the province's character and the city letter after it. Read leniently
 * (a lower-case or full-width letter, a space or middle dot after the province), since passes are written by people;
 * a plate that does not start with a province abbreviation has no origin a rule can watch.
 *
 * @param province   the province abbreviation's code point
 * @param cityLetter the city letter, upper-case ASCII, when the plate has one
 */
public record PlateOrigin(int province, Optional<Character> cityLetter) {

    /** The origin of a plate, or empty when it does not start with one of {@link PlateWatchRule#PROVINCES}. */
    public static Optional<PlateOrigin> of(String plate) {
        int[] cps = plate.strip().codePoints().toArray();
        if (cps.length == 0 || PlateWatchRule.PROVINCES.indexOf(cps[0]) < 0) {
            return Optional.empty();
        }
        int i = 1;
        while (i < cps.length && (cps[i] == ' ' || cps[i] == '·' || cps[i] == '•' || cps[i] == '\u3000')) {
            i++;
        }
        Optional<Character> letter = Optional.empty();
        if (i < cps.length) {
            int c = cps[i];
            if (c >= 0xFF21 && c <= 0xFF3A || c >= 0xFF41 && c <= 0xFF5A) {
                c = c - 0xFF21 + 'A'; // full-width Latin letters
                if (c > 'Z') {
                    c -= 'a' - 'A';
                }
            }
            if (c >= 'a' && c <= 'z') {
                c -= 'a' - 'A';
            }
            if (c >= 'A' && c <= 'Z') {
                letter = Optional.of((char) c);
            }
        }
        return Optional.of(new PlateOrigin(cps[0], letter));
    }
}
