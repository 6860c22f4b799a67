package ckp.kiosk.pass;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Seeded random and mutated inputs for the pass parsers: Base45 texts and bytes, claims JSON, whole pass texts, deny
 * list messages, and HC1 passes (official test cases mutated as text, as CBOR, truncated, with huge declared lengths,
 * and random bytes behind a valid zlib and Base45). Each case checks a property, and no case may throw. {@link PassFuzzTest} runs it in every
 * build; {@code kiosk/bin/fuzz-passes CASES [SEED]} runs it longer.
 */
final class PassFuzzer {
    static final long NOW = 1_700_000_000L;
    private static final String ALPHABET = Base45.ALPHABET;

    /** What a run found: the cases run per kind and the first failures, each with the input that caused it. */
    record Report(long seed, Map<String, Long> casesByKind, List<String> failures) {
        long cases() {
            return casesByKind.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Random random;
    private final long seed;
    private final KeyPair key = Ckp1VerifierTest.ed25519();
    private final Ckp1Verifier verifier;
    private final ckp.kiosk.site.SiteAuthority siteAuthority;
    private final List<String> passes = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<Hc1Seed> hc1Seeds = new ArrayList<>();
    private final Hc1Verifier hc1Verifier;

    /** A valid HC1 pass from the official test cases: its text, its COSE bytes and the clock it is valid at. */
    record Hc1Seed(String text, byte[] cose, Instant now) {
    }

    /** Official cases the verifier finds valid: the HC1 kinds mutate these, each checked at its case's clock. */
    static final List<String> HC1_SEED_CASES = List.of("common/2DCode/raw/CO1.json", "DE/2DCode/raw/1.json",
            "NL/2DCode/raw/010-NL-test.json", "IS/2DCode/raw/1.json", "FR/2DCode/raw/DGC_QrCode_00001_Raw.json");

    PassFuzzer(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
        this.siteAuthority = ckp.kiosk.site.SiteAuthority.of(Map.of("site1", key.getPublic()));
        this.verifier = new Ckp1Verifier(TrustStore.of(Map.of("k1", key.getPublic())), new DenyList(1, Set.of("GONE")),
                Duration.ofSeconds(300));
        passes.add(PassIssuer.issue(key.getPrivate(), new PassClaims("P0000000001", "k1", "F", Optional.of("鲁L12345"),
                Optional.empty(), NOW - 1000, NOW + 1000)));
        passes.add(PassIssuer.issue(key.getPrivate(), new PassClaims("A-b-9", "k1", "R", Optional.empty(),
                Optional.of("ref"), NOW - 1000, NOW + 1000)));
        passes.add(PassIssuer.sign(key.getPrivate(), ("{\"v\":1,\"id\":\"X\",\"kid\":\"k1\",\"cls\":\"P\",\"nbf\":"
                + (NOW - 5) + ",\"exp\":" + (NOW + 5) + ",\"zz\":[1,{\"a\":null}]}").getBytes(StandardCharsets.UTF_8)));
        List<java.security.cert.X509Certificate> signers = new ArrayList<>();
        try {
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            for (String name : HC1_SEED_CASES) {
                com.fasterxml.jackson.databind.JsonNode c;
                try (java.io.InputStream in = PassFuzzer.class.getResourceAsStream("/dcc/" + name)) {
                    c = json.readTree(in);
                }
                signers.add(TrustStore.parseCertificate(java.util.Base64.getMimeDecoder().decode(
                        c.path("TESTCTX").path("CERTIFICATE").textValue())));
                String text = c.get("PREFIX").textValue();
                byte[] cose = CoseSign1.inflate(Base45.decode(text.substring(4)).orElseThrow()).orElseThrow();
                hc1Seeds.add(new Hc1Seed(text, cose,
                        Hc1OfficialCasesTest.clock(c.path("TESTCTX").path("VALIDATIONCLOCK").textValue())));
            }
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the HC1 seed cases are in src/test/resources/dcc: " + e, e);
        }
        hc1Verifier = new Hc1Verifier(TrustStore.of(Map.of(), signers), new DenyList(1, Set.of("GONE")),
                Duration.ofSeconds(300));
        for (Hc1Seed hc1Seed : hc1Seeds) {
            PassOutcome o = hc1Verifier.verify(hc1Seed.text(), hc1Seed.now(), true).outcome();
            if (o != PassOutcome.VALID) {
                throw new IllegalStateException("an HC1 seed case is " + o + ", not valid: " + hc1Seed.text());
            }
        }
    }

    /** Runs about {@code cases} cases, split over the kinds in the proportions the cost of each allows. */
    Report run(long cases) {
        Map<String, Long> byKind = new java.util.LinkedHashMap<>();
        long base45Texts = cases * 25 / 100;
        long base45Bytes = cases * 10 / 100;
        long claims = cases * 25 / 100;
        long denyLists = cases * 10 / 100;
        long siteMessages = cases * 5 / 100;
        long hc1 = cases * 10 / 100;
        long texts = cases - base45Texts - base45Bytes - claims - denyLists - siteMessages - hc1;
        byKind.put("base45-text", loop(base45Texts, this::base45Text));
        byKind.put("base45-bytes", loop(base45Bytes, this::base45Bytes));
        byKind.put("claims-json", loop(claims, this::claimsJson));
        byKind.put("denylist-message", loop(denyLists, this::denyListMessage));
        byKind.put("site-jws", loop(siteMessages, this::siteJws));
        byKind.put("pass-text", loop(texts, this::passText));
        byKind.put("hc1-text", loop(hc1 * 30 / 100, this::hc1Text));
        byKind.put("hc1-cbor", loop(hc1 * 30 / 100, this::hc1Cbor));
        byKind.put("hc1-truncated", loop(hc1 * 10 / 100, this::hc1Truncated));
        byKind.put("hc1-huge-length", loop(hc1 * 15 / 100, this::hc1HugeLength));
        byKind.put("hc1-random", loop(hc1 - 2 * (hc1 * 30 / 100) - hc1 * 10 / 100 - hc1 * 15 / 100,
                this::hc1Random));
        return new Report(seed, byKind, List.copyOf(failures));
    }

    /** One case: returns a failure description, or null when the property held. */
    private interface Case {
        String run(StringBuilder input);
    }

    private long loop(long n, Case c) {
        long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) {
            StringBuilder input = new StringBuilder();
            try {
                String failure = c.run(input);
                if (failure != null) {
                    fail(failure, input);
                }
            } catch (Throwable t) {
                fail(t.toString(), input);
            }
        }
        System.out.printf("fuzz: %d cases in %d ms%n", n, (System.nanoTime() - t0) / 1_000_000);
        return n;
    }

