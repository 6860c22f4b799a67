package ckp.kiosk.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.fixtures.Await;
import ckp.kiosk.fixtures.MosquittoBroker;
import ckp.kiosk.store.EventStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Mosquitto ACL that refuses the kiosk's event topic: nothing is deleted, an alarm goes out, and a fixed ACL heals it.
 * The real broker's side of rule 8 and 9 of docs/mqtt.md; the rest of the refusal rules are in SessionContractTest.
 */
class RefusedTopicTest {

    @TempDir
    Path dir;

    @Test
    void aPubackWithReasonCode0x87KeepsTheRowsRaisesAnAlarmAndTheyFlowOnceTheAclIsFixed() throws Exception {
        Path acl = dir.resolve("acl");
        Files.writeString(acl, "topic readwrite ckp/#\ntopic deny " + Fixtures.TOPICS.event() + "\n");
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"), List.of("acl_file " + acl, "log_type debug"));
             EventStore store = EventStore.open(dir.resolve("events.db"));
             PersistentSubscriber central = new PersistentSubscriber(broker.uri(), "ckp/v1/#")) {
            Publisher publisher = Fixtures.publisher(store, Fixtures.config(List.of(broker.uri()), 2, 1000));
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                ids.add(Fixtures.appendEvent(store).id().toString());
            }
            publisher.start();
            try {
                assertTrue(central.await(r -> r.stream().anyMatch(m -> m.topic().endsWith("/alarm")
                        && m.json().path("alarm").asText().equals("publish-rejected")
                        && m.json().path("state").asText().equals("raised")), Duration.ofSeconds(20)),
                        "a publish-rejected alarm reaches the broker although events are refused");
                PersistentSubscriber.Received alarm = central.on("/alarm").get(0);
                assertEquals(0x87, alarm.json().path("detail").path("reasonCode").asInt());
                assertEquals(Fixtures.TOPICS.event(), alarm.json().path("detail").path("topic").asText());
                // More events while refused, and a few probe rounds: every one stays in the store.
                for (int i = 0; i < 5; i++) {
                    ids.add(Fixtures.appendEvent(store).id().toString());
                    publisher.wake();
                }
                long before = denied(broker, Fixtures.TOPICS.event());
                Await.until("three more refused publishes of an event (probe rounds)",
                        () -> denied(broker, Fixtures.TOPICS.event()) >= before + 3);
                assertEquals(10, Fixtures.committedEventIds(store.path()).size());
                assertTrue(store.undeliveredCount() >= 10, "refused events are still undelivered");
                assertTrue(publisher.activeAlarms().contains("publish-rejected:" + Fixtures.TOPICS.event()));

                Files.writeString(acl, "topic readwrite ckp/#\n");
                broker.reload();
                assertTrue(central.await(r -> eventIds(r).containsAll(ids), Duration.ofSeconds(30)),
                        "the kept events flow once the ACL allows them");
                assertTrue(central.await(r -> r.stream().anyMatch(m -> m.topic().endsWith("/alarm")
                        && m.json().path("state").asText().equals("cleared")), Duration.ofSeconds(10)));
                assertEquals(ids, eventIds(central.received()));
                assertTrue(publisher.awaitDrained(Duration.ofSeconds(10)));
                assertTrue(publisher.activeAlarms().isEmpty());
            } finally {
                publisher.close();
            }
        }
    }

    static Set<String> eventIds(List<PersistentSubscriber.Received> r) {
        return r.stream().filter(m -> m.topic().endsWith("/event")).map(PersistentSubscriber.Received::id)
                .collect(Collectors.toSet());
    }

    /** Publishes of the topic the broker has refused so far, from its debug log: each is one try of the kiosk's. */
    static long denied(MosquittoBroker broker, String topic) throws IOException {
        Path log = broker.dir().resolve("mosquitto.log");
        if (!Files.exists(log)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("Denied PUBLISH from " + Fixtures.KIOSK.id() + " ")
                    && l.contains("'" + topic + "'")).count();
        }
    }
}
