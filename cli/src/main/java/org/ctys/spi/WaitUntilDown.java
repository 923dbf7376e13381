package org.ctys.spi;

import java.time.Duration;
import org.ctys.grammar.Durations;

/**
 * Wait until a machine stops answering ping and TCP (it went down, or into suspend): asked every
 * {@code interval}, within {@code limit}. Still answering then fails the target.
 */
public record WaitUntilDown(String target, String address, int tcpPort, int tries, Duration interval, Duration tryTimeout,
                            Duration limit) implements Poll {

    @Override
    public String metState() { return "down"; }

    @Override
    public String metText() { return "no longer answers"; }

    @Override
    public String waitingState() { return "going-down"; }

    @Override
    public String waitingText() { return "still answers"; }

    @Override
    public String failState() { return "still-up"; }

    @Override
    public String failText(int attempts, double seconds, String last) {
        return String.format("%s still answers ping or TCP %d after %.1fs (%d tries %s apart)", address, tcpPort, seconds, attempts,
                Durations.format(interval));
    }

    @Override
    public String describe() {
        return "wait until " + ShellWords.quote(address) + " no longer answers ping or TCP " + tcpPort + ": every "
                + Durations.format(interval) + ", at most " + Durations.format(limit);
    }
}
