package ckp.kiosk.message;

import java.util.Objects;

/** An MQTT topic filter ({@code +} one level, {@code #} the rest), to route delivered messages to their handler. */
public record TopicFilter(String filter) {
    public TopicFilter {
        Objects.requireNonNull(filter);
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String l = levels[i];
            boolean wildcardAlone = l.equals("+") || (l.equals("#") && i == levels.length - 1);
            if ((l.contains("+") || l.contains("#")) && !wildcardAlone) {
                throw new IllegalArgumentException("'" + filter + "' is not a valid MQTT topic filter: + and # stand "
                        + "alone in a level, # only last");
            }
        }
        if (filter.isEmpty()) {
            throw new IllegalArgumentException("an MQTT topic filter cannot be empty");
        }
    }

    public boolean matches(String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
