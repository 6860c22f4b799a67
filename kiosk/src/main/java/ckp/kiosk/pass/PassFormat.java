package ckp.kiosk.pass;

import java.util.List;
import java.util.Objects;

/**
 * A kind of pass the kiosk recognises by its text, as opposed to any other code in view (a URL, a product code):
 * at the lane a pass is preferred over other codes, and two different passes in view at once go to an officer.
 * Another pass format plugs in by adding it to {@link #KNOWN}.
 *
 * @param name   the format's name in logs and docs
 * @param prefix the text every code of this format starts with
 */
public record PassFormat(String name, String prefix) {
    /** Checkpoint passes, verified by {@link Ckp1Verifier}. */
    public static final PassFormat CKP1 = new PassFormat("CKP1", Ckp1Verifier.PREFIX);

    /** EU Digital COVID Certificates, verified by {@link Hc1Verifier}. */
    public static final PassFormat HC1 = new PassFormat("HC1", Hc1Verifier.PREFIX);

    /** The formats the lane treats as passes, most preferred first. */
    public static final List<PassFormat> KNOWN = List.of(CKP1, HC1);

    public PassFormat {
        Objects.requireNonNull(name, "name");
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("a pass format needs the prefix its codes start with, got " + prefix);
        }
    }

    /** Whether {@code text} is a code of this format. */
    public boolean matches(String text) {
        return text.startsWith(prefix);
    }
}
