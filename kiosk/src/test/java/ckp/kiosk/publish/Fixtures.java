package ckp.kiosk.publish;

import ckp.kiosk.fixtures.Stores;
import ckp.kiosk.message.Topics;
import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.config.KioskIdentity;
import ckp.kiosk.store.EventStore;
import ckp.kiosk.message.MessageClass;
import ckp.kiosk.store.StoredMessage;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Shared set-up of the session tests: one kiosk identity, a config pointing at test brokers, event payloads. */
final class Fixtures {
    static final KioskIdentity KIOSK = new KioskIdentity("k1", "s1", "l1");
    static final Topics TOPICS = new Topics("ckp/v1", KIOSK.site(), KIOSK.lane(), KIOSK.id());
    static final ClockStatus CLOCK = ClockStatus.fixed(Clock.systemUTC(), true);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    static MqttConfig config(List<String> uris, int reconnectMaxSeconds, double drainRatePerSecond) {
        return new MqttConfig(uris.stream().map(URI::create).toList(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), "ckp/v1", Duration.ofSeconds(reconnectMaxSeconds),
                10, Duration.ofSeconds(5), drainRatePerSecond, Duration.ofSeconds(60));
    }

    static Publisher publisher(EventStore store, MqttConfig config) {
        return new Publisher(store, new PahoBrokerLink(KIOSK.id(), Optional.empty(), Optional.empty(),
                Optional.empty(), (int) config.keepAlive().toSeconds()), config, TOPICS, "test", CLOCK, "boot-1");
    }

    static StoredMessage appendEvent(EventStore store) {
        return Stores.append(store, MessageClass.EVENT, TOPICS.event(), false, CLOCK.now(), true, "boot-1",
                stamp -> JSON.createObjectNode().put("id", stamp.id().toString()).put("seq", stamp.seq())
                        .put("kiosk", KIOSK.id()).put("time", stamp.time().toString())
                        .toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Every event id committed in a store file, read with plain SQL so the check does not trust the code under test. */
    static Set<String> committedEventIds(Path storeFile) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + storeFile);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM outbox WHERE class = 'event'")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** Event ids the store has marked acknowledged by the broker. */
    static Set<String> acknowledgedEventIds(Path storeFile) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + storeFile);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM messages WHERE class = 'event' AND acked_ms IS NOT NULL")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /**
     * True when the sequence can be split into two increasing runs: live messages sent first interleave with the
     * backlog, but each of the two keeps seq order.
     */
    static boolean twoIncreasingRuns(List<Long> seqs) {
        long low = Long.MIN_VALUE;
        long high = Long.MIN_VALUE;
        for (long x : seqs) {
            // Greedy: x goes on the run whose last value is the largest one below x.
            if (x > high) {
                high = x;
            } else if (x > low) {
                low = x;
            } else {
                return false;
            }
        }
        return true;
    }
}