    private void fail(String what, CharSequence input) {
        if (failures.size() < 20) {
            failures.add(what + " for input " + escape(input));
        }
    }

    /** Base45 text: decoding never throws, and what decodes re-encodes to the same text (Base45 is canonical). */
    private String base45Text(StringBuilder input) {
        int len = random.nextInt(40);
        for (int i = 0; i < len; i++) {
            input.append(random.nextInt(20) == 0 ? anyChar() : ALPHABET.charAt(random.nextInt(45)));
        }
        String text = input.toString();
        Optional<byte[]> decoded = Base45.decode(text);
        if (decoded.isPresent() && !Base45.encode(decoded.get()).equals(text)) {
            return "decoded, but re-encodes differently";
        }
        boolean valid = validBase45(text);
        if (decoded.isPresent() != valid) {
            return "decode says " + decoded.isPresent() + ", the RFC's rules say " + valid;
        }
        return null;
    }

    /** An independent reading of RFC 9285's validity rules, as the oracle for {@link #base45Text}. */
    private static boolean validBase45(String s) {
        if (s.length() % 3 == 1) {
            return false;
        }
        for (int i = 0; i < s.length(); i += 3) {
            int group = 0;
            int weight = 1;
            for (int j = i; j < Math.min(i + 3, s.length()); j++) {
                int v = ALPHABET.indexOf(s.charAt(j));
                if (v < 0) {
                    return false;
                }
                group += v * weight;
                weight *= 45;
            }
            if (group > (s.length() - i >= 3 ? 0xFFFF : 0xFF)) {
                return false;
            }
        }
        return true;
    }

