package ckp.provisioning.pass;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The body of `kioskctl pass keygen` and `kioskctl site keygen`: both make an Ed25519 key pair under a kid and tell
 * the operator where each half goes; only the kid's form and the kiosk folder the public half belongs in differ.
 */
public final class KeygenReport {
    private KeygenReport() {
    }

    /** Writes {@code <kid>.key} and {@code <kid>.pem} into {@code dir}, never over an existing key, and reports them. */
    public static int writeKeyPair(CommandSpec spec, Path dir, String kid, String trustDirKey)
            throws IOException, GeneralSecurityException {
        Ed25519Pem.KeyPairFiles files = Ed25519Pem.writeNewKeyPair(dir, kid).orElseThrow(() ->
                new CommandLine.ParameterException(spec.commandLine(), dir.resolve(kid + ".key") + " or "
                        + dir.resolve(kid + ".pem") + " exists already; keygen never overwrites a key (move it away first)"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("private key: " + files.privateKey() + " (mode 0600; never copy it to a kiosk)");
        out.println("public key:  " + files.publicKey() + " (copy into each kiosk's " + trustDirKey + ")");
        out.flush();
        return 0;
    }
}
