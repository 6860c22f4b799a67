package ckp.kiosk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md's thread table is what an operator reads beside a thread dump: it lists exactly the threads
 * the kiosk and its drivers name in code. The demo's broker and the benchmarks are not the field kiosk's.
 */
class ThreadNamesTest {
    private static final Path ROOT = Path.of(System.getProperty("ckp.root", ".."));
    /**
     * A thread name given in code: {@code Thread.ofPlatform().name(...)}, {@code new Thread(r, ...)}, a slot thread, a
     * session thread ({@code threads.start("publisher", ...)}, platform or virtual by {@code SessionThreads}).
     */
    private static final Pattern NAMED = Pattern.compile(
            "Thread\\.of(?:Platform|Virtual)\\(\\)(?:\\.daemon\\(\\))?\\.name\\(((?:[^;()]|\\([^()]*\\))*)\\)"
            + "|new Thread\\(\\w+, (\"[^\"]*\")\\)|new LatestMessageSlots\\((\"[^\"]*\")"
            + "|threads\\.(?:start|factory)\\((\"[^\"]*\")");
    private static final Pattern LITERAL = Pattern.compile("\"([^\"]*)\"");

    @Test
    void theThreadTableListsExactlyTheThreadsTheCodeNames() throws IOException {
        Set<String> inCode = new TreeSet<>();
        for (String module : List.of("kiosk", "drivers")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    if (f.toString().contains("/simulate/") || f.getFileName().toString().endsWith("Benchmark.java")) {
                        continue;
                    }
                    Matcher m = NAMED.matcher(Files.readString(f));
                    while (m.find()) {
                        String expression = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2)
                                : m.group(3) != null ? m.group(3) : m.group(4);
                        shape(expression).ifPresent(inCode::add);
                    }
                }
            }
        }
        assertTrue(inCode.size() >= 10, "the scan finds the kiosk's threads: " + inCode);

        Set<String> documented = new TreeSet<>();
        for (String name : documentedThreads()) {
            documented.add(name.replaceAll("<[^>]+>", "*"));
        }
        assertEquals(inCode, documented, "docs/architecture.md's Threads table against the names in code "
                + "(* marks a part computed at run time)");
    }

    /**
     * A name expression's shape: the literal itself, or its literal parts with {@code *} for each computed part
     * ({@code name + "-stderr-" + p.pid()} is {@code *-stderr-*}); empty for a name that is all computed.
     */
    static java.util.Optional<String> shape(String expression) {
        String e = expression.strip();
        if (!e.contains("\"")) {
            return java.util.Optional.empty();
        }
        StringBuilder sb = new StringBuilder();
        for (String part : e.split("\\s*\\+\\s*")) {
            Matcher lit = LITERAL.matcher(part);
            sb.append(lit.matches() ? lit.group(1) : "*");
        }
        return java.util.Optional.of(sb.toString());
    }

    static List<String> documentedThreads() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/architecture.md"));
        int start = doc.indexOf("\n## Threads\n");
        assertTrue(start >= 0, "docs/architecture.md has a Threads section");
        int end = doc.indexOf("\n## ", start + 1);
        String section = doc.substring(start, end < 0 ? doc.length() : end);
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("^\\| `([^`]+)` \\|", Pattern.MULTILINE).matcher(section);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void aComputedNameHasTheShapeOfItsLiteralParts() {
        assertEquals(java.util.Optional.of("*-stderr-*"), shape("name + \"-stderr-\" + p.pid()"));
        assertEquals(java.util.Optional.of("lane"), shape("\"lane\""));
        assertEquals(java.util.Optional.empty(), shape("threadName"));
    }
}
