package org.ctys.spi;

import java.time.Duration;
import org.ctys.grammar.Durations;

/**
 * Wait until a machine answers (as {@link Probe} asks), at most {@code tries} times,
 * {@code interval} apart, each try bounded by {@code tryTimeout}, and the whole wait by
 * {@code limit} when there is one. Never answering fails the target.
 */
public record WaitUntilUp(String target, String address, int tcpPort, int tries, Duration interval,
                          Duration tryTimeout, Duration limit) implements Poll {

    public WaitUntilUp(String target, String address, int tcpPort, int tries, Duration interval, Duration tryTimeout) {
        this(target, address, tcpPort, tries, interval, tryTimeout, null);
    }

    @Override
    public String metState() { return "up"; }

    @Override
    public String metText() { return "answers"; }

    @Override
    public String waitingState() { return "waiting"; }

    @Override
    public String waitingText() { return "no answer yet"; }

    @Override
    public String failState() { return "no-answer"; }

    @Override
    public String failText(int attempts, double seconds, String last) {
        return String.format("%s did not answer ping or TCP %d: %d tries %s apart (%.1fs)", address, tcpPort, attempts,
                Durations.format(interval), seconds);
    }

    @Override
    public String describe() {
        return "wait until " + ShellWords.quote(address) + " answers ping or TCP " + tcpPort + ": up to " + tries + " tries, "
                + Durations.format(interval) + " apart" + (limit == null ? "" : ", at most " + Durations.format(limit));
    }
}
