package ckp.kiosk.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What a config value may be and what it becomes: parses the text of one key into a {@code T} or says what is
 * allowed. Each key declares its type once ({@link ConfigKey}), so the range checked is the range documented.
 *
 * @param allowed what is allowed, in words, for error messages ("an integer from 1 to 3600")
 * @param range   the short form for the documentation table ("1-3600"), empty when there is nothing to add
 * @param parser  the text (stripped, never empty) to a value; a refusal is an {@link IllegalArgumentException} whose
 *                message, when there is one, replaces {@code allowed} in the error
 */
public record ValueType<T>(String allowed, Optional<String> range, Parser<T> parser) {
    private static final Pattern ASCII_INTEGER = Pattern.compile("[+-]?[0-9]{1,10}");
    private static final Pattern ASCII_DECIMAL = Pattern.compile("[+-]?[0-9]{1,12}(\\.[0-9]{1,12})?");

    /** Text to value; relative paths are resolved against {@code baseDir} (the config file's folder), when known. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String text, Optional<Path> baseDir);
    }

    public ValueType {
        java.util.Objects.requireNonNull(allowed, "allowed");
        java.util.Objects.requireNonNull(range, "range");
        java.util.Objects.requireNonNull(parser, "parser");
    }

    /** The value of {@code text}, or an IllegalArgumentException saying what is allowed. */
    public T parse(String text, Optional<Path> baseDir) {
        return parser.parse(text, baseDir);
    }

    /** This type with its values turned into another kind by {@code f} (checked by f, which may refuse). */
    public <R> ValueType<R> map(Function<T, R> f) {
        return new ValueType<>(allowed, range, (text, dir) -> f.apply(parser.parse(text, dir)));
    }

    /** Any non-empty text. */
    public static ValueType<String> text() {
        return new ValueType<>("any text", Optional.empty(), (text, dir) -> text);
    }

    /** Text matching {@code pattern}, described as {@code allowed}. */
    public static ValueType<String> matching(Pattern pattern, String allowed) {
        return new ValueType<>(allowed, Optional.empty(), (text, dir) -> {
            if (!pattern.matcher(text).matches()) {
                throw new IllegalArgumentException(allowed);
            }
            return text;
        });
    }

    /** An integer in ASCII digits from min to max (Integer.parseInt alone takes any Unicode digit). */
    public static ValueType<Integer> integer(int min, int max) {
        String allowed = "an integer from " + min + " to " + max;
        return new ValueType<>(allowed, Optional.of(span(plain(min), plain(max), min < 0)), (text, dir) -> {
            if (!ASCII_INTEGER.matcher(text).matches()) {
                throw new IllegalArgumentException(allowed + " in ASCII digits");
            }
            long n = Long.parseLong(text);
            if (n < min || n > max) {
                throw new IllegalArgumentException(allowed);
            }
            return (int) n;
        });
    }

    /** A plain decimal in ASCII digits from min to max (no 1e3, 10d or hex floats, which parseDouble takes). */
    public static ValueType<Double> decimal(double min, double max) {
        String allowed = "a number from " + plain(min) + " to " + plain(max);
        return new ValueType<>(allowed, Optional.of(span(plain(min), plain(max), min < 0)), (text, dir) -> {
            if (!ASCII_DECIMAL.matcher(text).matches()) {
                throw new IllegalArgumentException(allowed + " in ASCII digits, e.g. 12.5");
            }
            double d = Double.parseDouble(text);
            if (!(d >= min && d <= max)) {
                throw new IllegalArgumentException(allowed);
            }
            return d;
        });
    }

    /**
     * A decimal in °C from min to max held as hundredths, in steps of {@code stepCenti} hundredths, so that 37.30
     * compares equal to a 37.3 threshold.
     */
    public static ValueType<Integer> centiCelsius(double min, double max, int stepCenti) {
        ValueType<Double> d = decimal(min, max);
        String allowed = d.allowed() + (stepCenti == 1 ? "" : " in steps of " + plain(stepCenti / 100.0));
        String range = d.range().orElseThrow() + (stepCenti == 1 ? "" : " in steps of " + plain(stepCenti / 100.0));
        return new ValueType<>(allowed, Optional.of(range), (text, dir) -> {
            double value = d.parse(text, dir);
            long centi = Math.round(value * 100);
            if (centi % stepCenti != 0 || Math.abs(value * 100 - centi) > 1e-6) {
                throw new IllegalArgumentException(allowed);
            }
            return (int) centi;
        });
    }