    /** Any bytes survive encode then decode unchanged. */
    private String base45Bytes(StringBuilder input) {
        byte[] b = new byte[random.nextInt(300)];
        random.nextBytes(b);
        input.append(java.util.HexFormat.of().formatHex(b));
        return Arrays.equals(b, Base45.decode(Base45.encode(b)).orElse(null)) ? null : "round trip changed the bytes";
    }

    /**
     * Claims JSON: members drawn from valid and invalid candidates, then often mutated byte by byte. The parser must
     * accept exactly the unmutated texts whose every member is valid, and never throw on the rest.
     */
    private String claimsJson(StringBuilder input) {
        boolean[] allValid = {true};
        StringBuilder json = new StringBuilder("{");
        member(json, "v", allValid, new String[] {"1"}, new String[] {"2", "1.0", "\"1\"", "null", "-1", "1e0", "[]"});
        member(json, "id", allValid, new String[] {"\"P1\"", "\"" + "A".repeat(32) + "\"", "\"a-Z-0\""},
                new String[] {"\"\"", "\"" + "A".repeat(33) + "\"", "\"P 1\"", "\"P_1\"", "7", "\"\\u00e9\"", "{}"});
        member(json, "kid", allValid, new String[] {"\"k1\"", "\"a-b-0123456789ab\""},
                new String[] {"\"K1\"", "\"\"", "\"a-b-0123456789abc\"", "1", "\"k.1\""});
        member(json, "cls", allValid, new String[] {"\"F\"", "\"P\"", "\"R\""},
                new String[] {"\"f\"", "\"FP\"", "\"\"", "null", "true"});
        optionalMember(json, "plate", allValid, new String[] {"\"鲁L12345\"", "\"\"", "\"1234567890123456\"",
                        "\"\\ud83d\\ude97\""},
                new String[] {"\"12345678901234567\"", "null", "5", "\"\\ud800\"", "[\"x\"]"});
        optionalMember(json, "sub", allValid, new String[] {"\"ref\"", "\"" + "s".repeat(64) + "\""},
                new String[] {"\"" + "s".repeat(65) + "\"", "false"});
        long nbf = random.nextInt(3) == 0 ? random.nextLong() : NOW;
        long exp = random.nextInt(3) == 0 ? random.nextLong() : NOW + 1 + random.nextInt(1000);
        boolean ordered = exp > nbf;
        allValid[0] &= ordered;
        json.append("\"nbf\":").append(nbf).append(",\"exp\":").append(exp);
        if (random.nextBoolean()) {
            json.append(",\"zz").append(random.nextInt(5)).append("\":[1,\"x\",{\"y\":null}]");
        }
        json.append('}');
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        boolean mutated = random.nextBoolean();
        if (mutated) {
            bytes = mutate(bytes);
        }
        input.append(new String(bytes, StandardCharsets.ISO_8859_1));
        Optional<PassClaims> parsed = Ckp1Verifier.parseClaims(bytes);
        if (!mutated && parsed.isPresent() != allValid[0]) {
            return "parsed " + parsed.isPresent() + " but every member valid: " + allValid[0];
        }
        return null;
    }

    private void member(StringBuilder json, String name, boolean[] allValid, String[] good, String[] bad) {
        boolean ok = random.nextInt(6) != 0;
        if (random.nextInt(40) == 0) {
            allValid[0] = false; // the required member is left out
            return;
        }
        allValid[0] &= ok;
        String[] from = ok ? good : bad;
        json.append('"').append(name).append("\":").append(from[random.nextInt(from.length)]).append(',');
    }

