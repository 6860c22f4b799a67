package ckp.kiosk.message;

import java.util.List;
import java.util.Objects;

/**
 * An MQTT topic filter ({@code +} one level, {@code #} the rest), to route delivered messages to their handler. It is
 * checked and split into levels once, when made, as it is matched against every inbound message.
 */
public final class TopicFilter {
    private final String filter;
    private final List<String> levels;

    public TopicFilter(String filter) {
        Objects.requireNonNull(filter);
        if (filter.isEmpty()) {
            throw new IllegalArgumentException("an MQTT topic filter cannot be empty");
        }
        String[] split = filter.split("/", -1);
        for (int i = 0; i < split.length; i++) {
            String l = split[i];
            boolean wildcardAlone = l.equals("+") || (l.equals("#") && i == split.length - 1);
            if ((l.contains("+") || l.contains("#")) && !wildcardAlone) {
                throw new IllegalArgumentException("'" + filter + "' is not a valid MQTT topic filter: + and # stand "
                        + "alone in a level, # only last");
            }
        }
        this.filter = filter;
        this.levels = List.of(split);
    }

    public String filter() {
        return filter;
    }

    public boolean matches(String topic) {
        int start = 0;
        for (String f : levels) {
            if (f.equals("#")) {
                return true;
            }
            if (start > topic.length()) {
                return false; // the topic has fewer levels
            }
            int end = topic.indexOf('/', start);
            end = end < 0 ? topic.length() : end;
            if (!f.equals("+") && !(end - start == f.length() && topic.startsWith(f, start))) {
                return false;
            }
            start = end + 1;
        }
        return start == topic.length() + 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicFilter t && t.filter.equals(filter);
    }

    @Override
    public int hashCode() {
        return filter.hashCode();
    }

    @Override
    public String toString() {
        return filter;
    }
}