    /** {@code true} or {@code false}. */
    public static ValueType<Boolean> bool() {
        return new ValueType<>("true or false", Optional.empty(), (text, dir) -> switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("true or false");
        });
    }

    /** One of the constants of {@code type}, written in lower case. */
    public static <E extends Enum<E>> ValueType<E> oneOf(Class<E> type) {
        List<String> words = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                .toList();
        String allowed = "one of " + String.join(", ", words);
        return new ValueType<>(allowed, Optional.of(String.join(" \\| ", words)), (text, dir) -> {
            if (!words.contains(text)) {
                throw new IllegalArgumentException(allowed);
            }
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        });
    }

    /** One of a fixed set of words. */
    public static ValueType<String> words(String... words) {
        List<String> allowedWords = List.of(words);
        String allowed = "one of " + String.join(", ", words);
        return new ValueType<>(allowed, Optional.of(String.join(" \\| ", words)), (text, dir) -> {
            if (!allowedWords.contains(text)) {
                throw new IllegalArgumentException(allowed);
            }
            return text;
        });
    }

    /** Whole milliseconds from min to max. */
    public static ValueType<Duration> millis(int min, int max) {
        return integer(min, max).map(Duration::ofMillis);
    }

    /** Whole seconds from min to max. */
    public static ValueType<Duration> seconds(int min, int max) {
        return integer(min, max).map(Duration::ofSeconds);
    }

    /** A path; a relative one is resolved against the config file's folder. */
    public static ValueType<Path> path() {
        return new ValueType<>("a path", Optional.empty(), (text, dir) -> {
            Path p = Path.of(text);
            return p.isAbsolute() || dir.isEmpty() ? p : dir.get().resolve(p).normalize();
        });
    }

    /** A path naming an existing readable file. */
    public static ValueType<Path> readableFile() {
        ValueType<Path> path = path();
        return new ValueType<>("a readable file", Optional.empty(), (text, dir) -> {
            Path p = path.parse(text, dir);
            if (!java.nio.file.Files.isRegularFile(p) || !java.nio.file.Files.isReadable(p)) {
                throw new IllegalArgumentException("a readable file (" + p + " is not one)");
            }
            return p;
        });
    }

    /** A path naming an existing folder. */
    public static ValueType<Path> folder() {
        ValueType<Path> path = path();
        return new ValueType<>("an existing folder", Optional.empty(), (text, dir) -> {
            Path p = path.parse(text, dir);
            if (!java.nio.file.Files.isDirectory(p)) {
                throw new IllegalArgumentException("an existing folder (" + p + " is not one)");
            }
            return p;
        });
    }

    /** A comma-separated list of items of {@code item}, empty items dropped, at least one. */
    public static <T> ValueType<List<T>> listOf(ValueType<T> item) {
        String allowed = "a comma-separated list of " + item.allowed() + ", at least one";
        return new ValueType<>(allowed, item.range(), (text, dir) -> {
            List<T> out = new ArrayList<>();
            for (String s : text.split(",")) {
                if (!s.isBlank()) {
                    try {
                        out.add(item.parse(s.strip(), dir));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("'" + s.strip() + "' is not " + item.allowed()
                                + "; allowed: " + allowed);
                    }
                }
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException(allowed);
            }
            return List.copyOf(out);
        });
    }

    /** "1-3600", or "-5 to 5" where a dash would be read as a minus sign. */
    private static String span(String min, String max, boolean negative) {
        return negative ? min + " to " + max : min + "-" + max;
    }

    /** 12.0 as 12, 0.1 as 0.1: ranges read as a technician writes them. */
    private static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
