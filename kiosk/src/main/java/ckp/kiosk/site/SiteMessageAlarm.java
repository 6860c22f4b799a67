package ckp.kiosk.site;

import ckp.kiosk.message.Alarm;
import ckp.kiosk.message.AlarmCode;
import ckp.kiosk.store.Outbox;
import ckp.kiosk.store.StoreException;
import java.util.LinkedHashMap;
import java.util.Map;
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
    public static final AlarmCode CODE = AlarmCode.SITE_MESSAGE_REFUSED;

    private final Outbox outbox;
    private final String kind;
    private final String topic;
    private boolean raised;

    /**
     * @param kind  the kind of message, e.g. {@code denylist}
     * @param topic the site topic such messages arrive on
     */
    public SiteMessageAlarm(Outbox outbox, String kind, String topic) {
        this.outbox = Objects.requireNonNull(outbox);
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
        Map<String, Object> detail = detail(kid);
        detail.put("reason", reason);
        if (commit(Alarm.raised(CODE, "a " + kind + " message was refused and the one in "
                + "force kept: " + reason, detail))) {
            raised = true;
        }
    }

    /** A message was accepted from the site authority: clears the alarm when it is raised. */
    public synchronized void accepted(String kid) {
        if (!raised) {
            return;
        }
        if (commit(Alarm.cleared(CODE, "a " + kind + " message signed by the site "
                + "authority (kid " + kid + ") was accepted again", detail(kid)))) {
            raised = false;
        }
    }

    private Map<String, Object> detail(String kid) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("kind", kind);
        detail.put("topic", topic);
        detail.put("kid", kid);
        return detail;
    }

    private boolean commit(Alarm alarm) {
        try {
            outbox.record(alarm);
            return true;
        } catch (StoreException e) {
            LOG.error("{} alarm ({}) not recorded: {}", CODE.wire(), alarm.state().wire(), e.getMessage());
            return false;
        }
    }
}
