package ckp.kiosk.pass;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an event may say about an EU Digital COVID Certificate: its type, the issuing country, the signer's kid and a
 * digest of the certificate identifier. The holder's name and date of birth are never copied out of the payload, so
 * nothing downstream (events, logs, the store) can leak them.
 *
 * @param type     {@code v} vaccination, {@code t} test or {@code r} recovery
 * @param country  the issuing country (the CWT {@code iss}, else the entry's {@code co}), 1-8 of A-Z a-z 0-9 -
 * @param kid      the Document Signer Certificate's kid (8 bytes; up to 32 read), base64 as the EU trust lists write it
 * @param ciDigest the first 16 bytes of SHA-256 of the certificate identifier {@code ci}, hex; the deny list can
 *                 revoke by it
 */
public record Hc1Pass(String type, String country, String kid, String ciDigest) {
    static final Pattern COUNTRY = Pattern.compile("[A-Za-z0-9-]{1,8}");
    static final Pattern KID = Pattern.compile("[A-Za-z0-9+/]{2,43}={0,2}");
    static final Pattern CI_DIGEST = Pattern.compile("[0-9a-f]{32}");

    public Hc1Pass {
        Objects.requireNonNull(type);
        Objects.requireNonNull(country);
        Objects.requireNonNull(kid);
        Objects.requireNonNull(ciDigest);
        if (!(type.equals("v") || type.equals("t") || type.equals("r"))) {
            throw new IllegalArgumentException("an HC1 type is v, t or r, got " + type);
        }
        if (!COUNTRY.matcher(country).matches()) {
            throw new IllegalArgumentException("an HC1 issuing country is 1-8 of A-Z a-z 0-9 -, got " + country);
        }
        if (!KID.matcher(kid).matches()) {
            throw new IllegalArgumentException("an HC1 kid is 1-32 bytes in base64, got " + kid);
        }
        if (!CI_DIGEST.matcher(ciDigest).matches()) {
            throw new IllegalArgumentException("a ci digest is 32 hex digits, got " + ciDigest);
        }
    }
}
