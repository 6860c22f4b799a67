package ckp.provisioning.site;

import ckp.kiosk.pass.DenyListFeed;
import ckp.kiosk.rules.PlateWatchFeed;
import ckp.kiosk.site.SiteJws;
import ckp.provisioning.pass.Ed25519Pem;
import ckp.provisioning.pass.KeygenReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kioskctl site}: the site authority's tools, for the central side and the bench: a key pair whose public half
 * goes into every kiosk's {@code site.trust.dir}, and the signing of a deny list or a rules document into the JWS
 * kiosks accept.
 */
@Command(name = "site", mixinStandardHelpOptions = true,
        description = "Make site authority keys and sign site messages (the deny list, the plate watch rules).",
        subcommands = {SiteCommand.Keygen.class, SiteCommand.Sign.class})
public final class SiteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Make an Ed25519 site authority key pair: <kid>.key (private, PKCS#8 PEM, mode 0600; keep "
                    + "it at the central side) and <kid>.pem (public; copy it into each kiosk's site.trust.dir).")
    static final class Keygen implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--kid", required = true, description = "the key id signed messages name: 1-64 of A-Z a-z 0-9 . _ -, no leading dot")
        String kid;

        @Option(names = "--dir", description = "folder to write the two files to (default: the current folder)")
        Path dir = Path.of(".");

        @Override
        public Integer call() throws IOException, GeneralSecurityException {
            if (!SiteJws.KID.matcher(kid).matches()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--kid '" + kid + "' must be 1-64 of A-Z a-z 0-9 . _ - (no leading dot)");
            }
            return KeygenReport.writeKeyPair(spec, dir, kid, "site.trust.dir");
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = "Sign a deny list or rules JSON file and print the JWS to publish, retained, on "
                    + "{prefix}/{site}/denylist (or as args.jws of the denylist command) or {prefix}/{site}/rules.")
    static final class Sign implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE.json",
                description = "the deny list {\"version\":N,\"ids\":[...]} or the rules {\"version\":N,"
                        + "\"plateWatch\":[...]} (docs/mqtt.md)")
        Path file;

        @Option(names = "--kind", description = "denylist or rules (default: rules for a document with a "
                + "plateWatch member, else denylist); the JWS typ names it, so kiosks refuse it on the other topic")
        String kind;

        @Option(names = "--key", required = true, description = "the site authority's private key (kioskctl site keygen)")
        Path key;

        @Option(names = "--kid", description = "the key id to name (default: the key file's name without its extension)")
        String kid;

        @Option(names = "--out", description = "write the JWS to this file, without a line break (mosquitto_pub -f "
                + "sends a file as it is, and kiosks refuse anything after the signature); default: print it")
        Path outFile;

        @Override
        public Integer call() throws IOException, GeneralSecurityException {
            String keyId = kid != null ? kid : key.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            if (!SiteJws.KID.matcher(keyId).matches()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "kid '" + keyId
                        + "' must be 1-64 of A-Z a-z 0-9 . _ - with no leading dot (give --kid)");
            }
            byte[] json = Files.readAllBytes(file);
            String messageKind = kind != null ? kind : hasPlateWatch(json) ? PlateWatchFeed.KIND : DenyListFeed.KIND;
            // Never sign what every kiosk would refuse: the mistake shows here, not as an alarm from each lane.
            Optional<String> problem = switch (messageKind) {
                case DenyListFeed.KIND -> DenyListFeed.problem(json);
                case PlateWatchFeed.KIND -> PlateWatchFeed.problem(json);
                default -> throw new CommandLine.ParameterException(spec.commandLine(), "--kind '" + messageKind
                        + "' must be denylist or rules");
            };
            if (problem.isPresent()) {
                throw new CommandLine.ParameterException(spec.commandLine(), file + " is not a "
                        + (messageKind.equals(DenyListFeed.KIND) ? "deny list" : "rules document") + " a kiosk "
                        + "accepts: " + problem.get());
            }
            PrivateKey privateKey;
            try {
                privateKey = Ed25519Pem.readPrivate(key);
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--key: " + e.getMessage());
            }
            String jws = SiteJws.sign(privateKey, keyId, messageKind, json);
            if (outFile != null) {
                Files.writeString(outFile, jws, java.nio.charset.StandardCharsets.US_ASCII);
                return 0;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(jws);
            out.flush();
            return 0;
        }

        /** Whether the document is a JSON object with a plateWatch member (a rules document); false for anything else. */
        private static boolean hasPlateWatch(byte[] json) {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).has("plateWatch");
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
    }
}
