package ckp.kiosk.site;

import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.publish.AlarmMessage;
import ckp.kiosk.publish.Topics;
import ckp.kiosk.store.EventStore;
import ckp.kiosk.store.MessageClass;
import ckp.kiosk.store.StoreException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The {@code site-message-refused} alarm of one kind of site message: raised when such a message is refused (unsigned,
 * unknown key, bad signature, bad content), cleared when the next one is accepted. Raised once while refusals go on,
 * so that a stream of forged messages cannot fill the store with alarms; the log names every refusal.
 */
public final class SiteMessageAlarm {
    private static final TaggedLogger LOG = Logger.tag("site");
    public static final String CODE = "site-message-refused";

    private final EventStore store;
    private final Topics topics;
    private final ClockStatus clock;
    private final String bootId;
    private final String kind;
    private final String topic;
    private boolean raised;

    /**
     * @param kind  the kind of message, e.g. {@code denylist}
     * @param topic the site topic such messages arrive on
     */
    public SiteMessageAlarm(EventStore store, Topics topics, ClockStatus clock, String bootId, String kind,
                            String topic) {
        this.store = Objects.requireNonNull(store);
        this.topics = Objects.requireNonNull(topics);
        this.clock = Objects.requireNonNull(clock);
        this.bootId = Objects.requireNonNull(bootId);
        this.kind = Objects.requireNonNull(kind);
        this.topic = Objects.requireNonNull(topic);
    }

    /** Raises the alarm on a refused message, clears it on one from the site authority in use; old or repeats: nothing. */
    public void report(SiteMessageFeed.Update update) {
        if (update.refused()) {
            refused(update.kid(), update.detail());
        } else if (update.accepted()) {
            accepted(update.kid());
        }
    }

    /** Whether the alarm is raised now (telemetry lists it). */
    public synchronized boolean raised() {
        return raised;
    }

    /** A message was refused for what it is: raises the alarm unless it is raised already. */
    public synchronized void refused(String kid, String reason) {
        if (raised) {
            return;
        }
        ObjectNode detail = AlarmMessage.newDetail().put("kind", kind).put("topic", topic).put("kid", kid)
                .put("reason", reason);
        if (commit(new AlarmMessage(CODE, "critical", "raised", "a " + kind + " message was refused and the one in "
                + "force kept: " + reason, detail))) {
            raised = true;
        }
    }

    /** A message was accepted from the site authority: clears the alarm when it is raised. */
    public synchronized void accepted(String kid) {
        if (!raised) {
            return;
        }
        ObjectNode detail = AlarmMessage.newDetail().put("kind", kind).put("topic", topic).put("kid", kid);
        if (commit(new AlarmMessage(CODE, "critical", "cleared", "a " + kind + " message signed by the site "
                + "authority (kid " + kid + ") was accepted again", detail))) {
            raised = false;
        }
    }

    private boolean commit(AlarmMessage alarm) {
        try {
            store.append(MessageClass.ALARM, topics.alarm(), false, clock.now(), clock.synced(), bootId,
                    stamp -> alarm.toJson(stamp, topics.kiosk()));
            return true;
        } catch (StoreException e) {
            LOG.error("{} alarm ({}) not recorded: {}", CODE, alarm.state(), e.getMessage());
            return false;
        }
    }
}
