package ckp.kiosk.pass;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** The claims of a CKP1 pass, checked for form as the contract's table requires. */
public record PassClaims(String id, String kid, String cls, Optional<String> plate, Optional<String> sub,
                         long notBeforeEpochSeconds, long expiresEpochSeconds) {
    static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,32}");
    static final Pattern KID = Pattern.compile("[a-z0-9-]{1,16}");

    public PassClaims {
        Objects.requireNonNull(id);
        Objects.requireNonNull(kid);
        Objects.requireNonNull(cls);
        Objects.requireNonNull(plate);
        Objects.requireNonNull(sub);
        formProblem(id, kid, cls, plate, sub, notBeforeEpochSeconds, expiresEpochSeconds).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
    }

    /** What is wrong with these members, if anything: the parser asks first, so a bad pass costs no exception. */
    static Optional<String> formProblem(String id, String kid, String cls, Optional<String> plate, Optional<String> sub,
                                        long notBeforeEpochSeconds, long expiresEpochSeconds) {
        if (!ID.matcher(id).matches()) {
            return Optional.of("pass id must be 1-32 of A-Z a-z 0-9 -");
        }
        if (!KID.matcher(kid).matches()) {
            return Optional.of("kid must be 1-16 of a-z 0-9 -");
        }
        if (!(cls.equals("F") || cls.equals("P") || cls.equals("R"))) {
            return Optional.of("cls must be F, P or R");
        }
        if (plate.isPresent() && plate.get().codePointCount(0, plate.get().length()) > 16) {
            return Optional.of("plate must be at most 16 characters");
        }
        if (sub.isPresent() && sub.get().codePointCount(0, sub.get().length()) > 64) {
            return Optional.of("sub must be at most 64 characters");
        }
        if (plate.isPresent() && !wellFormed(plate.get()) || sub.isPresent() && !wellFormed(sub.get())) {
            return Optional.of("plate and sub must be Unicode text (no lone surrogates)");
        }
        if (expiresEpochSeconds <= notBeforeEpochSeconds) {
            return Optional.of("exp must be after nbf");
        }
        return Optional.empty();
    }

    /**
     * Whether a string holds only Unicode scalar values: JSON can escape a lone surrogate ({@code "\ud800"}), which no
     * UTF-8 text can hold and which would turn into {@code ?} in an event.
     */
    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
