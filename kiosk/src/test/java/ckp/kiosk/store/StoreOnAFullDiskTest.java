package ckp.kiosk.store;

import ckp.kiosk.message.MessageClass;
import static ckp.kiosk.store.StoreFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store on a real file system that fills up: a small tmpfs mounted by the test (the tests run as root; a machine
 * where mounting is not allowed fails this test rather than skipping it).
 */
class StoreOnAFullDiskTest {

    /** A tmpfs of {@code size} mounted at {@code at}; unmounted on close. */
    private record SmallDisk(Path at) implements AutoCloseable {
        static SmallDisk mount(Path at, String size) throws IOException, InterruptedException {
            Files.createDirectories(at);
            run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString());
            return new SmallDisk(at);
        }

        @Override
        public void close() throws IOException, InterruptedException {
            run("umount", at.toString());
        }

        private static void run(String... command) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail(String.join(" ", command) + " failed (this test needs root to mount a tmpfs): " + output);
            }
        }
    }

    @Test
    void everyEventRefusedOnAFullDiskIsCountedAndTheDiskFullAlarmIsRaisedAndClearedOnceThereIsRoom(@TempDir Path dir)
            throws Exception {
        if (System.getProperty(EventStore.NATIVE_DIR_PROPERTY) == null) {
            // sqlite-jdbc's native library must not be unpacked onto the small disk.
            Files.createDirectories(dir.resolve("native"));
            System.setProperty(EventStore.NATIVE_DIR_PROPERTY, dir.resolve("native").toString());
        }
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("small"), "1m")) {
            Path ballast = disk.at().resolve("ballast");
            Files.write(ballast, new byte[256 * 1024]);
            StoreConfig config = new StoreConfig(disk.at().resolve("events.db"), Duration.ofHours(24),
                    StoreConfig.DEFAULT_MAX_BYTES, 0);
            int committed = 0;
            int refused = 0;
            List<AppendOutcome.Refused> refusals = new ArrayList<>();
            try (EventStore store = StoreFixtures.open(config)) {
                for (int i = 0; i < 2_000 && refused == 0; i++) {
                    AppendOutcome outcome = StoreFixtures.append(store, MessageClass.EVENT, T0, 2000);
                    if (outcome instanceof AppendOutcome.Refused r) {
                        refusals.add(r);
                        refused++;
                    } else {
                        committed++;
                    }
                }
                assertTrue(refused > 0 && committed > 0, "the disk filled after " + committed + " events");
                for (int i = 0; i < 20; i++) {
                    AppendOutcome outcome = StoreFixtures.append(store, MessageClass.EVENT, T0, 2000);
                    refusals.add(assertInstanceOf(AppendOutcome.Refused.class, outcome,
                            "the disk is still full: refused, as an outcome"));
                    refused++;
                }
                assertEquals(refused, store.health(T0).droppedCount(), "every refusal is counted, in memory if need be");
                assertEquals(refused, refusals.getLast().droppedTotal());
                assertTrue(store.health(T0).diskFull(), "telemetry reports the full disk");

                Files.delete(ballast);
                StoreFixtures.committed(StoreFixtures.append(store, MessageClass.EVENT, T0, 2000));
                assertEquals(refused, store.counter(StoreCounter.DROPPED).orElse(0),
                        "the count reached the file once the disk took writes again");
                assertFalse(store.health(T0).diskFull());
                List<JsonNode> alarms = StoreFixtures.alarms(store, "store-disk-full");
                assertEquals(List.of("raised", "cleared"), alarms.stream().map(a -> a.path("state").asText()).toList());
                assertEquals(refused, alarms.getLast().path("detail").path("dropped").asLong());
            }
            try (EventStore reopened = StoreFixtures.open(config)) {
                assertEquals(refused, reopened.health(T0).droppedCount(), "the count survives a restart");
                assertEquals(committed + 1, StoreFixtures.seqs(reopened, MessageClass.EVENT).size(),
                        "everything committed before the disk filled is still there");
            }
        }
    }
}