    private void optionalMember(StringBuilder json, String name, boolean[] allValid, String[] good, String[] bad) {
        if (random.nextBoolean()) {
            return;
        }
        boolean ok = random.nextInt(5) != 0;
        allValid[0] &= ok;
        String[] from = ok ? good : bad;
        json.append('"').append(name).append("\":").append(from[random.nextInt(from.length)]).append(',');
    }

    /**
     * Whole texts: a signed pass mutated (characters replaced, inserted, deleted, truncated, prefix damaged) or random
     * text after the prefix. Nothing throws, and only the unchanged text verifies as valid: Base45 is canonical, so
     * any other text carries other bytes and its signature fails.
     */
    private String passText(StringBuilder input) {
        String original = passes.get(random.nextInt(passes.size()));
        String text;
        if (random.nextInt(10) == 0) {
            StringBuilder sb = new StringBuilder(Ckp1Verifier.PREFIX);
            int len = random.nextInt(1100);
            for (int i = 0; i < len; i++) {
                sb.append(random.nextInt(4) == 0 ? anyChar() : ALPHABET.charAt(random.nextInt(45)));
            }
            text = sb.toString();
        } else {
            text = mutate(original);
        }
        input.append(text);
        PassCheck check = verifier.verify(text, Instant.ofEpochSecond(NOW), random.nextInt(8) != 0);
        if (check.outcome() == PassOutcome.VALID && !text.equals(original)) {
            return "a changed text verified as valid";
        }
        if (check.outcome() == PassOutcome.FOREIGN && text.startsWith(Ckp1Verifier.PREFIX)) {
            return "a CKP1: text called foreign";
        }
        return null;
    }

    /** An HC1 text mutated character by character: never throws, never valid unless it still carries the same COSE. */
    private String hc1Text(StringBuilder input) {
        Hc1Seed seed = hc1Seeds.get(random.nextInt(hc1Seeds.size()));
        String text = mutate(seed.text());
        input.append(text);
        return hc1Property(text, seed, Optional.empty());
    }

    /** The COSE bytes mutated (bytes changed, CBOR tokens inserted, cut), then compressed and encoded again. */
    private String hc1Cbor(StringBuilder input) {
        Hc1Seed seed = hc1Seeds.get(random.nextInt(hc1Seeds.size()));
        byte[] cose = mutateCbor(seed.cose());
        input.append(java.util.HexFormat.of().formatHex(cose));
        return hc1Property(Hc1TestIssuer.text(cose), seed, Optional.of(cose));
    }

    /** The COSE cut short anywhere: never valid, never throws. */
    private String hc1Truncated(StringBuilder input) {
        Hc1Seed seed = hc1Seeds.get(random.nextInt(hc1Seeds.size()));
        byte[] cose = Arrays.copyOf(seed.cose(), random.nextInt(seed.cose().length));
        input.append(java.util.HexFormat.of().formatHex(cose));
        PassCheck check = hc1Verifier.verify(Hc1TestIssuer.text(cose), seed.now(), true);
        return check.outcome() == PassOutcome.VALID ? "a truncated COSE verified as valid" : null;
    }

