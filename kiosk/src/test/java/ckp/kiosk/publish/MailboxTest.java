package ckp.kiosk.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.fixtures.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MailboxTest {
    @Test
    void itemsComeOutInTheOrderTheyWentIn() throws InterruptedException {
        Mailbox<Integer> box = new Mailbox<>();
        box.offer(1);
        box.offer(2);
        assertEquals(1, box.poll(1, TimeUnit.SECONDS));
        assertEquals(2, box.poll());
        assertNull(box.poll());
    }

    @Test
    void aWaitWithNothingOfferedEndsEmptyAfterItsTimeout() throws InterruptedException {
        Mailbox<Integer> box = new Mailbox<>();
        long start = System.nanoTime();
        assertNull(box.poll(50, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50), "it waited out the timeout");
    }

    @Test
    void anOfferFromAnotherThreadWakesAWaitingTaker() throws InterruptedException {
        Mailbox<String> box = new Mailbox<>();
        Thread taker = Thread.currentThread();
        Thread offerer = Thread.ofPlatform().start(() -> {
            try {
                // Offered only once the taker is parked in its wait, so the offer is what wakes it.
                Await.until("the taker waits", () -> taker.getState() == Thread.State.TIMED_WAITING);
            } catch (Exception e) {
                return;
            }
            box.offer("ack");
        });
        assertEquals("ack", box.poll(10, TimeUnit.SECONDS), "woken by the offer, long before the timeout");
        offerer.join();
    }

    @Test
    void everyItemOfManyOfferingThreadsArrivesExactlyOnce() throws InterruptedException {
        Mailbox<Integer> box = new Mailbox<>();
        int threads = 4;
        int each = 20_000;
        List<Thread> offerers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * each;
            offerers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    box.offer(base + i);
                }
            }));
        }
        boolean[] seen = new boolean[threads * each];
        int[] lastOfThread = new int[threads];
        java.util.Arrays.fill(lastOfThread, -1);
        for (int n = 0; n < threads * each; n++) {
            Integer item = box.poll(10, TimeUnit.SECONDS);
            assertTrue(item != null, "item " + n + " arrived");
            assertTrue(!seen[item], "item " + item + " arrived once");
            seen[item] = true;
            int thread = item / each;
            assertTrue(item > lastOfThread[thread], "one thread's items keep their order");
            lastOfThread[thread] = item;
        }
        assertNull(box.poll());
        for (Thread t : offerers) {
            t.join();
        }
    }

    @Test
    void anInterruptedTakerStopsWaiting() {
        Mailbox<Integer> box = new Mailbox<>();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> box.poll(10, TimeUnit.SECONDS));
    }
}
