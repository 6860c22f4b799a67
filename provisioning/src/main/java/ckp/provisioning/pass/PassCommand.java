package ckp.provisioning.pass;

import ckp.drivers.camera.ImageFile;
import ckp.kiosk.pass.Ckp1Verifier;
import ckp.kiosk.pass.DenyList;
import ckp.kiosk.pass.PassCheck;
import ckp.kiosk.pass.PassClaims;
import ckp.kiosk.pass.PassIssuer;
import ckp.kiosk.pass.PassOutcome;
import ckp.kiosk.pass.PassVerifier;
import ckp.kiosk.pass.TrustStore;
import ckp.kiosk.scan.DecodedCode;
import ckp.kiosk.scan.QrDecoder;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.Encoder;
import com.google.zxing.qrcode.encoder.QRCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kioskctl pass}: bench tools for CKP1 passes (keygen, issue, verify) and HC1 verification. */
@Command(name = "pass", mixinStandardHelpOptions = true, description = "Make and check CKP1 passes at the bench; check HC1 passes (EU Digital COVID Certificates).",
        subcommands = {PassCommand.Keygen.class, PassCommand.Issue.class, PassCommand.Verify.class})
public final class PassCommand implements Callable<Integer> {
    /** Exit status of {@code verify} for a code that is not a valid pass (0 is valid, 2 a usage error). */
    public static final int NOT_VALID = 1;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    /** Reads a time as the options take it: Unix seconds, an ISO instant or offset date-time, or a date (00:00 UTC). */
    static final class TimeConverter implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            String v = value.strip();
            if (v.matches("-?[0-9]{1,19}")) {
                return Instant.ofEpochSecond(Long.parseLong(v));
            }
            try {
                return OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException notDateTime) {
                try {
                    return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notDate) {
                    throw new CommandLine.TypeConversionException("'" + value + "' is not a time: give Unix seconds, "
                            + "2026-11-29T08:00:00+08:00, 2026-11-29T00:00:00Z or 2026-11-29 (00:00 UTC)");
                }
            }
        }
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Make an Ed25519 issuer key pair: <kid>.key (private, PKCS#8 PEM, mode 0600; keep it off "
                    + "kiosks) and <kid>.pem (public; copy it into each kiosk's pass.trust.dir).")
    static final class Keygen implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--kid", required = true, description = "the key id passes will name: 1-16 of a-z 0-9 -")
        String kid;

        @Option(names = "--dir", description = "folder to write the two files to (default: the current folder)")
        Path dir = Path.of(".");

        @Override
        public Integer call() throws IOException, GeneralSecurityException {
            if (!kid.matches("[a-z0-9-]{1,16}")) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--kid '" + kid + "' must be 1-16 of a-z 0-9 - (the CKP1 kid form)");
            }
            return KeygenReport.writeKeyPair(spec, dir, kid, "pass.trust.dir");
        }
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Sign a CKP1 pass and print its text; with --png also write it as a QR code "
                    + "(alphanumeric mode, error correction M).")
    static final class Issue implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--key", required = true, description = "the issuer's private key (kioskctl pass keygen)")
        Path key;

        @Option(names = "--kid", description = "the key id to name (default: the key file's name without its extension)")
        String kid;

        @Option(names = "--id", required = true, description = "pass id: 1-32 of A-Z a-z 0-9 -")
        String id;

        @Option(names = "--class", required = true, description = "F (freight), P (passenger vehicle) or R (resident)")
        String cls;

        @Option(names = "--plate", description = "vehicle plate, at most 16 characters, e.g. 鲁L12345")
        String plate;

        @Option(names = "--sub", description = "opaque holder reference, at most 64 characters (never a name or ID number)")
        String sub;

        @Option(names = "--valid-from", required = true, converter = TimeConverter.class,
                description = "nbf: Unix seconds, 2026-11-29T08:00:00+08:00, or 2026-11-29 (00:00 UTC)")
        Instant validFrom;

        @Option(names = "--valid-until", required = true, converter = TimeConverter.class,
                description = "exp (exclusive), in the same forms")
        Instant validUntil;

        @Option(names = "--png", description = "also write the pass as a QR code PNG here")
        Path png;

        @Option(names = "--module-px", description = "pixels per QR module in the PNG (default: ${DEFAULT-VALUE})")
        int modulePx = 8;

        @Override
        public Integer call() throws IOException, WriterException {
            String keyId = kid != null ? kid : key.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            PassClaims claims;
            try {
                claims = new PassClaims(id, keyId, cls, Optional.ofNullable(plate), Optional.ofNullable(sub),
                        validFrom.getEpochSecond(), validUntil.getEpochSecond());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "cannot issue: " + e.getMessage());
            }
            java.security.PrivateKey privateKey;
            try {
                privateKey = Ed25519Pem.readPrivate(key);
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--key: " + e.getMessage());
            }
            String text = PassIssuer.issue(privateKey, claims);
            if (text.length() > Ckp1Verifier.MAX_TEXT_CHARS) {
                throw new CommandLine.ParameterException(spec.commandLine(), "the pass would be " + text.length()
                        + " characters, over CKP1's " + Ckp1Verifier.MAX_TEXT_CHARS + "; shorten --sub or --plate");
            }
            if (png != null) {
                writeQr(text, png, modulePx);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(text);
            out.flush();
            return 0;
        }
    }

    /**
     * Writes a QR code of the text: error correction M as the contract sizes it, a 4-module quiet zone, and the
     * alphanumeric mode zxing picks on its own for a text of the Base45 alphabet (checked, so a change cannot slip by).
     */
    static void writeQr(String text, Path file, int modulePx) throws WriterException, IOException {
        QRCode code = Encoder.encode(text, ErrorCorrectionLevel.M, Map.of());
        if (code.getMode() != com.google.zxing.qrcode.decoder.Mode.ALPHANUMERIC) {
            throw new IllegalStateException("a CKP1 text should encode in QR alphanumeric mode, zxing chose "
                    + code.getMode() + "; is the text a CKP1 pass?");
        }
        int side = (code.getMatrix().getWidth() + 8) * modulePx;
        BitMatrix m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, side, side,
                Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 4));
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        MatrixToImageWriter.writeToPath(m, "PNG", file);
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check a pass (CKP1: or HC1:) as a kiosk would and print the outcome; exit 0 when valid, "
                    + "1 otherwise.",
                    "With --jsonl, read JSON lines {\"text\": \"HC1:...\", \"trust\": [\"<base64 DER "
                    + "certificate>\", ...], \"now\": \"2021-05-03T18:00:00Z\"} from standard input (trust and now "
                    + "optional: --trust, --now and the clock otherwise) and write one JSON line per input, in order: "
                    + "outcome, the event's pass fields and each verification step; exit 0 when every line could be read."})
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "TEXT", description = "the pass text (or use --image)")
        String text;

        @Option(names = "--image", description = "read the pass from a QR code image (PNG/JPEG) instead")
        Path image;

        @Option(names = "--trust", description = "folder of CKP1 issuer keys <kid>.pem and HC1 Document Signer "
                + "Certificates (*.pem, *.crt, *.der, *.cer); required unless --jsonl lines carry their own")
        Path trust;

        @Option(names = "--denylist", description = "file of revoked pass ids (CKP1 ids, HC1 ci digests), one per line")
        Path denylist;

        @Option(names = "--now", converter = TimeConverter.class, description = "check at this time (default: now)")
        Instant now;

        @Option(names = "--skew", description = "allowed clock skew in seconds (default: ${DEFAULT-VALUE})")
        long skewSeconds = 300;

        @Option(names = "--jsonl", description = "batch mode: JSON lines in on standard input, JSON lines out")
        boolean jsonl;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            if (skewSeconds < 0 || skewSeconds > 86_400) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--skew must be 0 to 86400 seconds");
            }
            DenyList deny = denylist != null ? DenyList.load(denylist) : DenyList.EMPTY;
            if (jsonl) {
                if (text != null || image != null) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--jsonl reads its texts from standard input; give no TEXT or --image");
                }
                TrustStore keys = trust != null ? loadTrust() : TrustStore.of(Map.of());
                return new PassBatch(keys, deny, Duration.ofSeconds(skewSeconds), now)
                        .run(new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                                java.nio.charset.StandardCharsets.UTF_8)), out);
            }
            if (trust == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give --trust DIR (the issuer keys and "
                        + "signer certificates to check against)");
            }
            String code = text;
            if (image != null) {
                // The size is read from the header first: a small file can be an image too large to decode.
                ImageFile.Read read = ImageFile.read(image);
                if (read instanceof ImageFile.Read.Refused refused) {
                    throw new CommandLine.ParameterException(spec.commandLine(), refused.reason());
                }
                List<DecodedCode> codes = new QrDecoder().decode(((ImageFile.Read.Image) read).frame());
                if (codes.isEmpty()) {
                    out.println("no QR code found in " + image);
                    out.flush();
                    return NOT_VALID;
                }
                code = codes.getFirst().text();
            }
            if (code == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give the pass TEXT or --image FILE");
            }
            PassCheck check = new PassVerifier(loadTrust(), deny, Duration.ofSeconds(skewSeconds))
                    .verify(code, now != null ? now : Instant.now(), true);
            out.println(check.outcome().wire());
            check.claims().ifPresent(c -> out.println("id=" + c.id() + " kid=" + c.kid() + " cls=" + c.cls()
                    + " plate=" + c.plate().orElse("-") + " nbf=" + time(c.notBeforeEpochSeconds())
                    + " exp=" + time(c.expiresEpochSeconds())));
            check.hc1().ifPresent(h -> out.println("format=HC1 type=" + h.type() + " country=" + h.country()
                    + " kid=" + h.kid() + " ciDigest=" + h.ciDigest()));
            check.digest().ifPresent(d -> out.println("digest=" + d));
            out.flush();
            return check.outcome() == PassOutcome.VALID ? 0 : NOT_VALID;
        }

        private TrustStore loadTrust() throws IOException {
            TrustStore keys = TrustStore.load(trust);
            keys.problems().forEach(p -> spec.commandLine().getErr().println("trust store: " + p));
            return keys;
        }

        /** ISO time when it is one, else the raw seconds: a pass may carry any integer. */
        private static String time(long epochSeconds) {
            try {
                return Instant.ofEpochSecond(epochSeconds).toString();
            } catch (java.time.DateTimeException e) {
                return Long.toString(epochSeconds);
            }
        }
    }
}
