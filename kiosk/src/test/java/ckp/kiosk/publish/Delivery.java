package ckp.kiosk.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The checks every delivery test makes on what the independent subscriber received. */
final class Delivery {
    private Delivery() {
    }

    static Set<String> eventIds(List<PersistentSubscriber.Received> received) {
        Set<String> ids = new HashSet<>();
        for (PersistentSubscriber.Received r : received) {
            if (r.topic().endsWith("/event")) {
                ids.add(r.id());
            }
        }
        return ids;
    }

    /** A duplicate is only ever the same message again: same id, same seq, same payload. */
    static void assertDuplicatesAreTheSameMessage(List<PersistentSubscriber.Received> received) {
        Map<String, PersistentSubscriber.Received> first = new HashMap<>();
        for (PersistentSubscriber.Received r : received) {
            if (!r.topic().endsWith("/event")) {
                continue;
            }
            PersistentSubscriber.Received earlier = first.putIfAbsent(r.id(), r);
            if (earlier != null) {
                assertEquals(earlier.json(), r.json(), "a duplicate differs from the first delivery of " + r.id());
            }
        }
    }

    /**
     * Per connection (the kiosk's retained online status starts each), the first deliveries of events split into at
     * most two runs increasing in seq: the live stream and the backlog. Returns how many connections were seen.
     */
    static int assertSeqOrderPerConnection(List<PersistentSubscriber.Received> received) {
        Set<String> seen = new HashSet<>();
        List<List<Long>> segments = new ArrayList<>();
        segments.add(new ArrayList<>());
        for (PersistentSubscriber.Received r : received) {
            if (r.topic().endsWith("/status") && r.json().path("state").asText().equals("online") && !r.retained()) {
                segments.add(new ArrayList<>());
            } else if (r.topic().endsWith("/event") && seen.add(r.id())) {
                segments.get(segments.size() - 1).add(r.seq());
            }
        }
        for (List<Long> seqs : segments) {
            assertTrue(Fixtures.twoIncreasingRuns(seqs), "seq order broken within one connection: " + seqs);
        }
        return segments.size() - 1;
    }
}
