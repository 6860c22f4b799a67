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
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("pass id must be 1-32 of A-Z a-z 0-9 -");
        }
        if (!KID.matcher(kid).matches()) {
            throw new IllegalArgumentException("kid must be 1-16 of a-z 0-9 -");
        }
        if (!(cls.equals("F") || cls.equals("P") || cls.equals("R"))) {
            throw new IllegalArgumentException("cls must be F, P or R");
        }
        if (plate.isPresent() && plate.get().codePointCount(0, plate.get().length()) > 16) {
            throw new IllegalArgumentException("plate must be at most 16 characters");
        }
        if (sub.isPresent() && sub.get().codePointCount(0, sub.get().length()) > 64) {
            throw new IllegalArgumentException("sub must be at most 64 characters");
        }
        if (expiresEpochSeconds <= notBeforeEpochSeconds) {
            throw new IllegalArgumentException("exp must be after nbf");
        }
    }
}
