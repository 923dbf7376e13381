package org.ctys.spi;

import java.time.Duration;
import org.ctys.grammar.Durations;

/**
 * Wait until a machine answers (as {@link Probe} asks), at most {@code tries} times,
 * {@code interval} apart, each try bounded by {@code tryTimeout}, and the whole wait by
 * {@code limit} when there is one. Never answering fails the target.
 */
public record WaitUntilUp(String target, String address, int tcpPort, int tries, Duration interval,
                          Duration tryTimeout, Duration limit) implements Step {

    public WaitUntilUp(String target, String address, int tcpPort, int tries, Duration interval, Duration tryTimeout) {
        this(target, address, tcpPort, tries, interval, tryTimeout, null);
    }

    @Override
    public String describe() {
        return "wait until " + ShellWords.quote(address) + " answers ping or TCP " + tcpPort + ": up to " + tries + " tries, "
                + Durations.format(interval) + " apart" + (limit == null ? "" : ", at most " + Durations.format(limit));
    }
}
