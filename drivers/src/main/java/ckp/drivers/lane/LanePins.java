package ckp.drivers.lane;

import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Which GPIO lines (BCM numbers, as gpiod counts them on the Pi's header) drive the lane.
 *
 * @param activeLow         outputs are on when the line is low (most opto-isolated relay boards)
 * @param presence          the vehicle presence sensor's input line, when one is fitted
 * @param presenceActiveLow the presence input reads low when a vehicle is there (open-collector sensors)
 */
public record LanePins(int green, int red, int amber, int buzzer, int barrier, boolean activeLow,
                       OptionalInt presence, boolean presenceActiveLow) {
    public LanePins {
        List<Integer> outputs = List.of(green, red, amber, buzzer, barrier);
        Set<Integer> seen = new HashSet<>();
        for (int pin : outputs) {
            if (pin < 0 || pin > 27) {
                throw new IllegalArgumentException("GPIO pins are BCM 0-27, got " + pin);
            }
            if (!seen.add(pin)) {
                throw new IllegalArgumentException("GPIO pin " + pin + " is used twice; each output needs its own line");
            }
        }
        if (presence.isPresent() && (presence.getAsInt() < 0 || presence.getAsInt() > 27 || seen.contains(presence.getAsInt()))) {
            throw new IllegalArgumentException("the presence input needs its own BCM line 0-27, got " + presence.getAsInt());
        }
    }
}
