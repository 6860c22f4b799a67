package ckp.kiosk.pass;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How a plate appears in events ({@code privacy.plate}). A plate is personal data: by default only its first two and
 * last two characters are kept ({@code 鲁L12345} → {@code 鲁L***45}), enough for an officer to match the vehicle in
 * front of them; {@code hashed} publishes the salted hash only, {@code clear} the plate as issued.
 *
 * @param salt the site salt, required for {@link Mode#HASHED}
 */
public record PlatePrivacy(Mode mode, Optional<SaltedHash> salt) {
    public static final PlatePrivacy MASKED = new PlatePrivacy(Mode.MASKED, Optional.empty());
    public static final PlatePrivacy CLEAR = new PlatePrivacy(Mode.CLEAR, Optional.empty());

    /** The three forms a plate can take in an event. */
    public enum Mode {
        CLEAR, MASKED, HASHED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PlatePrivacy {
        Objects.requireNonNull(mode);
        Objects.requireNonNull(salt);
        if (mode == Mode.HASHED && salt.isEmpty()) {
            throw new IllegalArgumentException("privacy.plate=hashed needs the site salt (pass.hash.salt.file)");
        }
    }

    public static PlatePrivacy hashed(SaltedHash salt) {
        return new PlatePrivacy(Mode.HASHED, Optional.of(salt));
    }

    public String apply(String plate) {
        return switch (mode) {
            case CLEAR -> plate;
            case HASHED -> salt.orElseThrow().of("plate:" + plate);
            case MASKED -> mask(plate);
        };
    }

    /**
     * A watch rule's prefix that a plate matched, as far as this form shows it: in full when the plate itself is
     * shown in full or its masked form begins with it, never when only its hash is published — a prefix names the
     * plate's origin, which the hash is there to hide.
     */
    public Optional<String> prefixShown(String plate, String prefix) {
        return switch (mode) {
            case CLEAR -> Optional.of(prefix);
            case HASHED -> Optional.empty();
            case MASKED -> mask(plate).startsWith(prefix) ? Optional.of(prefix) : Optional.empty();
        };
    }

    private static String mask(String plate) {
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
