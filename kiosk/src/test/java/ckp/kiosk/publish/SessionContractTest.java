package ckp.kiosk.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.store.EventStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session's reconnect and delivery rules (docs/mqtt.md, "Delivery contract"), each held by a test on a scripted
 * broker link and a clock moved by hand: a real store, no broker process, no sleeps. Backoffs take their whole
 * ceiling (no jitter), so every wait is known, and the clock is moved only once the session has begun the wait.
 */
class SessionContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration AWAIT = Duration.ofSeconds(20);
    private static final URI FIRST = URI.create("tcp://first.invalid:1884");
    private static final URI SECOND = URI.create("tcp://second.invalid:1884");

    @TempDir
    Path dir;

    private final FakeTicker ticker = new FakeTicker();
    private final ScriptedBrokerLink link = new ScriptedBrokerLink();
    private final RecordedBackoff backoff = new RecordedBackoff(Duration.ofSeconds(8));
    private EventStore store;
    private Publisher publisher;
    private int barriers;

    @BeforeEach
    void openStore() {
        store = EventStore.open(dir.resolve("events.db"));
    }

    @AfterEach
    void stop() {
        if (publisher != null) {
            publisher.close();
        }
        store.close();
    }

    private Publisher start(double drainRatePerSecond) {
        publisher = new Publisher(store, link, Fixtures.config(List.of(FIRST.toString(), SECOND.toString()), 8,
                drainRatePerSecond), Fixtures.TOPICS, "test", Fixtures.CLOCK, "boot-1", ticker,
                backoff.backoff());
        publisher.start();
        return publisher;
    }

    private List<Long> committed(int n) {
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            seqs.add(Fixtures.appendEvent(store).seq());
        }
        return seqs;
    }

    private static JsonNode json(ScriptedBrokerLink.Sent s) {
        try {
            return JSON.readTree(s.message().payload());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The seqs of events sent, in send order (repeats included). */
    private List<Long> eventSeqs() {
        return link.sentOn("/event").stream().map(s -> json(s).path("seq").asLong()).toList();
    }

    private void await(Predicate<ScriptedBrokerLink> condition, String what) throws InterruptedException {
        assertTrue(link.await(condition, AWAIT), what + "; sent: " + link.sent().size());
    }

    /** Waits for a condition on the store, which the session writes on threads of its own (delivery marks). */
    private void awaitStore(BooleanSupplier condition, String what) throws InterruptedException {
        await(l -> condition.getAsBoolean(), what);
    }

    /** Waits until the session has asked for its {@code n}th backoff, then moves the clock past it. */
    private void passBackoff(int n) throws InterruptedException {
        assertTrue(backoff.awaitCount(n, AWAIT), "backoff " + n + " begun; so far " + backoff.ceilings());
        ticker.advance(backoff.ceilings().get(n - 1));
    }

    /**
     * Commits {@code n} events once the session is connected and has drawn its backlog line (so they are live, not
     * paced) and tells the session.
     */
    private List<Long> committedLive(int n) throws InterruptedException {
        await(l -> publisher.connected(), "connected, the backlog line drawn");
        List<Long> seqs = committed(n);
        publisher.wake();
        return seqs;
    }

    /**
     * Waits until the session has been round its loop three more times (a command response goes out first in each
     * round): whatever the clock it read allowed is sent by then, so a count taken now is final for this clock.
     */
    private void settle() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            String topic = "test/barrier/" + barriers++;
            publisher.respond(OutgoingMessage.qos1(topic, new byte[0], false));
            await(l -> l.sent().stream().anyMatch(s -> s.topic().equals(topic)), "the session goes round its loop");
        }
    }

    @Test
    void itConnectsToTheFirstUriThatAnswersAnnouncesItselfOnlineRetainedAndSubscribes() throws Exception {
        link.down(FIRST, true);
        start(100).subscribe(Fixtures.TOPICS.siteDenylist(), m -> { });
        await(l -> l.connections() == 1 && !l.subscriptions().isEmpty(), "connected through the second URI");
        assertEquals(List.of(FIRST, SECOND), link.connectTries());
        ScriptedBrokerLink.Sent status = link.sentOn("/status").get(0);
        assertTrue(status.message().retain());
        assertEquals("online", json(status).path("state").asText());
        assertEquals(publisher.bdSeq(), json(status).path("bdSeq").asLong());
        assertEquals(List.of(Fixtures.TOPICS.siteDenylist()), link.subscriptions().get(0));
    }

    @Test
    void whenNoBrokerAnswersItWaitsOutAnExponentialBackoffOnTheTickerBeforeTryingAgain() throws Exception {
        link.down(FIRST, true).down(SECOND, true);
        start(100);
        assertTrue(backoff.awaitCount(1, AWAIT));
        assertEquals(List.of(FIRST, SECOND), link.connectTries(), "one round over the failover list, then a wait");
        passBackoff(1);
        assertTrue(backoff.awaitCount(2, AWAIT));
        assertEquals(4, link.connectTries().size(), "a second round once the clock passed the wait");
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), backoff.ceilings(), "the ceiling doubles");
        link.down(SECOND, false);
        passBackoff(2);
        await(l -> l.connections() == 1, "connected once the second broker answers");
        assertEquals(6, link.connectTries().size());
    }

    @Test
    void liveMessagesGoFirstAndTheBacklogFollowsInCommitOrderAtTheDrainRate() throws Exception {
        List<Long> backlog = committed(30);
        start(10); // 10 messages a second, window 10
        await(l -> eventSeqs().size() == 1, "one token to start with");
        settle();
        assertEquals(List.of(backlog.get(0)), eventSeqs(), "the clock stands still: no second backlog message");
        List<Long> live = committed(5);
        publisher.wake();
        await(l -> eventSeqs().size() == 6, "live messages are not paced");
        ticker.advance(Duration.ofMillis(300));
        publisher.wake();
        await(l -> eventSeqs().size() == 9, "three more tokens in 300 ms at 10/s");
        settle();
        assertEquals(9, eventSeqs().size());
        ticker.advance(Duration.ofHours(1));
        publisher.wake();
        await(l -> eventSeqs().size() == 19, "an hour idle earns one window, not 36,000 messages");
        settle();
        assertEquals(19, eventSeqs().size());
        List<Long> expected = new ArrayList<>();
        expected.add(backlog.get(0));
        expected.addAll(live);
        expected.addAll(backlog.subList(1, 14));
        assertEquals(expected, eventSeqs(), "live first, then the backlog in commit order");
    }

    @Test
    void noMoreThanTheWindowAwaitsPubackAndASmallerBrokerReceiveMaximumShrinksIt() throws Exception {
        link.receiveMaximum(5);
        start(100_000);
        await(l -> l.sentOn("/status").size() == 1, "connected, the status acknowledged");
        link.holdAcks(true);
        committedLive(40);
        await(l -> eventSeqs().size() == 3, "receive maximum 5 less two control slots");
        link.release(2);
        await(l -> eventSeqs().size() == 5, "each PUBACK frees one slot");
        link.holdAcks(false);
        assertTrue(publisher.awaitDrained(AWAIT));
        assertEquals(3, link.maxUnacked(), "never more than the window awaited PUBACK");
        assertEquals(40, eventSeqs().stream().distinct().count());
    }

    @Test
    void aLostConnectionResendsWhatAwaitedPubackAndWhatWasAcknowledgedJustBeforeOnTheNextConnection()
            throws Exception {
        start(100_000);
        await(l -> l.connections() == 1, "connected");
        List<Long> acked = committedLive(3);
        assertTrue(publisher.awaitDrained(AWAIT), "the first three are acknowledged");
        link.holdAcks(true);
        List<Long> unacked = committedLive(2);
        await(l -> l.unackedCount() == 2, "two await their PUBACK when the connection fails");
        link.loseConnection("scripted loss");
        link.holdAcks(false);
        passBackoff(1);
        await(l -> l.connections() == 2, "reconnected after the backoff");
        // The resent messages are the new connection's backlog: paced, so the clock moves until they are through.
        for (int i = 0; i < 100 && store.undeliveredCount() > 0; i++) {
            ticker.advance(Duration.ofSeconds(1));
            publisher.wake();
            settle();
        }
        assertEquals(0, store.undeliveredCount());
        List<Long> second = link.sentOn("/event").stream().filter(s -> s.connection() == 2)
                .map(s -> json(s).path("seq").asLong()).toList();
        List<Long> all = new ArrayList<>(acked);
        all.addAll(unacked);
        assertEquals(all, second, "what awaited PUBACK, and what was acknowledged within 10 s of the loss, goes "
                + "again in commit order");
    }

    @Test
    void aRefusedTopicIsHeldBackWithAnAlarmWhileOtherTopicsFlowAndFlowsOnceAccepted() throws Exception {
        link.puback(Fixtures.TOPICS.event(), 0x87);
        List<Long> events = committed(3);
        start(100_000);
        await(l -> l.sentOn("/alarm").size() == 1, "the refusal raises an alarm");
        JsonNode alarm = json(link.sentOn("/alarm").get(0));
        assertEquals("publish-rejected", alarm.path("alarm").asText());
        assertEquals("raised", alarm.path("state").asText());
        assertEquals(0x87, alarm.path("detail").path("reasonCode").asInt());
        settle();
        int tries = eventSeqs().size();
        assertEquals(List.of("publish-rejected:" + Fixtures.TOPICS.event()), publisher.activeAlarms());
        awaitStore(() -> store.undeliveredCount() == 3, "the refused events stay, the alarm went");
        committed(1);
        publisher.wake();
        settle();
        assertEquals(tries, eventSeqs().size(), "held back for its backoff: nothing more is sent on the topic");

        ticker.advance(Duration.ofSeconds(1));
        await(l -> eventSeqs().size() > tries, "tried again after the 1 s backoff");
        settle();
        int again = eventSeqs().size();
        ticker.advance(Duration.ofMillis(1_999));
        publisher.wake();
        settle();
        assertEquals(again, eventSeqs().size(), "refused again: the hold doubled to 2 s");

        link.puback(Fixtures.TOPICS.event(), 0);
        ticker.advance(Duration.ofMillis(1));
        assertTrue(publisher.awaitDrained(AWAIT), "accepted: the kept events flow");
        assertTrue(eventSeqs().containsAll(events));
        await(l -> l.sentOn("/alarm").size() == 2, "the alarm is cleared");
        assertEquals("cleared", json(link.sentOn("/alarm").get(1)).path("state").asText());
        assertEquals(List.of(), publisher.activeAlarms());
    }

    @Test
    void whenTheAlarmTopicIsRefusedTooTheRefusalIsHeldOnceAndNothingPilesUp() throws Exception {
        link.puback(Fixtures.TOPICS.event(), 0x87).puback(Fixtures.TOPICS.alarm(), 0x87);
        committed(3);
        start(100_000);
        await(l -> l.sentOn("/alarm").size() == 1, "the alarm about the refusal is tried");
        for (int i = 0; i < 5; i++) {
            ticker.advance(Duration.ofSeconds(8)); // several probe rounds of both topics
            publisher.wake();
            settle();
        }
        assertEquals(List.of("publish-rejected:" + Fixtures.TOPICS.alarm(),
                "publish-rejected:" + Fixtures.TOPICS.event()), publisher.activeAlarms());
        assertEquals(4, store.undeliveredCount(), "three events and the one alarm about them, nothing more");
    }

    @Test
    void aRefusedSubscriptionLeavesTheSessionUpAndTheOtherSubscriptionsWorking() throws Exception {
        link.suback(Fixtures.TOPICS.siteDenylist(), 0x87);
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        Publisher p = start(100);
        p.subscribe(Fixtures.TOPICS.siteDenylist(), m -> got.add("denylist"));
        p.subscribe(Fixtures.TOPICS.commands(), m -> got.add(Thread.currentThread().getName() + " "
                + new String(m.payload(), StandardCharsets.UTF_8)));
        await(l -> l.subscriptions().stream().anyMatch(s -> s.size() == 2), "both filters asked for");
        link.deliver(new InboundMessage(Fixtures.TOPICS.commands().replace("+", "ping"),
                "hi".getBytes(StandardCharsets.UTF_8), false, Optional.empty(), Optional.empty()));
        assertEquals("mqtt-inbound hi", got.poll(20, TimeUnit.SECONDS), "handled on the inbound thread");
        await(l -> p.connected(), "the session stays up");
        committedLive(1);
        assertTrue(p.awaitDrained(AWAIT), "publishing goes on");
    }

    @Test
    void afterAReconnectEverySubscriptionIsMadeAgain() throws Exception {
        Publisher p = start(100);
        p.subscribe(Fixtures.TOPICS.siteDenylist(), m -> { });
        await(l -> l.subscriptions().size() >= 1 && l.connections() == 1, "subscribed on the first connection");
        int before = link.subscriptions().size();
        link.loseConnection("scripted loss");
        passBackoff(1);
        await(l -> l.connections() == 2 && l.subscriptions().size() > before, "subscribed again");
        assertEquals(List.of(Fixtures.TOPICS.siteDenylist()), link.subscriptions().get(link.subscriptions().size() - 1));
    }
}
