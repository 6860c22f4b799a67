package ckp.kiosk.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.fixtures.Await;
import ckp.kiosk.fixtures.MosquittoBroker;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 the kiosk (a child JVM with the real store and publisher) 22 times while it records and publishes: the
 * events an independent persistent subscriber receives are exactly the events committed in the store.
 */
class KioskKillTest {
    private static final int KILLS = 22;

    @TempDir
    Path dir;

    @Test
    void afterTwentyTwoKillsTheBrokerDeliveredExactlyTheCommittedEvents() throws Exception {
        Path storeFile = dir.resolve("events.db");
        // The kill points come from a seeded generator: a failing run is repeated with the seed it printed.
        long seed = Long.getLong("ckp.kill.seed", 20_261_130L);
        System.out.println("KioskKillTest kill points from seed " + seed + " (repeat with -Dckp.kill.seed=" + seed + ")");
        Random random = new Random(seed);
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"), List.of());
             PersistentSubscriber central = new PersistentSubscriber(broker.uri(), "ckp/v1/#")) {
            for (int i = 0; i < KILLS; i++) {
                Process kiosk = child(storeFile, broker.uri(), "stream", i);
                awaitReady(i);
                // Killed mid-stream, after a chosen number of further commits (the child commits one every 10 ms).
                int target = Fixtures.committedEventIds(storeFile).size() + random.nextInt(20, 120);
                Await.until("kiosk " + i + " has committed " + target + " events (seed " + seed + "); see " + log(i),
                        () -> Fixtures.committedEventIds(storeFile).size() >= target);
                kiosk.destroyForcibly();
                assertTrue(kiosk.waitFor(10, TimeUnit.SECONDS));
                assertEquals(137, kiosk.exitValue(), "killed by SIGKILL");
            }
            Process last = child(storeFile, broker.uri(), "drain", KILLS);
            assertTrue(last.waitFor(120, TimeUnit.SECONDS), "the last kiosk drains its outbox");
            assertEquals(0, last.exitValue(), "the last kiosk drained everything; see " + log(KILLS));

            Set<String> committed = Fixtures.committedEventIds(storeFile);
            assertTrue(committed.size() >= KILLS, "the kiosks recorded a stream: " + committed.size());
            assertTrue(central.await(r -> Delivery.eventIds(r).containsAll(committed), Duration.ofSeconds(30)),
                    "every committed event reaches the subscriber");
            List<PersistentSubscriber.Received> received = central.received();
            assertEquals(committed, Delivery.eventIds(received), "no event missing, none made up");
            Delivery.assertDuplicatesAreTheSameMessage(received);
            assertBirthAndDeathPairUp(received);
        }
    }

    /** Each connection's online status has a bdSeq one higher than any before, and its will carries the same bdSeq. */
    private static void assertBirthAndDeathPairUp(List<PersistentSubscriber.Received> received) {
        List<Long> online = new ArrayList<>();
        List<Long> offline = new ArrayList<>();
        for (PersistentSubscriber.Received r : received) {
            if (r.topic().endsWith("/status") && !r.retained()) {
                JsonNode j = r.json();
                (j.path("state").asText().equals("online") ? online : offline).add(j.path("bdSeq").asLong());
                if (j.path("state").asText().equals("online")) {
                    assertTrue(j.path("since").isTextual() && j.path("version").isTextual(), j.toString());
                }
            }
        }
        assertTrue(online.size() >= KILLS + 1, "one birth per kiosk start: " + online);
        for (int i = 1; i < online.size(); i++) {
            assertTrue(online.get(i) > online.get(i - 1), "bdSeq increases across restarts: " + online);
        }
        assertTrue(offline.containsAll(online), "every birth has its death (will or clean stop): online " + online
                + ", offline " + offline);
    }

    private Process child(Path storeFile, String uri, String mode, int run) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // A quick-starting JVM: the test measures delivery, not speed, and starts 23 of them.
        return new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), KioskChild.class.getName(),
                storeFile.toString(), uri, mode)
                .redirectErrorStream(true).redirectOutput(log(run).toFile()).start();
    }

    private Path log(int run) {
        return dir.resolve("kiosk-" + run + ".log");
    }

    private void awaitReady(int run) throws Exception {
        Await.until("kiosk child " + run + " is connected; see " + log(run),
                () -> Files.exists(log(run)) && Files.readString(log(run)).contains("connected"));
    }
}
