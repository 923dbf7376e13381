package org.ctys.spi;

import java.time.Duration;
import org.ctys.grammar.Durations;

/** Wait a set time for a target, on purpose (POWEROFF:<delay>: the users warned get that long). */
public record Delay(String target, Duration delay, String why) implements Step {

    @Override
    public String describe() { return "sleep " + delay.toMillis() / 1000.0 + "  # " + ControlChars.escape(why); }
}
