package ckp.kiosk.publish;

import ckp.kiosk.store.EventStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A kiosk in a child JVM for the kill -9 test: the real EventStore and Publisher, with a lane that commits an event
 * every 10 ms ({@code stream}), or none while the outbox drains ({@code drain}, exit 0 when empty).
 */
public final class KioskChild {
    private KioskChild() {
    }

    public static void main(String[] args) throws Exception {
        Path storeFile = Path.of(args[0]);
        String uri = args[1];
        boolean stream = args[2].equals("stream");
        EventStore store = EventStore.open(storeFile);
        Publisher publisher = Fixtures.publisher(store, Fixtures.config(List.of(uri), 2, 1000));
        publisher.start();
        if (stream) {
            boolean told = false;
            while (true) {
                Fixtures.appendEvent(store);
                publisher.wake();
                if (!told && publisher.connected()) {
                    // The test kills only kiosks that are publishing, not ones still starting up.
                    System.out.println("connected");
                    System.out.flush();
                    told = true;
                }
                Thread.sleep(10);
            }
        }
        boolean drained = publisher.awaitDrained(Duration.ofSeconds(90));
        publisher.close();
        store.close();
        System.exit(drained ? 0 : 1);
    }
}
