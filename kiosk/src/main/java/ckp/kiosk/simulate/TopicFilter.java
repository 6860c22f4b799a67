package ckp.kiosk.simulate;

import java.util.List;
import java.util.Optional;

/**
 * A subscription's topic filter (spec 4.7): levels separated by {@code /}, where {@code +} stands for one level and a
 * final {@code #} for any number of levels, including none.
 */
record TopicFilter(String text, List<String> levels) {

    /** The filter, or empty when a wildcard shares its level with other characters or {@code #} is not last. */
    static Optional<TopicFilter> parse(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        List<String> levels = List.of(text.split("/", -1));
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            boolean multi = level.contains("#");
            boolean single = level.contains("+");
            if ((multi && (!level.equals("#") || i != levels.size() - 1)) || (single && !level.equals("+"))) {
                return Optional.empty();
            }
        }
        return Optional.of(new TopicFilter(text, levels));
    }

    /** A topic a client may publish to: at least one character and no wildcards (spec 4.7.3, 3.3.2.1). */
    static boolean isTopicName(String topic) {
        return !topic.isEmpty() && topic.indexOf('+') < 0 && topic.indexOf('#') < 0;
    }

    /** Whether a message on {@code topic} matches; a leading wildcard never matches {@code $SYS}-style topics. */
    boolean matches(String topic) {
        String[] topicLevels = topic.split("/", -1);
        if (topic.startsWith("$") && (levels.get(0).equals("#") || levels.get(0).equals("+"))) {
            return false;
        }
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            if (level.equals("#")) {
                return true;
            }
            if (i >= topicLevels.length || !(level.equals("+") || level.equals(topicLevels[i]))) {
                return false;
            }
        }
        return levels.size() == topicLevels.length;
    }
}
