package ckp.kiosk.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.fixtures.MosquittoBroker;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The fleet command, small: 20 kiosks for a few seconds against a real Mosquitto on a free port. */
class FleetTest {
    @TempDir
    Path dir;

    @Test
    void twentyKiosksDeliverEveryCommittedEventAndTheSubscriberSeesEachIdOnce() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"), List.of("max_queued_messages 0"))) {
            Fleet fleet = new Fleet();
            new CommandLine(fleet).parseArgs("--broker", broker.uri(), "--kiosks", "20", "--seconds", "4",
                    "--events-per-minute", "60", "--ramp-seconds", "1", "--store-dir", dir.resolve("stores").toString(),
                    "--drain-timeout-seconds", "120");
            ObjectNode figures = fleet.run();

            long committed = figures.get("committed").asLong();
            assertTrue(committed > 0, figures.toString());
            assertEquals(committed, figures.get("delivered").asLong(), figures.toString());
            assertEquals(committed, figures.get("distinctIdsAtSubscriber").asLong(), figures.toString());
            assertEquals(0, figures.get("undelivered").asLong(), figures.toString());
            assertEquals(20, figures.get("kiosks").asInt());
            assertTrue(figures.get("connects").asLong() >= 20, figures.toString());
            assertTrue(figures.get("complete").asBoolean(), figures.toString());
            try (var files = Files.list(dir.resolve("stores"))) {
                assertEquals(20, files.filter(f -> f.getFileName().toString().endsWith(".db")).count(),
                        "one store file per kiosk");
            }
        }
    }
}
