package ckp.kiosk.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo as {@code kiosk/bin/demo --broker embedded} runs it: a child JVM, the lane on HiveMQ CE in that JVM. */
class DemoTest {
    @TempDir
    Path dir;

    @Test
    void theDemoOnTheEmbeddedHiveMqBrokerDeliversEveryVehicleEventToTheIndependentSubscriber() throws Exception {
        Path out = dir.resolve("demo.out");
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Demo.class.getName(),
                "--broker", "embedded", "--dir", dir.resolve("work").toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean ended = demo.waitFor(300, TimeUnit.SECONDS);
        if (!ended) {
            demo.destroyForcibly().waitFor();
        }
        String output = Files.readString(out);
        assertTrue(ended, "the demo ends when its frames do:\n" + output);
        assertEquals(0, demo.exitValue(), output);
        assertTrue(output.contains("[demo] broker: HiveMQ Community Edition, embedded"), output);
        // One event per vehicle (every demo frame but the empty ones), as the broker delivered them, in lane order.
        long vehicles = Simulation.DEMO_FRAMES.stream().filter(f -> !f.contains("empty")).count();
        List<String> events = output.lines().filter(l -> l.startsWith("[broker] event seq ")).toList();
        assertEquals(vehicles, events.size(), output);
        assertTrue(events.get(0).contains("pass valid DEMO-F-0001") && events.get(0).endsWith("-> PASS"), events.get(0));
        assertTrue(events.stream().anyMatch(e -> e.contains("pass revoked") && e.contains("-> STOP")), output);
        assertTrue(events.stream().anyMatch(e -> e.contains("pass bad_signature") && e.contains("-> STOP")), output);
        assertTrue(output.contains("/status {\"state\":\"offline\""), "the clean stop's status reached the broker:\n" + output);
    }
}
