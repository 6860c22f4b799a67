package ckp.kiosk.publish;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Topics the broker refused (a PUBACK reason code of 0x80 or more, e.g. an ACL's 0x87), each held back on its own until
 * its backoff has passed, so the other topics keep flowing. A topic refused again waits longer; one accepted again
 * starts from the base. Pure: the caller says what time it is, in nanoseconds of a monotonic ticker.
 */
final class RefusedTopics {
    private final Backoff backoff;
    private final Map<String, Long> heldUntilNanos = new HashMap<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private Set<String> held = Set.of();

    RefusedTopics(Backoff backoff) {
        this.backoff = backoff;
    }

    /**
     * Holds a topic the broker just refused; returns how long, or empty when it is held already (more PUBACKs of the
     * same window).
     */
    Optional<Duration> refuse(String topic, long nowNanos) {
        if (heldUntilNanos.containsKey(topic)) {
            return Optional.empty();
        }
        Duration wait = backoff.wait(failures.merge(topic, 1, Integer::sum));
        heldUntilNanos.put(topic, nowNanos + wait.toNanos());
        held = Set.copyOf(heldUntilNanos.keySet());
        return Optional.of(wait);
    }

    /** Lifts the hold on topics whose backoff has passed; true when any was lifted (their messages may go again). */
    boolean liftDue(long nowNanos) {
        if (heldUntilNanos.values().removeIf(until -> nowNanos - until >= 0)) {
            held = Set.copyOf(heldUntilNanos.keySet());
            return true;
        }
        return false;
    }

    /** The broker accepted a message on the topic: true when it had refused the topic before. */
    boolean accepted(String topic) {
        return failures.remove(topic) != null;
    }

    boolean isHeld(String topic) {
        return heldUntilNanos.containsKey(topic);
    }

    /** The topics held back now (an unmodifiable snapshot). */
    Set<String> held() {
        return held;
    }

    /** MQTT v5 reason codes a PUBACK may carry (OASIS MQTT 5.0, 3.4.2.1), in words for logs and alarms. */
    static String reason(int code) {
        return switch (code) {
            case 0x00 -> "success";
            case 0x10 -> "no matching subscribers";
            case 0x80 -> "unspecified error";
            case 0x83 -> "implementation specific error";
            case 0x87 -> "not authorized";
            case 0x90 -> "topic name invalid";
            case 0x91 -> "packet identifier in use";
            case 0x97 -> "quota exceeded";
            case 0x99 -> "payload format invalid";
            default -> "reason code 0x" + Integer.toHexString(code);
        };
    }
}