    /**
     * A CBOR head declaring a huge length (byte string, text, array, map; up to 2^64-1) put in the COSE: the parser
     * must refuse it rather than allocate, and the outcome is never valid.
     */
    private String hc1HugeLength(StringBuilder input) {
        Hc1Seed seed = hc1Seeds.get(random.nextInt(hc1Seeds.size()));
        int major = new int[] {0x40, 0x60, 0x80, 0xA0}[random.nextInt(4)];
        byte[] head;
        if (random.nextBoolean()) {
            head = new byte[9];
            head[0] = (byte) (major | 27);
            long n = random.nextBoolean() ? -1L : Long.MAX_VALUE - random.nextInt(1000);
            for (int i = 0; i < 8; i++) {
                head[1 + i] = (byte) (n >>> (56 - 8 * i));
            }
        } else {
            head = new byte[] {(byte) (major | 26), (byte) 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) random.nextInt(256)};
        }
        byte[] cose = seed.cose();
        int pos = random.nextInt(cose.length + 1);
        boolean replace = random.nextBoolean() && pos < cose.length;
        byte[] out = new byte[cose.length + head.length - (replace ? 1 : 0)];
        System.arraycopy(cose, 0, out, 0, pos);
        System.arraycopy(head, 0, out, pos, head.length);
        int from = pos + (replace ? 1 : 0);
        System.arraycopy(cose, from, out, pos + head.length, cose.length - from);
        input.append(java.util.HexFormat.of().formatHex(out));
        PassCheck check = hc1Verifier.verify(Hc1TestIssuer.text(out), seed.now(), true);
        return check.outcome() == PassOutcome.VALID ? "a COSE with a huge declared length verified as valid" : null;
    }

    /** Random bytes behind a valid zlib stream and Base45: never valid, never throws. */
    private String hc1Random(StringBuilder input) {
        byte[] b = new byte[random.nextInt(600)];
        random.nextBytes(b);
        if (b.length > 0 && random.nextBoolean()) {
            b[0] = (byte) 0xD2; // tag 18, so more inputs get past the first byte
        }
        input.append(java.util.HexFormat.of().formatHex(b));
        PassCheck check = hc1Verifier.verify(Hc1TestIssuer.text(b), Instant.ofEpochSecond(NOW), true);
        return check.outcome() == PassOutcome.VALID ? "random bytes verified as valid" : null;
    }

    /**
     * Nothing throws, an {@code HC1:} text is never foreign, and a valid outcome means the text still carries the
     * seed's signed content: the same protected header, payload and signature (another spelling of the same CBOR, or
     * of the same zlib stream, may verify; other content may not).
     */
    private String hc1Property(String text, Hc1Seed seed, Optional<byte[]> knownCose) {
        PassCheck check = hc1Verifier.verify(text, seed.now(), random.nextInt(8) != 0);
        if (check.outcome() == PassOutcome.FOREIGN && text.startsWith(Hc1Verifier.PREFIX)) {
            return "an HC1: text called foreign";
        }
        if (check.outcome() != PassOutcome.VALID) {
            return null;
        }
        Optional<byte[]> cose = knownCose.isPresent() ? knownCose : Base45.decode(text.substring(4))
                .flatMap(CoseSign1::inflate);
        Optional<CoseSign1> mutated = cose.flatMap(CoseSign1::parse);
        CoseSign1 original = CoseSign1.parse(seed.cose()).orElseThrow();
        if (mutated.isEmpty() || !Arrays.equals(mutated.get().protectedBytes(), original.protectedBytes())
                || !Arrays.equals(mutated.get().payload(), original.payload())
                || !Arrays.equals(mutated.get().signature(), original.signature())) {
            return "a changed HC1 pass verified as valid";
        }
        return null;
    }

