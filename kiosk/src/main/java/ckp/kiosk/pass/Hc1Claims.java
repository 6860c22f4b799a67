package ckp.kiosk.pass;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an HC1 pass's CBOR Web Token says, as far as verification needs it, read apart from {@link Hc1Verifier} so the
 * CWT's layout lives in one place; the certificate map ({@code dcc}) with the holder's name and birth date stays inside
 * this class.
 */
record Hc1Claims(Optional<Long> issuedAt, Optional<Long> expires, String type, String country, String ciDigest) {
    Hc1Claims {
        Objects.requireNonNull(issuedAt);
        Objects.requireNonNull(expires);
        Objects.requireNonNull(type);
        Objects.requireNonNull(country);
        Objects.requireNonNull(ciDigest);
    }

    /**
     * The claims verification needs: iss (1), exp (4), iat (6) and the certificate under hcert (−260 → 1), which must
     * hold exactly one of {@code v}, {@code t}, {@code r} with an entry carrying its {@code ci}.
     */
    static Optional<Hc1Claims> parse(JsonNode cwt) {
        Optional<JsonNode> certificate = certificate(cwt);
        if (certificate.isEmpty()) {
            return Optional.empty();
        }
        JsonNode dcc = certificate.get();
        Optional<Long> exp = time(cwt.get("4"));
        Optional<Long> iat = time(cwt.get("6"));
        if (exp.isEmpty() && cwt.has("4") || iat.isEmpty() && cwt.has("6") || exp.isEmpty()) {
            return Optional.empty();
        }
        String type = null;
        for (String t : List.of("v", "t", "r")) {
            JsonNode entries = dcc.get(t);
            // Some issuers write the two absent types as null rather than leaving them out.
            if (entries != null && !entries.isNull()) {
                if (type != null || !entries.isArray() || entries.isEmpty()) {
                    return Optional.empty();
                }
                type = t;
            }
        }
        if (type == null) {
            return Optional.empty();
        }
        JsonNode entry = dcc.get(type).get(0);
        JsonNode ci = entry.isObject() ? entry.get("ci") : null;
        if (ci == null || !ci.isTextual() || ci.textValue().isEmpty()) {
            return Optional.empty();
        }
        JsonNode iss = cwt.get("1");
        JsonNode co = entry.get("co");
        String country;
        if (iss != null && iss.isTextual() && Hc1Pass.COUNTRY.matcher(iss.textValue()).matches()) {
            country = iss.textValue();
        } else if (co != null && co.isTextual() && Hc1Pass.COUNTRY.matcher(co.textValue()).matches()) {
            country = co.textValue();
        } else {
            return Optional.empty();
        }
        return Optional.of(new Hc1Claims(iat, exp, type, country, ciDigest(ci.textValue())));
    }

    /** The certificate map under hcert (−260 → 1): decoding has not reached the DCC without it. */
    static Optional<JsonNode> certificate(JsonNode cwt) {
        JsonNode hcert = cwt.get("-260");
        JsonNode dcc = hcert != null && hcert.isObject() ? hcert.get("1") : null;
        return dcc != null && dcc.isObject() ? Optional.of(dcc) : Optional.empty();
    }

    /** A CWT time: an integer, or a finite number (some issuers write floats), in Unix seconds. */
    private static Optional<Long> time(JsonNode n) {
        if (n == null) {
            return Optional.empty();
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return Optional.of(n.longValue());
        }
        if (n.isFloatingPointNumber() && Double.isFinite(n.doubleValue()) && Math.abs(n.doubleValue()) < 1e15) {
            return Optional.of((long) Math.floor(n.doubleValue()));
        }
        return Optional.empty();
    }

    /** The first 16 bytes of SHA-256 of the certificate identifier, hex: what the deny list names an HC1 pass by. */
    static String ciDigest(String ci) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(ci.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
