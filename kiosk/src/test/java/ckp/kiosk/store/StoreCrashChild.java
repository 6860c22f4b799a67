package ckp.kiosk.store;

import ckp.kiosk.fixtures.Stores;
import ckp.kiosk.message.MessageClass;
import ckp.kiosk.clock.ClockStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The process {@link StoreCrashTest} kills: appends checkpoint events to the store named by its argument as fast as
 * it can and prints {@code committed <seq>} after each commit returns, until it is killed.
 */
public final class StoreCrashChild {
    private StoreCrashChild() {
    }

    public static void main(String[] args) {
        StoreConfig config = new StoreConfig(Path.of(args[0]), Duration.ofHours(24), 1L << 30, 0);
        try (EventStore store = EventStore.open(config, StoreFixtures.TOPICS, StoreFixtures.BOOT, ClockStatus.system(true))) {
            System.out.println("native " + System.getProperty(EventStore.NATIVE_DIR_PROPERTY));
            System.out.flush();
            while (true) {
                StoredMessage m = Stores.append(store, MessageClass.EVENT, "t/event", false, Instant.now(), true, "crash",
                        stamp -> ("{\"id\":\"" + stamp.id() + "\",\"seq\":" + stamp.seq() + "}")
                                .getBytes(StandardCharsets.UTF_8));
                System.out.println("committed " + m.seq());
                System.out.flush();
            }
        }
    }
}
