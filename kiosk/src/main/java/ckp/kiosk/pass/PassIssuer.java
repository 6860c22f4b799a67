package ckp.kiosk.pass;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Arrays;

/**
 * Makes CKP1 pass texts: for the technician's bench tool, the demo frames and tests. A kiosk never issues passes.
 */
public final class PassIssuer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PassIssuer() {
    }

    public static String issue(PrivateKey key, PassClaims claims) {
        ObjectNode o = JSON.createObjectNode();
        o.put("v", 1);
        o.put("id", claims.id());
        o.put("kid", claims.kid());
        o.put("cls", claims.cls());
        claims.plate().ifPresent(p -> o.put("plate", p));
        claims.sub().ifPresent(s -> o.put("sub", s));
        o.put("nbf", claims.notBeforeEpochSeconds());
        o.put("exp", claims.expiresEpochSeconds());
        return sign(key, o.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Signs raw claim bytes, valid or not: tests use it to make passes that are signed but malformed. */
    public static String sign(PrivateKey key, byte[] claimBytes) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(Ckp1Verifier.signedMessage(claimBytes));
            byte[] sig = s.sign();
            byte[] all = Arrays.copyOf(claimBytes, claimBytes.length + sig.length);
            System.arraycopy(sig, 0, all, claimBytes.length, sig.length);
            return Ckp1Verifier.PREFIX + Base45.encode(all);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key (" + key.getAlgorithm()
                    + "); CKP1 passes need an Ed25519 private key", e);
        }
    }
}
