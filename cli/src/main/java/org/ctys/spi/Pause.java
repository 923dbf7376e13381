package org.ctys.spi;

import java.time.Duration;
import org.ctys.grammar.Durations;

/** Wait a fixed time once, e.g. the delay of {@code WOL:<delay>}. */
public record Pause(Duration duration, String why) implements Step {

    @Override
    public String describe() { return "sleep " + Durations.format(duration) + "   # " + why; }
}
