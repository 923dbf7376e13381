package org.ctys.spi;

import java.time.Duration;
import org.ctys.grammar.Durations;

/**
 * Wait until a machine answers (as {@link Probe} asks), at most {@code tries} times,
 * {@code interval} apart, each try bounded by {@code tryTimeout}. Never answering fails the target.
 */
public record WaitUntilUp(String target, String address, int tcpPort, int tries, Duration interval,
                          Duration tryTimeout) implements Step {

    @Override
    public String describe() {
        return "wait until " + address + " answers ping or TCP " + tcpPort + ": up to " + tries + " tries, "
                + Durations.format(interval) + " apart";
    }
}