    private byte[] mutateCbor(byte[] b) {
        byte[] out = b.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int pos = out.length == 0 ? 0 : random.nextInt(out.length);
            switch (random.nextInt(5)) {
                case 0 -> { if (out.length > 0) out[pos] = (byte) random.nextInt(256); }
                case 1 -> { if (out.length > 0) out[pos] ^= (byte) (1 << random.nextInt(8)); }
                case 2 -> {
                    byte[] token = CBOR_TOKENS[random.nextInt(CBOR_TOKENS.length)];
                    byte[] n = new byte[out.length + token.length];
                    System.arraycopy(out, 0, n, 0, pos);
                    System.arraycopy(token, 0, n, pos, token.length);
                    System.arraycopy(out, pos, n, pos + token.length, out.length - pos);
                    out = n;
                }
                case 3 -> {
                    if (out.length > 0) {
                        int len = Math.min(out.length - pos, 1 + random.nextInt(8));
                        byte[] n = new byte[out.length - len];
                        System.arraycopy(out, 0, n, 0, pos);
                        System.arraycopy(out, pos + len, n, pos, out.length - pos - len);
                        out = n;
                    }
                }
                default -> { if (out.length > 0) out[pos] = (byte) (out[pos] + (random.nextBoolean() ? 1 : -1)); }
            }
        }
        return out;
    }

    /** CBOR items that make mutations reach deeper: breaks, indefinite starts, tags, floats, deep nesting. */
    private static final byte[][] CBOR_TOKENS = {{(byte) 0xFF}, {(byte) 0x9F}, {(byte) 0xBF}, {(byte) 0x5F},
        {(byte) 0x7F}, {(byte) 0xD2}, {(byte) 0xD8, 0x3D}, {(byte) 0xC0}, {(byte) 0xF6}, {(byte) 0xF7},
        {(byte) 0xFB, 0x7F, (byte) 0xF8, 0, 0, 0, 0, 0, 0}, {(byte) 0xF9, 0x7E, 0}, {(byte) 0x39, 0x01, 0x03},
        {(byte) 0x81, (byte) 0x81, (byte) 0x81, (byte) 0x81, (byte) 0x81, (byte) 0x81, (byte) 0x81, (byte) 0x81,
            (byte) 0x81, (byte) 0x81, (byte) 0x81, (byte) 0x81, (byte) 0x81, (byte) 0x81, (byte) 0x81, (byte) 0x81,
            (byte) 0x81, (byte) 0x81, (byte) 0x81, (byte) 0x81, (byte) 0x81, (byte) 0x81, (byte) 0x81, (byte) 0x81,
            (byte) 0x81, (byte) 0x81, (byte) 0x81, (byte) 0x81, (byte) 0x81, (byte) 0x81, (byte) 0x81, (byte) 0x81,
            (byte) 0x81, (byte) 0x81, (byte) 0x81, (byte) 0x81, 0},
        {(byte) 0xA1, 0x04, 0x48, 1, 2, 3, 4, 5, 6, 7, 8}, {(byte) 0x1B, 0x7F, -1, -1, -1, -1, -1, -1, -1}};

    /**
     * Signed site messages (JWS), valid and mutated character by character: verifying never throws, and only the
     * unchanged text verifies (strict base64url leaves no second spelling of a message).
     */
    private String siteJws(StringBuilder input) {
        String json = "{\"version\":" + (random.nextInt(1000) + 1) + ",\"ids\":[\"P" + random.nextInt(1000) + "\"]}";
        String jws;
        try {
            jws = ckp.kiosk.site.SiteJws.sign(key.getPrivate(), "site1", DenyListFeed.KIND,
                    json.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            return "signing failed: " + e;
        }
        boolean mutate = random.nextInt(5) != 0;
        String text = mutate ? mutate(jws) : jws;
        input.append(text);
        ckp.kiosk.site.SiteAuthority.Verified v = siteAuthority.verify(text.getBytes(StandardCharsets.UTF_8),
                DenyListFeed.KIND, DenyListFeed.MAX_PAYLOAD_BYTES);
        if (text.equals(jws) && !v.ok()) {
            return "the signed message itself was refused: " + v.problem();
        }
        if (!text.equals(jws) && v.ok()) {
            return "a changed message verified";
        }
        return null;
    }

    /** Deny list messages, valid and mutated: parsing never throws; only well-formed ones give a list. */
    private String denyListMessage(StringBuilder input) {
        StringBuilder json = new StringBuilder("{\"version\":").append(random.nextInt(1000) + 1).append(",\"ids\":[");
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            json.append(i > 0 ? "," : "").append("\"P").append(random.nextInt(100000)).append('"');
        }
        json.append("]}");
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        boolean mutated = random.nextInt(4) != 0;
        if (mutated) {
            bytes = mutate(bytes);
        }
        input.append(new String(bytes, StandardCharsets.ISO_8859_1));
        ckp.kiosk.site.SiteMessageFeed.Parsed<DenyList> p = DenyListFeed.parse(bytes);
        if (!mutated && p.content().isEmpty()) {
            return "a well-formed message refused: " + p.problem();
        }
        return null;
    }

    private String mutate(String s) {
        StringBuilder sb = new StringBuilder(s);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int pos = sb.isEmpty() ? 0 : random.nextInt(sb.length());
            switch (random.nextInt(7)) {
                case 0 -> { if (!sb.isEmpty()) sb.setCharAt(pos, ALPHABET.charAt(random.nextInt(45))); }
                case 1 -> sb.insert(pos, ALPHABET.charAt(random.nextInt(45)));
                case 2 -> { if (!sb.isEmpty()) sb.deleteCharAt(pos); }
                case 3 -> sb.setLength(pos);
                case 4 -> { if (!sb.isEmpty()) sb.setCharAt(pos, anyChar()); }
                case 5 -> sb.insert(pos, sb.substring(pos, Math.min(sb.length(), pos + random.nextInt(20))));
                default -> { if (sb.length() > 5) sb.setCharAt(random.nextInt(5), anyChar()); }
            }
        }
        return sb.toString();
    }

    private byte[] mutate(byte[] b) {
        byte[] out = b;
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int pos = out.length == 0 ? 0 : random.nextInt(out.length);
            switch (random.nextInt(6)) {
                case 0 -> { if (out.length > 0) out[pos] = (byte) random.nextInt(256); }
                case 1 -> { if (out.length > 0) out[pos] ^= (byte) (1 << random.nextInt(8)); }
                case 2 -> out = Arrays.copyOf(out, pos);
                case 3 -> {
                    byte[] token = TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8);
                    byte[] n = new byte[out.length + token.length];
                    System.arraycopy(out, 0, n, 0, pos);
                    System.arraycopy(token, 0, n, pos, token.length);
                    System.arraycopy(out, pos, n, pos + token.length, out.length - pos);
                    out = n;
                }
                case 4 -> {
                    if (out.length > 0) {
                        int len = Math.min(out.length - pos, 1 + random.nextInt(8));
                        byte[] n = new byte[out.length - len];
                        System.arraycopy(out, 0, n, 0, pos);
                        System.arraycopy(out, pos + len, n, pos, out.length - pos - len);
                        out = n;
                    }
                }
                default -> {
                    if (out.length > 0) out[pos] = (byte) (0x80 | random.nextInt(0x80));
                }
            }
        }
        return out;
    }

    /** JSON fragments that make mutations reach deeper than random bytes would. */
    private static final String[] TOKENS = {"{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "null", "true",
        "-", "1e999", "0.5", "99999999999999999999999", "\"v\":1,", "\"id\":\"x\",", "\u00e9", "\uFEFF", "/*", "NaN",
        "[[[[[[[[[[[[[[[[", "\"kid\":\"k1\",", "\u0000", "\t", "'"};

    private char anyChar() {
        return switch (random.nextInt(5)) {
            case 0 -> (char) random.nextInt(0x80);
            case 1 -> (char) (0xD800 + random.nextInt(0x800)); // lone surrogates
            case 2 -> (char) random.nextInt(0x10000);
            case 3 -> "abcxyz=_#\u00e9\u9c81".charAt(random.nextInt(11));
            default -> (char) (0x80 + random.nextInt(0x80));
        };
    }

    private static String escape(CharSequence s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().limit(300).forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7F && cp != '"' && cp != '\\') {
                sb.appendCodePoint(cp);
            } else {
                sb.append(String.format("\\u%04x", cp));
            }
        });
        return sb.append('"').toString();
    }
}
