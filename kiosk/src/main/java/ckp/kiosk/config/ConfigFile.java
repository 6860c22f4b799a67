package ckp.kiosk.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kiosk's config file read strictly: strict UTF-8 (a byte that is not UTF-8 is refused with its line), a leading
 * byte order mark dropped, and each key allowed once. The syntax is that of {@link java.util.Properties} files
 * (docs/configuration.md): {@code #} and {@code !} comment lines, {@code key=value}, {@code key: value} or
 * {@code key value}, a backslash at the end of a line continues it, and backslash escapes (t, n, r, f, a backslash,
 * and u with four hex digits); values are stripped of surrounding white space. {@code Properties} itself takes the
 * last of two equal keys and decodes leniently, which let a typo or a stray paste go unnoticed.
 */
public final class ConfigFile {
    /** What problems are reported against: the command-line option that named the file. */
    static final String OPTION = "--config";

    private ConfigFile() {
    }

    /** The keys and values of {@code file}, in file order. */
    public static Map<String, String> read(Path file) throws ConfigException {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new ConfigException(OPTION, "cannot read config file " + file + ": it is a folder, not a file");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(OPTION, "cannot read config file " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException(OPTION, "cannot read config file " + file + ": permission denied (the kiosk "
                    + "runs as its own user; make the file readable to it)");
        } catch (IOException e) {
            throw new ConfigException(OPTION, "cannot read config file " + file + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        return parse(decode(bytes, file), file);
    }

    /** Strict UTF-8; the first bad byte is reported with its line and column (in bytes). */
    private static String decode(byte[] bytes, Path file) throws ConfigException {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            String text = utf8.decode(ByteBuffer.wrap(bytes)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            int line = 1;
            int lineStart = 0;
            int bad = firstBadByte(bytes);
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new ConfigException(OPTION, file + " line " + line + ": byte " + (bad - lineStart + 1) + " (0x"
                    + String.format("%02X", bytes[bad] & 0xFF) + ") is not UTF-8; save the file as UTF-8");
        }
    }

    private static int firstBadByte(byte[] bytes) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        java.nio.charset.CoderResult r = utf8.decode(in, out, true);
        return r.isError() ? in.position() : Math.max(0, bytes.length - 1);
    }

    /** One key with the line it starts on. */
    private record Entry(String value, int line) {
    }

    static Map<String, String> parse(String text, Path file) throws ConfigException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int first = i + 1;
            String line = stripLeading(lines[i]);
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == '!') {
                continue;
            }
            StringBuilder logical = new StringBuilder();
            while (endsWithContinuation(line) && i + 1 < lines.length) {
                logical.append(line, 0, line.length() - 1);
                line = stripLeading(lines[++i]);
            }
            logical.append(endsWithContinuation(line) ? line.substring(0, line.length() - 1) : line);
            String[] kv = split(logical.toString(), file, first);
            Entry earlier = entries.putIfAbsent(kv[0], new Entry(kv[1], first));
            if (earlier != null) {
                throw new ConfigException(kv[0], "set twice, on line " + earlier.line() + " and line " + first
                        + " of " + file + "; keep one (the kiosk does not guess which one you meant)");
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        entries.forEach((k, e) -> out.put(k, e.value().strip()));
        return out;
    }

    private static String stripLeading(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\f')) {
            i++;
        }
        return s.substring(i);
    }

    /** An odd number of backslashes at the end: the last one continues the line. */
    private static boolean endsWithContinuation(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    /** The unescaped key and value of one logical line. */
    private static String[] split(String line, Path file, int lineNumber) throws ConfigException {
        int end = 0;
        while (end < line.length()) {
            char c = line.charAt(end);
            if (c == '\\') {
                end += 2;
                continue;
            }
            if (c == '=' || c == ':' || c == ' ' || c == '\t' || c == '\f') {
                break;
            }
            end++;
        }
        end = Math.min(end, line.length());
        int valueStart = end;
        while (valueStart < line.length() && isBlank(line.charAt(valueStart))) {
            valueStart++;
        }
        if (valueStart < line.length() && (line.charAt(valueStart) == '=' || line.charAt(valueStart) == ':')) {
            valueStart++;
            while (valueStart < line.length() && isBlank(line.charAt(valueStart))) {
                valueStart++;
            }
        }
        return new String[] {unescape(line.substring(0, end), file, lineNumber),
                unescape(line.substring(valueStart), file, lineNumber)};
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\f';
    }

    private static String unescape(String s, Path file, int lineNumber) throws ConfigException {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                out.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (i + 4 >= s.length()) {
                        throw new ConfigException(OPTION, file + " line " + lineNumber
                                + ": \\u must be followed by four hex digits");
                    }
                    String hex = s.substring(i + 1, i + 5);
                    if (!hex.matches("[0-9A-Fa-f]{4}")) {
                        throw new ConfigException(OPTION, file + " line " + lineNumber + ": \\u" + hex
                                + " is not four hex digits");
                    }
                    out.append((char) Integer.parseInt(hex, 16));
                    i += 4;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }
}
